package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.ReluKernels;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ReLU's gradient against its definition ({@code out > 0 ? gradOut : 0}, bit for bit): lengths around the
 * vector width (vector loop and scalar tail) and one long enough to be split over threads, at 1 to 3
 * threads; zero, negative zero, NaN and infinite outputs and gradients; dense operands, an output
 * gradient broadcast (stride 0) and operands with gaps, which the kernel copies first.
 */
class ReluKernelsTest {

    private final int threadsBefore = ComputePool.threads();

    @AfterEach
    void restoreThreads() {
        ComputePool.setThreads(threadsBefore);
    }

    @TestFactory
    Stream<DynamicTest> reluBackwardMatchesItsDefinition() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                int lanes = bits / (type.byteSize() * 8);
                tests.add(DynamicTest.dynamicTest(type + ", " + bits + "-bit vectors", () -> {
                    ReluKernels kernels = new SimdBackend(bits).optional(ReluKernels.class);
                    for (int threads = 1; threads <= 3; threads++) {
                        ComputePool.setThreads(threads);
                        for (long n : new long[] {1, lanes - 1, lanes, lanes + 1, 4L * lanes + 3, 1023, 3 * Parallel.CHEAP_GRAIN + 5}) {
                            for (int layout = 0; layout < 3; layout++) {
                                check(kernels, type, Math.max(1, n), layout);
                            }
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** layout 0: all dense; 1: the output gradient broadcast from one element; 2: every operand with gaps. */
    private static void check(ReluKernels kernels, DType type, long n, int layout) {
        String what = type + " n " + n + " layout " + layout;
        TensorView out = layout == 2 ? TestViews.stepped(type, 1, 2, n) : TestViews.dense(type, 3, n);
        TensorView gradOut = layout == 1 ? TestViews.broadcast(type, 2, n) : layout == 2 ? TestViews.stepped(type, 5, 3, n)
                : TestViews.dense(type, 1, n);
        TensorView gradIn = layout == 2 ? TestViews.stepped(type, 2, 2, n) : TestViews.dense(type, 0, n);
        double[] special = {0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-30, -1e-30};
        SplittableRandom random = new SplittableRandom(n * 7 + layout);
        for (long i = 0; i < n; i++) {
            TestViews.set(out, i, i % 11 < special.length ? special[(int) (i % 11)] : random.nextDouble(-1, 1));
            if (layout != 1 || i == 0) {
                TestViews.set(gradOut, i, i % 13 == 5 ? Double.NaN : i % 13 == 6 ? Double.NEGATIVE_INFINITY : random.nextDouble(-2, 2));
            }
        }
        kernels.reluBackward(gradIn, gradOut, out);
        for (long i = 0; i < n; i++) {
            double expected = TestViews.get(out, i) > 0 ? TestViews.get(gradOut, i) : 0;
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(TestViews.get(gradIn, i)),
                    what + ": element " + i + " of output " + TestViews.get(out, i) + " and gradient " + TestViews.get(gradOut, i));
        }
        TestViews.assertOnlyViewWritten(gradIn);
    }
}
