/**
 * The OpenCL backend: one device per OpenCL device found ({@code opencl:0}, {@code opencl:1}, ...),
 * through LWJGL's OpenCL binding, tested on PoCL.
 *
 * <p>Reading order: {@link ignis.backend.opencl.OpenCLDevices} (the DS component that registers one
 * backend service per device and releases them), {@link ignis.backend.opencl.OpenCLBackend} (memory,
 * transfers and every required kernel of the SPI), {@link ignis.backend.opencl.ClContext} (context,
 * in-order queue, buffers, kernels built once and cached, errors with their OpenCL code and build
 * log), {@link ignis.backend.opencl.KernelSource} (the OpenCL C, with the per-element semantics of
 * {@link ignis.tensor.spi.ElementMath}), {@link ignis.backend.opencl.Geometry} (shapes and strides as
 * kernels take them), then the optional kernels ({@code ClSoftmax}, {@code ClPool}).
 *
 * <p>LWJGL comes from the long-lived native bundle {@code ignis.lwjgl.opencl}
 * ({@code backend-opencl/lwjgl-native}); this bundle can be swapped freely on top of it.
 * A provider of the backend SPI; it exports nothing.
 */
package ignis.backend.opencl;
