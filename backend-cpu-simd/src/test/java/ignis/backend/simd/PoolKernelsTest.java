package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ignis.tensor.DType;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.Pool2dParams;
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
 * The pooling kernels against direct loops over each window in double, as PyTorch's CPU kernels
 * define them: max pooling takes the first largest element in row-major window order, and a NaN
 * wherever one is (the last NaN of the window); indices are {@code h*W + w}; average pooling divides
 * by the window clipped to the padded input (count_include_pad) or to the input. Values are small
 * integers (many ties, exact sums) with NaN and -inf sprinkled in, the layouts dense, strided and
 * transposed, the sizes odd, with padding, dilation and ceil mode, and the 2x2 stride-2 case.
 */
class PoolKernelsTest {

    /** n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil, countIncludePad. */
    private static final int[][] CASES = {
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
        {2, 3, 7, 9, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
        {2, 3, 7, 9, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1},
        {1, 2, 28, 37, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
        {1, 2, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
        {1, 2, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0},
        {2, 1, 10, 10, 3, 2, 3, 2, 1, 1, 2, 1, 0, 1},
        {1, 2, 6, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1, 0},
        {1, 1, 9, 9, 3, 3, 2, 2, 1, 1, 2, 2, 1, 1},
        {3, 2, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0},
        {1, 3, 11, 4, 5, 1, 3, 1, 2, 0, 1, 1, 1, 1},
        {1, 2, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
        {1, 2, 5, 15, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
        {2, 3, 14, 14, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
    };

    /** 2x2 windows with stride 2. */
    private static final Pool2dParams TWO_BY_TWO = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true);

    private static final String[] LAYOUTS = {"dense", "strided", "transposed input"};

    @TestFactory
    Stream<DynamicTest> poolingMatchesDirectLoops() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            for (int layout = 0; layout < LAYOUTS.length; layout++) {
                for (boolean special : new boolean[] {false, true}) {
                    int l = layout;
                    tests.add(DynamicTest.dynamicTest(type + ", " + LAYOUTS[layout] + (special ? ", with NaN and -inf" : ""), () -> {
                        for (int[] k : CASES) {
                            check(type, k, l, special);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void twoByTwoMatchesDirectLoopsOnceCompiled() {
        // The vector paths of 2x2 pooling run lane by lane in Java until HotSpot compiles them, after some
        // thousand calls; checking every call covers the compiled code too. The backward's vector path
        // needs windows that tile the plane.
        int[] tiled = {1, 2, 6, 36, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1};
        int[] oddWidth = {1, 2, 6, 37, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1};
        for (int call = 0; call < 3000; call++) {
            check(DType.FLOAT32, tiled, 0, true);
            check(DType.FLOAT32, oddWidth, 0, true);
        }
    }

    @Test
    void indicesOutsideTheirWindowsAreScatteredToWhereTheyPoint() {
        // max_pool2d_with_indices_backward adds each gradient at its index, wherever that is: here window 1
        // of a 2x4 plane points into window 0, so both gradients land there.
        Pool2dKernels kernels = new SimdBackend().optional(Pool2dKernels.class);
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            TensorView gradOut = TestViews.dense(type, 0, 1, 1, 1, 2);
            TestViews.set(gradOut, 0, 2);
            TestViews.set(gradOut, 1, 3);
            TensorView indices = TestViews.dense(DType.INT64, 0, 1, 1, 1, 2);
            for (long[] pointing : new long[][] {{5, 0}, {1, 1}}) {
                TestViews.setLong(indices, 0, pointing[0]);
                TestViews.setLong(indices, 1, pointing[1]);
                TensorView gradInput = TestViews.dense(type, 0, 1, 1, 2, 4);
                kernels.maxBackward(gradInput, gradOut, indices, TWO_BY_TWO);
                double[] expected = new double[8];
                expected[(int) pointing[0]] += 2;
                expected[(int) pointing[1]] += 3;
                for (int i = 0; i < 8; i++) {
                    assertEquals(expected[i], TestViews.get(gradInput, i), type + " " + Arrays.toString(pointing) + " at " + i);
                }
            }
        }
    }

    @Test
    void handWorkedTiesAndNaN() {
        Pool2dKernels kernels = new SimdBackend().optional(Pool2dKernels.class);
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            // torch.nn.functional.max_pool2d(x, 2, return_indices=True) for the 2x4 plane
            //   [[1, 3, nan, 2], [3, 0, 5, nan]] -> values [[3, nan]], indices [[1, 7]]:
            //   the tie 3 at (0,1) and (1,0) goes to the first; of two NaNs the last wins.
            TensorView x = TestViews.dense(type, 0, 1, 1, 2, 4);
            double[] values = {1, 3, Double.NaN, 2, 3, 0, 5, Double.NaN};
            for (int i = 0; i < values.length; i++) {
                TestViews.set(x, i, values[i]);
            }
            TensorView out = TestViews.dense(type, 0, 1, 1, 1, 2);
            TensorView indices = TestViews.dense(DType.INT64, 0, 1, 1, 1, 2);
            kernels.maxForward(out, indices, x, TWO_BY_TWO);
            assertEquals(3.0, TestViews.get(out, 0));
            assertEquals(Double.NaN, TestViews.get(out, 1));
            assertEquals(1, TestViews.getLong(indices, 0));
            assertEquals(7, TestViews.getLong(indices, 1));
            // a window of -inf only: the value -inf at the window's first position
            for (int i = 0; i < values.length; i++) {
                TestViews.set(x, i, Double.NEGATIVE_INFINITY);
            }
            kernels.maxForward(out, indices, x, TWO_BY_TWO);
            assertEquals(Double.NEGATIVE_INFINITY, TestViews.get(out, 1));
            assertEquals(2, TestViews.getLong(indices, 1));
        }
    }

    private static TensorView make(DType type, int layout, boolean transposable, long... shape) {
        return ConvKernelsTest.make(type, layout, transposable, shape);
    }

    private static void check(DType type, int[] k, int layout, boolean special) {
        int n = k[0], c = k[1], h = k[2], w = k[3];
        Pool2dParams p = new Pool2dParams(k[4], k[5], k[6], k[7], k[8], k[9], k[10], k[11], k[12] == 1, k[13] == 1);
        int oh = (int) p.outH(h);
        int ow = (int) p.outW(w);
        TensorView input = make(type, layout, true, n, c, h, w);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(k));
        double[] x = new double[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            double v = random.nextInt(-3, 4);
            if (special && random.nextInt(7) == 0) {
                v = random.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
            }
            TestViews.set(input, i, v);
            x[i] = TestViews.get(input, i);
        }
        double[] max = new double[n * c * oh * ow];
        long[] arg = new long[max.length];
        double[] avg = new double[max.length];
        double[] divisor = new double[max.length];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int o = (plane * oh + oy) * ow + ox;
                    double m = Double.NEGATIVE_INFINITY;
                    long a = -1;
                    double sum = 0;
                    int count = 0;
                    int h0 = oy * p.strideH() - p.padH();
                    int w0 = ox * p.strideW() - p.padW();
                    for (int i = 0; i < p.kernelH(); i++) {
                        for (int j = 0; j < p.kernelW(); j++) {
                            int yy = h0 + i * p.dilationH();
                            int xx = w0 + j * p.dilationW();
                            if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                continue;
                            }
                            double v = x[(plane * h + yy) * w + xx];
                            if (a < 0 || v > m || Double.isNaN(v)) {
                                m = v;
                                a = (long) yy * w + xx;
                            }
                            if (p.dilationH() == 1 && p.dilationW() == 1) {
                                sum += v;
                                count++;
                            }
                        }
                    }
                    max[o] = m;
                    arg[o] = a;
                    int hend = Math.min(h0 + p.kernelH(), h + p.padH());
                    int wend = Math.min(w0 + p.kernelW(), w + p.padW());
                    divisor[o] = p.countIncludePad() ? (hend - h0) * (wend - w0) : count;
                    avg[o] = sum / divisor[o];
                }
            }
        }
        String what = type + " " + Arrays.toString(k) + " " + LAYOUTS[layout] + (special ? " special" : "");
        Pool2dKernels kernels = new SimdBackend().optional(Pool2dKernels.class);
        assertNotNull(kernels);
        TensorView out = make(type, layout, true, n, c, oh, ow);
        TensorView indices = make(DType.INT64, layout, true, n, c, oh, ow);
        kernels.maxForward(out, indices, input, p);
        for (int i = 0; i < max.length; i++) {
            int at = i;
            assertEquals(max[i], TestViews.get(out, i), () -> what + " max at " + at);
            assertEquals(arg[i], TestViews.getLong(indices, i), () -> what + " argmax at " + at);
        }
        TestViews.assertOnlyViewWritten(out);
        TestViews.assertOnlyViewWritten(indices);

        TensorView gradOut = make(type, layout, true, n, c, oh, ow);
        double[] go = ConvKernelsTest.fill(gradOut, 11);
        double[] gx = new double[x.length];
        double[] gxScale = new double[x.length];
        for (int plane = 0; plane < n * c; plane++) {
            for (int o = 0; o < oh * ow; o++) {
                int to = plane * h * w + (int) arg[plane * oh * ow + o];
                gx[to] += go[plane * oh * ow + o];
                gxScale[to] += Math.abs(go[plane * oh * ow + o]);
            }
        }
        TensorView gradInput = make(type, layout, true, n, c, h, w);
        kernels.maxBackward(gradInput, gradOut, indices, p);
        ConvKernelsTest.assertNear(what + " maxBackward", gx, gxScale, gradInput, type);
        TestViews.assertOnlyViewWritten(gradInput);

        if (p.dilationH() != 1 || p.dilationW() != 1) {
            return;
        }
        TensorView pooled = make(type, layout, true, n, c, oh, ow);
        kernels.avgForward(pooled, input, p);
        for (int i = 0; i < avg.length; i++) {
            double got = TestViews.get(pooled, i);
            int at = i;
            if (Double.isNaN(avg[i]) || Double.isInfinite(avg[i])) {
                assertEquals(avg[at], got, () -> what + " avg at " + at);
            } else {
                double expected = type == DType.FLOAT32 ? (float) avg[i] : avg[i];
                assertEquals(expected, got, Math.abs(expected) * 1e-6, () -> what + " avg at " + at);
            }
        }
        TestViews.assertOnlyViewWritten(pooled);
        double[] ga = new double[x.length];
        double[] gaScale = new double[x.length];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int o = (plane * oh + oy) * ow + ox;
                    for (int i = 0; i < p.kernelH(); i++) {
                        for (int j = 0; j < p.kernelW(); j++) {
                            int yy = oy * p.strideH() - p.padH() + i;
                            int xx = ox * p.strideW() - p.padW() + j;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                ga[(plane * h + yy) * w + xx] += go[o] / divisor[o];
                                gaScale[(plane * h + yy) * w + xx] += Math.abs(go[o] / divisor[o]);
                            }
                        }
                    }
                }
            }
        }
        TensorView gradAvg = make(type, layout, true, n, c, h, w);
        kernels.avgBackward(gradAvg, gradOut, p);
        ConvKernelsTest.assertNear(what + " avgBackward", ga, gaScale, gradAvg, type);
        TestViews.assertOnlyViewWritten(gradAvg);
    }
}
