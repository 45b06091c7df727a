package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reductions over the innermost axis, where dense rows take the vector path: rows of every length from
 * 1 to 70, dense at an odd offset, padded, stepped (scalar), into strided outputs; a NaN at every
 * position for MAX and MIN (so that it lands on every lane and in the tail); sums against the exact
 * sum.
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
