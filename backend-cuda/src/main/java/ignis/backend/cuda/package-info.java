/**
 * The CUDA backend: one device per NVIDIA GPU ({@code cuda:0}, {@code cuda:1}, ...), through JCuda's
 * driver API (the bundle {@code ignis.jcuda}), kernels that nvcc compiles from {@code src/main/cuda}
 * at build time, and cuBLAS called with {@code java.lang.foreign}. On a machine without a GPU or
 * driver nothing registers and the reason is logged once.
 *
 * <p>Reading order: {@link ignis.backend.cuda.CudaDevices} (the OSGi component),
 * {@link ignis.backend.cuda.CudaProbe} (whether this machine can run it),
 * {@link ignis.backend.cuda.CudaBackend} (the kernels), {@link ignis.backend.cuda.CudaApi} (every
 * native call, implemented by {@link ignis.backend.cuda.JCudaApi} and {@link ignis.backend.cuda.Cublas}),
 * {@link ignis.backend.cuda.CachingAllocator} (device memory).
 *
 * <p>A provider of the backend SPI; it exports nothing.
 */
package ignis.backend.cuda;
