package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reductions over the innermost axis, where dense rows take the vector path: rows of every length from
 * 1 to 70, dense at an odd offset, padded, stepped (scalar), into strided outputs; a NaN at every
 * position for MAX and MIN (so that it lands on every lane and in the tail); sums against the exact
 * sum. And float32 sums over the leading axis, which take their own vector path.
 */
class ReduceBoundaryTest {

    @TestFactory
    Stream<DynamicTest> reductions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PROD, ReduceOp.ARGMAX}) {
                for (DType type : ElementwiseBoundaryTest.FLOATS) {
                    tests.add(DynamicTest.dynamicTest(op + " " + type + ", " + bits + "-bit vectors", () -> check(bits, op, type)));
                }
            }
        }
        return tests.stream();
    }

    private static TensorView input(int layout, DType type, long n) {
        return switch (layout) {
            case 0 -> TestViews.dense(type, 1, 2, n);
            case 1 -> TestViews.view(type, new long[] {2, n}, new long[] {n + 3, 1}, 2);
            default -> TestViews.stepped(type, 0, 2, 2, n);
        };
    }

    private static void check(int bits, ReduceOp op, DType type) {
        SimdBackend backend = new SimdBackend(bits);
        SplittableRandom random = new SplittableRandom(op.ordinal() * 31L + type.ordinal());
        List<String> failures = new ArrayList<>();
        DType outType = op == ReduceOp.ARGMAX ? DType.INT64 : type;
        boolean extreme = op == ReduceOp.MAX || op == ReduceOp.MIN || op == ReduceOp.ARGMAX;
        for (int layout = 0; layout < 3; layout++) {
            for (long n = 1; n <= ElementwiseBoundaryTest.MAX_LENGTH; n++) {
                // Row 1 gets a NaN: at every position in turn for dense rows, at one position otherwise.
                long first = extreme ? (layout == 0 ? 0 : n * 7 / 3 % n) : -1;
                long last = extreme ? (layout == 0 ? n - 1 : first) : -1;
                for (long nanAt = first; nanAt <= last; nanAt++) {
                    TensorView in = input(layout, type, n);
                    double[][] rows = new double[2][(int) n];
                    for (int r = 0; r < 2; r++) {
                        for (int j = 0; j < n; j++) {
                            double x = op == ReduceOp.PROD ? 0.5 + random.nextDouble() : -10 + 20 * random.nextDouble();
                            rows[r][j] = r == 1 && j == nanAt ? Double.NaN : Oracle.round(type, x);
                            TestViews.set(in, r * n + j, rows[r][j]);
                        }
                    }
                    TensorView out = TestViews.stepped(outType, 1, 3, 2, 1);
                    backend.reduce(op, out, in, new int[] {1});
                    for (int r = 0; r < 2; r++) {
                        double got = TestViews.get(out, r);
                        String problem = problem(op, type, rows[r], got);
                        if (problem != null) {
                            failures.add("layout " + layout + ", n = " + n + ", NaN at " + nanAt + ", row " + r + ": " + problem);
                        }
                    }
                    TestViews.assertOnlyViewWritten(out);
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
    }

    /**
     * Float32 sums over the leading axis of [rows, n] (a bias gradient's shape), where outputs are
     * summed a vector at a time: every n around the lane count, against the exact sum; an infinity in
     * one column gives that infinity and a NaN gives NaN, each in its own column only; and two threads
     * (which start their share of the outputs anywhere) give the bits of one.
     */
    @Test
    void sumsOverLeadingAxis() {
        int before = ComputePool.threads();
        try {
            for (int bits : ElementwiseBoundaryTest.widths()) {
                SimdBackend backend = new SimdBackend(bits);
                SplittableRandom random = new SplittableRandom(bits);
                List<String> failures = new ArrayList<>();
                for (int rows : new int[] {1, 3, 64}) {
                    // 2085 columns of 64 rows: enough outputs that two threads split them, mid-vector.
                    int[] lengths = IntStream.concat(IntStream.rangeClosed(1, ElementwiseBoundaryTest.MAX_LENGTH),
                            IntStream.of(rows == 64 ? 2085 : 1)).toArray();
                    for (int n : lengths) {
                        TensorView in = TestViews.dense(DType.FLOAT32, 0, rows, n);
                        double[][] columns = new double[n][rows];
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < n; j++) {
                                columns[j][i] = Oracle.round(DType.FLOAT32, -10 + 20 * random.nextDouble());
                                TestViews.set(in, (long) i * n + j, columns[j][i]);
                            }
                        }
                        int special = n / 2;
                        if (n > 2) {
                            columns[special][rows - 1] = Double.POSITIVE_INFINITY;
                            TestViews.set(in, (long) (rows - 1) * n + special, Double.POSITIVE_INFINITY);
                            columns[special + 1][0] = Double.NaN;
                            TestViews.set(in, special + 1, Double.NaN);
                        }
                        TensorView out = TestViews.dense(DType.FLOAT32, 0, 1, n);
                        ComputePool.setThreads(1);
                        backend.reduce(ReduceOp.SUM, out, in, new int[] {0});
                        TensorView split = TestViews.dense(DType.FLOAT32, 0, 1, n);
                        ComputePool.setThreads(2);
                        backend.reduce(ReduceOp.SUM, split, in, new int[] {0});
                        for (int j = 0; j < n; j++) {
                            double got = TestViews.get(out, j);
                            String problem = n > 2 && j == special
                                    ? (got == Double.POSITIVE_INFINITY ? null : "sum " + got + ", expected Infinity")
                                    : n > 2 && j == special + 1
                                    ? (Double.isNaN(got) ? null : "sum " + got + ", expected NaN")
                                    : problem(ReduceOp.SUM, DType.FLOAT32, columns[j], got);
                            if (problem != null) {
                                failures.add(bits + "-bit, [" + rows + ", " + n + "], column " + j + ": " + problem);
                            }
                            if (Double.doubleToLongBits(TestViews.get(split, j)) != Double.doubleToLongBits(got)) {
                                failures.add(bits + "-bit, [" + rows + ", " + n + "], column " + j + ": two threads " + TestViews.get(split, j)
                                        + ", one " + got);
                            }
                        }
                    }
                }
                assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
            }
        } finally {
            ComputePool.setThreads(before);
        }
    }

    /** What is wrong with a reduction's result, or null. */
    private static String problem(ReduceOp op, DType type, double[] row, double got) {
        switch (op) {
            case SUM -> {
                BigDecimal exact = BigDecimal.ZERO;
                for (double x : row) {
                    exact = exact.add(new BigDecimal(x));
                }
                double e = exact.doubleValue();
                // Compensated double sums, rounded once: within an ulp of the exact sum for these terms.
                double tolerance = type == DType.FLOAT32 ? Math.ulp((float) e) : 2 * Math.ulp(e) + 1e-300;
                return Math.abs(got - e) <= tolerance ? null : "sum " + got + ", exact " + e;
            }
            case PROD -> {
                BigDecimal exact = BigDecimal.ONE;
                for (double x : row) {
                    exact = exact.multiply(new BigDecimal(x));
                }
                double e = exact.doubleValue();
                double tolerance = row.length * (type == DType.FLOAT32 ? 0x1p-24 : 0x1p-53) * Math.abs(e) + Math.ulp(Oracle.round(type, e));
                return Math.abs(got - e) <= tolerance ? null : "product " + got + ", exact " + e;
            }
            case MAX, MIN -> {
                double e = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (double x : row) {
                    e = Double.isNaN(x) || Double.isNaN(e) ? Double.NaN : op == ReduceOp.MAX ? Math.max(e, x) : Math.min(e, x);
                }
                return Double.doubleToLongBits(got) == Double.doubleToLongBits(e) ? null : op + " " + got + ", expected " + e;
            }
            default -> {
                int best = 0;
                for (int j = 0; j < row.length && !Double.isNaN(row[best]); j++) {
                    if (Double.isNaN(row[j]) || row[j] > row[best]) {
                        best = j;
                    }
                }
                return got == best ? null : "argmax " + got + ", expected " + best;
            }
        }
    }
}
