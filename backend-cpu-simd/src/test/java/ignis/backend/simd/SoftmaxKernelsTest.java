package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.SoftmaxKernels;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Softmax, log-softmax and their gradients against their definitions recomputed in double, line by
 * line: the last dim and other dims, lengths around the vector width (vector loop and scalar tail),
 * dense, strided and transposed views, a gradient broadcast along the dim (stride 0), large logits,
 * and lines holding -inf, +inf and NaN (log-softmax shifts by the max, taken as 0 when infinite, as
 * the core's composite does).
 */
class SoftmaxKernelsTest {

    @TestFactory
    Stream<DynamicTest> softmaxMatchesItsDefinition() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                int lanes = bits / (type.byteSize() * 8);
                tests.add(DynamicTest.dynamicTest(type + ", " + bits + "-bit vectors", () -> {
                    SoftmaxKernels kernels = new SimdBackend(bits).optional(SoftmaxKernels.class);
                    for (long length : new long[] {1, 2, lanes - 1, lanes, lanes + 1, 4L * lanes + 3, 100}) {
                        for (int layout = 0; layout < 3; layout++) {
                            check(kernels, type, new long[] {3, Math.max(1, length)}, 1, layout, 10);
                            check(kernels, type, new long[] {Math.max(1, length), 4}, 0, layout, 10);
                            check(kernels, type, new long[] {2, Math.max(1, length), 3}, 1, layout, 10);
                        }
                        check(kernels, type, new long[] {2, Math.max(1, length)}, 1, 0, 1000);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void specialValues() {
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        // rows: large logits; one -inf; all -inf; one +inf; a NaN
        double[] x = {1000, 1001, 1002, -inf, 0, 1, -inf, -inf, -inf, inf, 1, 2, nan, 0, 1};
        double e = Math.log(Math.exp(-2) + Math.exp(-1) + 1);
        double e2 = Math.log(1 + Math.E);
        double[] logSoftmax = {-2 - e, -1 - e, -e, -inf, -e2, 1 - e2, nan, nan, nan, nan, -inf, -inf, nan, nan, nan};
        double[] softmax = {Math.exp(-2 - e), Math.exp(-1 - e), Math.exp(-e), 0, Math.exp(-e2), Math.exp(1 - e2),
            nan, nan, nan, nan, nan, nan, nan, nan, nan};
        for (int bits : ElementwiseBoundaryTest.widths()) {
            SoftmaxKernels kernels = new SimdBackend(bits).optional(SoftmaxKernels.class);
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (int layout = 0; layout < 2; layout++) {
                    TensorView in = make(type, layout, 5, 3);
                    for (int i = 0; i < x.length; i++) {
                        TestViews.set(in, i, x[i]);
                    }
                    TensorView out = make(type, layout, 5, 3);
                    kernels.softmax(out, in, 1);
                    assertClose(type + " softmax", softmax, out, type);
                    kernels.logSoftmax(out, in, 1);
                    assertClose(type + " logSoftmax", logSoftmax, out, type);
                }
            }
        }
    }

    /** layout 0: dense; 1: innermost stride 2; 2: the last two dims transposed in memory. */
    private static TensorView make(DType type, int layout, long... shape) {
        if (layout == 0) {
            return TestViews.dense(type, 2, shape);
        }
        if (layout == 1 || shape.length < 2) {
            return TestViews.stepped(type, 1, 2, shape);
        }
        int r = shape.length;
        long[] swapped = shape.clone();
        swapped[r - 1] = shape[r - 2];
        swapped[r - 2] = shape[r - 1];
        TensorView base = TestViews.dense(type, 3, swapped);
        long[] strides = base.strides().clone();
        strides[r - 1] = base.strides()[r - 2];
        strides[r - 2] = base.strides()[r - 1];
        return new TensorView(base.storage(), type, base.offset(), shape, strides);
    }

    private static void check(SoftmaxKernels kernels, DType type, long[] shape, int dim, int layout, double spread) {
        String what = type + " " + Arrays.toString(shape) + " dim " + dim + " layout " + layout + " spread " + spread;
        TensorView in = make(type, layout, shape);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(shape) * 31L + dim);
        int numel = (int) in.numel();
        double[] x = new double[numel];
        for (int i = 0; i < numel; i++) {
            TestViews.set(in, i, random.nextDouble(-spread, spread));
            x[i] = TestViews.get(in, i);
        }
        int len = (int) shape[dim];
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        int outer = numel / (len * inner);
        double[] soft = new double[numel];
        double[] logSoft = new double[numel];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    max = Math.max(max, x[(o * len + j) * inner + i]);
                }
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    sum += Math.exp(x[(o * len + j) * inner + i] - max);
                }
                for (int j = 0; j < len; j++) {
                    int at = (o * len + j) * inner + i;
                    soft[at] = Math.exp(x[at] - max) / sum;
                    logSoft[at] = x[at] - max - Math.log(sum);
                }
            }
        }
        TensorView out = make(type, layout, shape);
        kernels.softmax(out, in, dim);
        assertClose(what + " softmax", soft, out, type);
        TestViews.assertOnlyViewWritten(out);
        TensorView logOut = make(type, layout, shape);
        kernels.logSoftmax(logOut, in, dim);
        assertClose(what + " logSoftmax", logSoft, logOut, type);
        TestViews.assertOnlyViewWritten(logOut);

        // gradients, with gradOut dense or broadcast along the dim (as mean's gradient arrives)
        for (boolean broadcast : new boolean[] {false, true}) {
            TensorView gradOut;
            double[] g = new double[numel];
            if (broadcast) {
                long[] strides = TestViews.dense(type, 0, shape).strides().clone();
                strides[dim] = 0;
                gradOut = TestViews.view(type, shape, strides, 1);
            } else {
                gradOut = make(type, layout, shape);
            }
            for (int i = 0; i < numel; i++) {
                TestViews.set(gradOut, i, random.nextDouble(-1, 1));
            }
            for (int i = 0; i < numel; i++) {
                g[i] = TestViews.get(gradOut, i);
            }
            double[] y = new double[numel];
            double[] ly = new double[numel];
            for (int i = 0; i < numel; i++) {
                y[i] = TestViews.get(out, i);
                ly[i] = TestViews.get(logOut, i);
            }
            double[] softGrad = new double[numel];
            double[] softScale = new double[numel];
            double[] logGrad = new double[numel];
            double[] logScale = new double[numel];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double dot = 0;
                    double dotScale = 0;
                    double sumG = 0;
                    double sumScale = 0;
                    for (int j = 0; j < len; j++) {
                        int at = (o * len + j) * inner + i;
                        dot += g[at] * y[at];
                        dotScale += Math.abs(g[at] * y[at]);
                        sumG += g[at];
                        sumScale += Math.abs(g[at]);
                    }
                    for (int j = 0; j < len; j++) {
                        int at = (o * len + j) * inner + i;
                        softGrad[at] = y[at] * (g[at] - dot);
                        softScale[at] = Math.abs(y[at]) * (Math.abs(g[at]) + dotScale);
                        double p = Math.exp(ly[at]);
                        logGrad[at] = g[at] - p * sumG;
                        logScale[at] = Math.abs(g[at]) + p * sumScale;
                    }
                }
            }
            TensorView gradIn = make(type, layout, shape);
            kernels.softmaxBackward(gradIn, gradOut, out, dim);
            ConvKernelsTest.assertNear(what + " softmaxBackward" + (broadcast ? " broadcast" : ""), softGrad, softScale, gradIn, type);
            TestViews.assertOnlyViewWritten(gradIn);
            TensorView logGradIn = make(type, layout, shape);
            kernels.logSoftmaxBackward(logGradIn, gradOut, logOut, dim);
            ConvKernelsTest.assertNear(what + " logSoftmaxBackward" + (broadcast ? " broadcast" : ""), logGrad, logScale, logGradIn, type);
        }
    }

    /** Within 4e-6 relative and 1e-6 absolute (the rounding of log(sum)) for float32 (1e-13 and 1e-15 for float64); NaN and infinities exactly. */
    private static void assertClose(String what, double[] expected, TensorView actual, DType type) {
        double rel = type == DType.FLOAT64 ? 1e-13 : 4e-6;
        double abs = type == DType.FLOAT64 ? 1e-15 : 1e-6;
        for (int i = 0; i < expected.length; i++) {
            double got = TestViews.get(actual, i);
            int at = i;
            if (Double.isNaN(expected[i]) || Double.isInfinite(expected[i])) {
                assertEquals(expected[i], got, () -> what + ": element " + at);
                continue;
            }
            double bound = rel * Math.abs(expected[i]) + abs;
            assertTrue(Math.abs(got - expected[i]) <= bound,
                    () -> what + ": element " + at + " is " + got + ", expected " + expected[at] + " within " + bound);
        }
    }
}
