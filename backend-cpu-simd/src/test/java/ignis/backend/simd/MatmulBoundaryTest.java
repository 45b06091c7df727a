package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * matmul at the edges of its three loops: N and K around one and four vectors (the rows loop's blocks
 * and tails), b transposed (the dot-product loop, K around the lane count), and strided operands (the
 * scalar loop). Small integer values make every product and sum exact in float32, so results must
 * match exactly; real values must stay within the sum bound.
 */
class MatmulBoundaryTest {

    @TestFactory
    Stream<DynamicTest> matmul() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (boolean integral : new boolean[] {true, false}) {
                    tests.add(DynamicTest.dynamicTest(type + (integral ? " integer values" : " real values") + ", " + bits + "-bit vectors",
                            () -> check(bits, type, integral)));
                }
            }
        }
        return tests.stream();
    }

    private static long[] sizes(int lanes) {
        return new long[] {1, lanes - 1, lanes, lanes + 1, 4L * lanes - 1, 4L * lanes, 4L * lanes + 1, 5L * lanes + 3};
    }

    /** a [m, k], b [k, n], out [m, n] in one of three layouts. */
    private static TensorView[] operands(int layout, DType type, long m, long k, long n) {
        return switch (layout) {
            // rows loop: b and out dense along j
            case 0 -> new TensorView[] {TestViews.dense(type, 1, m, n), TestViews.dense(type, 3, m, k), TestViews.dense(type, 2, k, n)};
            // dots loop: a dense along k, b transposed (dense along k)
            case 1 -> new TensorView[] {TestViews.stepped(type, 1, 2, m, n), TestViews.dense(type, 1, m, k),
                TestViews.view(type, new long[] {k, n}, new long[] {1, k + 1}, 2)};
            // scalar: everything strided
            default -> new TensorView[] {TestViews.stepped(type, 0, 3, m, n), TestViews.stepped(type, 1, 2, m, k),
                TestViews.stepped(type, 2, 2, k, n)};
        };
    }

    private static void check(int bits, DType type, boolean integral) {
        SimdBackend backend = new SimdBackend(bits);
        int lanes = bits / (type.byteSize() * 8);
        SplittableRandom random = new SplittableRandom(bits + type.ordinal());
        List<String> failures = new ArrayList<>();
        for (int layout = 0; layout < 3; layout++) {
            for (long m : new long[] {1, 3}) {
                for (long k : sizes(lanes)) {
                    for (long n : sizes(lanes)) {
                        TensorView[] v = operands(layout, type, m, k, n);
                        double[] a = fill(v[1], m * k, integral, random);
                        double[] b = fill(v[2], k * n, integral, random);
                        backend.matmul(v[0], v[1], v[2]);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double exact = 0;
                                double bound = 0;
                                for (int t = 0; t < k; t++) {
                                    double p = a[(int) (i * k + t)] * b[(int) (t * n + j)];
                                    exact += p;
                                    bound += Math.abs(p);
                                }
                                double got = TestViews.get(v[0], i * n + j);
                                double tolerance = integral ? 0 : k * (type == DType.FLOAT32 ? 0x1p-24 : 0x1p-53) * bound * 2;
                                if (!(Math.abs(got - exact) <= tolerance)) {
                                    failures.add("layout " + layout + ", [" + m + ", " + k + "] @ [" + k + ", " + n + "], element ["
                                            + i + ", " + j + "]: " + got + ", expected " + exact + " +- " + tolerance);
                                }
                            }
                        }
                        TestViews.assertOnlyViewWritten(v[0]);
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
    }

    private static double[] fill(TensorView v, long count, boolean integral, SplittableRandom random) {
        double[] values = new double[(int) count];
        for (int i = 0; i < count; i++) {
            values[i] = integral ? random.nextInt(-8, 9) : Oracle.round(v.dtype(), -1 + 2 * random.nextDouble());
            TestViews.set(v, i, values[i]);
        }
        return values;
    }
}
