package ignis.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * cuBLAS through {@code java.lang.foreign}: JCuda's own cuBLAS binding links CUDA 12's
 * libcublas.so.12, which CUDA 13 machines lack, so Ignis calls whichever of libcublas.so.13 and
 * libcublas.so.12 the machine has, directly. One handle per device, bound to the device's stream.
 * {@link #open} returns null when no cuBLAS is found: the backend then uses its own GEMM kernel.
 */
final class Cublas implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Cublas.class.getName());

    /** The sonames tried, newest first. */
    static final List<String> LIBRARIES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so");

    private static final int CUBLAS_STATUS_SUCCESS = 0;
    private static final int CUBLAS_OP_N = 0;
    private static final int CUBLAS_OP_T = 1;

    private static final FunctionDescriptor GEMM = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, // handle, transa, transb, m, n, k
            ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,                     // alpha, A, lda, strideA
            ADDRESS, JAVA_INT, JAVA_LONG,                              // B, ldb, strideB
            ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,                     // beta, C, ldc, strideC
            JAVA_INT);                                                 // batchCount

    private final String name;
    private final Arena arena;
    private final MemorySegment handle;
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle destroy;
    private final MemorySegment oneF;
    private final MemorySegment zeroF;
    private final MemorySegment oneD;
    private final MemorySegment zeroD;

    private Cublas(String name, Arena arena, SymbolLookup library, long stream) throws Throwable {
        this.name = name;
        this.arena = arena;
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(library.findOrThrow("cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = linker.downcallHandle(library.findOrThrow("cublasSetStream_v2"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        sgemm = linker.downcallHandle(library.findOrThrow("cublasSgemmStridedBatched"), GEMM);
        dgemm = linker.downcallHandle(library.findOrThrow("cublasDgemmStridedBatched"), GEMM);
        destroy = linker.downcallHandle(library.findOrThrow("cublasDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MemorySegment holder = arena.allocate(ADDRESS);
        check("cublasCreate_v2", (int) create.invokeExact(holder));
        handle = holder.get(ADDRESS, 0);
        check("cublasSetStream_v2", (int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)));
        oneF = arena.allocateFrom(JAVA_FLOAT, 1f);
        zeroF = arena.allocateFrom(JAVA_FLOAT, 0f);
        oneD = arena.allocateFrom(JAVA_DOUBLE, 1d);
        zeroD = arena.allocateFrom(JAVA_DOUBLE, 0d);
    }

    /** Set to {@code false} to run every matmul on Ignis's own kernel (to test it on a machine with cuBLAS). */
    static final String ENABLED_PROPERTY = "ignis.cuda.cublas";

    /** cuBLAS on the calling thread's current context, queued on {@code stream}; null when the machine has none. */
    static Cublas open(long stream) {
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            LOG.log(System.Logger.Level.INFO, ENABLED_PROPERTY + "=false: GEMM runs on Ignis's own kernel");
            return null;
        }
        for (String soname : LIBRARIES) {
            Arena arena = Arena.ofShared();
            SymbolLookup library;
            try {
                library = SymbolLookup.libraryLookup(soname, arena);
            } catch (IllegalArgumentException notHere) {
                arena.close();
                continue;
            }
            try {
                return new Cublas("cuBLAS (" + soname + ")", arena, library, stream);
            } catch (Throwable e) {
                arena.close();
                LOG.log(System.Logger.Level.WARNING, soname + " is present but unusable, GEMM runs on Ignis's own kernel: " + e);
                return null;
            }
        }
        LOG.log(System.Logger.Level.INFO, "no cuBLAS found (" + String.join(", ", LIBRARIES) + "): GEMM runs on Ignis's own kernel");
        return null;
    }

    String name() {
        return name;
    }

    /** One call at a time on the handle: cuBLAS allows sharing a handle between threads, not its workspace. */
    synchronized void gemm(boolean float64, boolean transA, boolean transB, int m, int n, int k,
              long a, int lda, long strideA, long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        int opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N;
        int opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
        int status;
        try {
            status = float64
                    ? (int) dgemm.invokeExact(handle, opA, opB, m, n, k, oneD, MemorySegment.ofAddress(a), lda, strideA,
                            MemorySegment.ofAddress(b), ldb, strideB, zeroD, MemorySegment.ofAddress(c), ldc, strideC, batch)
                    : (int) sgemm.invokeExact(handle, opA, opB, m, n, k, oneF, MemorySegment.ofAddress(a), lda, strideA,
                            MemorySegment.ofAddress(b), ldb, strideB, zeroF, MemorySegment.ofAddress(c), ldc, strideC, batch);
        } catch (Throwable e) {
            throw new IllegalStateException("cuBLAS gemm failed to run", e);
        }
        check(float64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched", status);
    }

    @Override
    public void close() {
        try {
            check("cublasDestroy_v2", (int) destroy.invokeExact(handle));
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            arena.close();
        }
    }

    private static void check(String call, int status) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + " returned cublasStatus_t " + status);
        }
    }
}
