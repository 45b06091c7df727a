package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a row-major batched matmul maps onto cuBLAS's column-major strided batched GEMM (C^T = B^T A^T),
 * checked on the arguments the backend passes, and when it falls back to its own kernel.
 */
class GemmTest {

    /** The fake with a cuBLAS that records its calls. */
    private static final class BlasFake extends FakeCudaApi {
        final List<String> calls = new ArrayList<>();

        @Override
        public String blasName() {
            return "fake cuBLAS";
        }

        @Override
        public void gemm(boolean float64, boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA,
                         long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
            calls.add((float64 ? "D" : "S") + (transA ? "T" : "N") + (transB ? "T" : "N") + " m" + m + " n" + n + " k" + k
                    + " lda" + lda + " sA" + strideA + " ldb" + ldb + " sB" + strideB + " ldc" + ldc + " sC" + strideC + " x" + batch);
        }
    }

    private final BlasFake api = new BlasFake();
    private final CudaBackend backend = new CudaBackend(0, api);
    private final Storage memory = backend.allocate(1 << 16);

    @AfterEach
    void close() {
        memory.release();
        backend.close();
    }

    private TensorView view(DType dtype, long[] shape, long... strides) {
        return new TensorView(memory, dtype, 0, shape, strides);
    }

    @Test
    void denseRowMajorIsBTimesAUntransposed() {
        // out [2, 3] = a [2, 4] @ b [4, 3]
        backend.matmul(view(DType.FLOAT32, new long[] {2, 3}, 3, 1), view(DType.FLOAT32, new long[] {2, 4}, 4, 1),
                view(DType.FLOAT32, new long[] {4, 3}, 3, 1));
        assertEquals(List.of("SNN m3 n2 k4 lda3 sA0 ldb4 sB0 ldc3 sC0 x1"), api.calls);
        assertEquals(List.of(), api.launches);
    }

    @Test
    void aTransposedOperandIsCublasTranspose() {
        // a = x^T with x [4, 2] dense: a [2, 4] has strides [1, 2]
        backend.matmul(view(DType.FLOAT64, new long[] {2, 3}, 3, 1), view(DType.FLOAT64, new long[] {2, 4}, 1, 2),
                view(DType.FLOAT64, new long[] {4, 3}, 1, 4));
        assertEquals(List.of("DTT m3 n2 k4 lda4 sA0 ldb2 sB0 ldc3 sC0 x1"), api.calls);
    }

    @Test
    void batchDimsCollapseToOneStrideAndABroadcastOperandHasStrideZero() {
        // out [2, 5, 2, 3] = a [2, 5, 2, 4] @ b [4, 3] broadcast over the batch
        backend.matmul(view(DType.FLOAT32, new long[] {2, 5, 2, 3}, 30, 6, 3, 1),
                view(DType.FLOAT32, new long[] {2, 5, 2, 4}, 40, 8, 4, 1),
                view(DType.FLOAT32, new long[] {2, 5, 4, 3}, 0, 0, 3, 1));
        assertEquals(List.of("SNN m3 n2 k4 lda3 sA0 ldb4 sB8 ldc3 sC6 x10"), api.calls);
    }

    @Test
    void integersAndUncollapsibleBatchesRunOnTheOwnKernel() {
        backend.matmul(view(DType.INT64, new long[] {2, 3}, 3, 1), view(DType.INT64, new long[] {2, 4}, 4, 1),
                view(DType.INT64, new long[] {4, 3}, 3, 1));
        // batch dims [2, 3] with a stepped outer stride do not collapse
        backend.matmul(view(DType.FLOAT32, new long[] {2, 3, 2, 2}, 100, 4, 2, 1),
                view(DType.FLOAT32, new long[] {2, 3, 2, 2}, 12, 4, 2, 1), view(DType.FLOAT32, new long[] {2, 3, 2, 2}, 12, 4, 2, 1));
        assertTrue(api.calls.isEmpty(), api.calls.toString());
        assertEquals(List.of("ignis_matmul", "ignis_matmul"), api.launches);
    }

    @Test
    void withoutCublasEverythingRunsOnTheOwnKernel() {
        FakeCudaApi plain = new FakeCudaApi();
        CudaBackend own = new CudaBackend(0, plain);
        Storage m = own.allocate(4096);
        own.matmul(new TensorView(m, DType.FLOAT32, 0, new long[] {2, 3}, new long[] {3, 1}),
                new TensorView(m, DType.FLOAT32, 0, new long[] {2, 4}, new long[] {4, 1}),
                new TensorView(m, DType.FLOAT32, 0, new long[] {4, 3}, new long[] {3, 1}));
        assertEquals(List.of("ignis_matmul"), plain.launches);
        assertFalse(plain.launches.isEmpty());
        m.release();
        own.close();
    }
}
