package ignis.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * Every native call the backend makes, for one GPU: the driver API (memory, copies, kernel launches,
 * one stream) and cuBLAS. The backend speaks only in device addresses ({@code long}), pinned host
 * segments and kernel names, so that the JCuda and FFM bindings ({@link JCudaApi}) sit behind this
 * one interface and tests without a GPU can put a fake in their place.
 *
 * <p>Every operation is queued on the device's one stream in call order and may return before it has
 * run; {@link #synchronize} waits for all of them. Implementations make the device's context current
 * on the calling thread themselves, so any thread may call.
 */
interface CudaApi extends AutoCloseable {

    /** The GPU's name as the driver reports it, such as {@code NVIDIA H100 80GB HBM3}. */
    String deviceName();

    /** Device memory of {@code bytes} bytes, or 0 when the device has none left. */
    long memAlloc(long bytes);

    void memFree(long address);

    /** Page-locked host memory, which the copies below need for truly asynchronous transfers. */
    MemorySegment hostAlloc(long bytes);

    void hostFree(MemorySegment pinned);

    /** Queues a copy of {@code bytes} from pinned host memory to the device; src must stay untouched until it has run. */
    void copyHostToDevice(long dst, MemorySegment src, long bytes);

    /** Queues a copy of {@code bytes} from the device into pinned host memory, valid after {@link #synchronize}. */
    void copyDeviceToHost(MemorySegment dst, long src, long bytes);

    void copyDeviceToDevice(long dst, long src, long bytes);

    /** Queues kernel {@code kernel} (an {@code extern "C"} name of the packaged kernels) on the stream. */
    void launch(String kernel, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, KernelArgs args);

    /** Waits until everything queued so far has run; reports an error of an earlier asynchronous operation. */
    void synchronize();

    /** Which GEMM library this device uses, such as {@code cuBLAS (libcublas.so.13)}, or null without one. */
    String blasName();

    /**
     * Column-major strided batched GEMM through cuBLAS, as {@code cublas[SD]gemmStridedBatched}:
     * {@code C_i = op(A_i) op(B_i)} for i below {@code batch}, alpha 1 and beta 0, queued on the stream.
     * Only called when {@link #blasName} is not null.
     */
    void gemm(boolean float64, boolean transA, boolean transB, int m, int n, int k,
              long a, int lda, long strideA, long b, int ldb, long strideB, long c, int ldc, long strideC, int batch);

    /** Frees the stream, the modules and the context; the device memory must have been freed. */
    @Override
    void close();
}
