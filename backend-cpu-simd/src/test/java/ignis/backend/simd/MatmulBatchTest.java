package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The backend's batched matmul over the GEMM: batches with and without broadcasting (b repeated over the
 * batch, which folds the batch into the rows; a repeated), outputs dense along j, dense along i
 * (transposed) and strided in both dims, many small matrices split over two threads. Values against a
 * float64 recomputation from the elements of the views, within the bound of any summation order.
 */
class MatmulBatchTest {

    /** One case: shapes of out, a and b (the same rank) and their strides; null strides mean row-major. */
    private record Case(String name, long[] outShape, long[] outStrides, long[] aShape, long[] aStrides, long[] bShape, long[] bStrides) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // [3, 5, 7] @ [3, 7, 9]
        cases.add(new Case("batched", shape(3, 5, 9), null, shape(3, 5, 7), null, shape(3, 7, 9), null));
        // [2, 3, 17, 20] @ [20, 33] broadcast: b's batch strides 0, a's rows run on (folded into one product)
        cases.add(new Case("b broadcast", shape(2, 3, 17, 33), null, shape(2, 3, 17, 20), null, shape(2, 3, 20, 33), strides(0, 0, 33, 1)));
        // b broadcast over a batch of transposed a's (not foldable)
        cases.add(new Case("b broadcast, a transposed", shape(4, 17, 33), null, shape(4, 17, 20), strides(340, 1, 17), shape(4, 20, 33),
                strides(0, 33, 1)));
        // a broadcast over a batch of b's
        cases.add(new Case("a broadcast", shape(3, 7, 40), null, shape(3, 7, 20), strides(0, 20, 1), shape(3, 20, 40), null));
        // both broadcast over different dims: [2, 1->3] x [1->2, 3]
        cases.add(new Case("mixed broadcast", shape(2, 3, 6, 5), null, shape(2, 3, 6, 4), strides(24, 0, 4, 1), shape(2, 3, 4, 5),
                strides(0, 20, 5, 1)));
        // out transposed (dense along i)
        cases.add(new Case("out transposed", shape(2, 19, 23), strides(19 * 23, 1, 19), shape(2, 19, 50), null, shape(2, 50, 23), null));
        // out strided in both dims (through a temporary), b transposed
        cases.add(new Case("out strided", shape(2, 9, 11), strides(300, 25, 2), shape(2, 9, 30), null, shape(2, 30, 11), strides(330, 1, 30)));
        // many small matrices, split by batch over the pool
        cases.add(new Case("many small", shape(300, 8, 8), null, shape(300, 8, 16), null, shape(300, 16, 8), null));
        // vector-matrix and matrix-vector
        cases.add(new Case("m = 1", shape(1, 300), null, shape(1, 77), null, shape(77, 300), null));
        cases.add(new Case("n = 1", shape(300, 1), null, shape(300, 77), null, shape(77, 1), null));
        // a large one past every cache block, b transposed
        cases.add(new Case("large", shape(16, 1023), null, shape(16, 300), null, shape(300, 1023), strides(1, 300)));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> batches() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (int threads : new int[] {1, 2}) {
                    for (Case c : cases()) {
                        tests.add(DynamicTest.dynamicTest(c.name() + ", " + type + ", " + bits + "-bit vectors, " + threads + " threads",
                                () -> check(new SimdBackend(bits), type, c, threads)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void check(SimdBackend backend, DType type, Case c, int threads) {
        TensorView out = view(type, c.outShape(), c.outStrides(), 3);
        TensorView a = view(type, c.aShape(), c.aStrides(), 1);
        TensorView b = view(type, c.bShape(), c.bStrides(), 2);
        SplittableRandom random = new SplittableRandom(c.name().hashCode() + type.ordinal());
        fill(a, random);
        fill(b, random);
        int before = ComputePool.threads();
        ComputePool.setThreads(threads);
        try {
            backend.matmul(out, a, b);
        } finally {
            ComputePool.setThreads(before);
        }
        int rank = out.rank();
        long m = out.shape()[rank - 2];
        long n = out.shape()[rank - 1];
        long k = a.shape()[rank - 1];
        long batches = out.numel() / Math.max(1, m * n);
        double[] x = values(a);
        double[] y = values(b);
        List<String> failures = new ArrayList<>();
        for (long t = 0; t < batches; t++) {
            for (long i = 0; i < m; i++) {
                for (long j = 0; j < n; j++) {
                    double exact = 0;
                    double bound = 0;
                    for (long p = 0; p < k; p++) {
                        double prod = x[(int) ((t * m + i) * k + p)] * y[(int) ((t * k + p) * n + j)];
                        exact += prod;
                        bound += Math.abs(prod);
                    }
                    double tolerance = 2 * (k + 1) * (type == DType.FLOAT32 ? 0x1p-24 : 0x1p-53) * bound;
                    double got = TestViews.get(out, (t * m + i) * n + j);
                    if (!(Math.abs(got - exact) <= tolerance)) {
                        failures.add("batch " + t + " [" + i + ", " + j + "]: " + got + ", expected " + exact + " +- " + tolerance);
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
        TestViews.assertOnlyViewWritten(out);
    }

    private static double[] values(TensorView v) {
        double[] values = new double[(int) v.numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = TestViews.get(v, i);
        }
        return values;
    }

    private static TensorView view(DType type, long[] shape, long[] strides, long offset) {
        return strides == null ? TestViews.dense(type, offset, shape) : TestViews.view(type, shape, strides, offset);
    }

    /** Fills every distinct element (a broadcast view's repeats get the same value). */
    private static void fill(TensorView v, SplittableRandom random) {
        for (long i = 0; i < v.numel(); i++) {
            TestViews.set(v, i, Oracle.round(v.dtype(), -1 + 2 * random.nextDouble()));
        }
    }

    private static long[] shape(long... dims) {
        return dims;
    }

    private static long[] strides(long... s) {
        return s;
    }
}
