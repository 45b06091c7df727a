package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The convolution kernels against direct nested loops in double (torch.nn.functional.conv2d's
 * definition): odd sizes, padding, stride 2, dilation 2, groups, no bias, 1x1 kernels (the path without
 * columns), "same" padding with stride 1 (columns copied in blocks), kernels larger than the input,
 * operands and outputs that are not dense, batches cut into chunks of several samples (of unequal
 * sizes: 13 samples of 14x14, 11 samples in groups), at least 32 column rows with same rows (columns
 * packed straight into panels), and batches split over several threads. Float32
 * results must lie within 1e-5 of the sum of the magnitudes of their terms, float64 within 1e-12.
 */
class ConvKernelsTest {

    /** n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias. */
    private static final int[][] CASES = {
        {3, 3, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 4, 9, 8, 6, 3, 2, 2, 2, 1, 0, 1, 1, 2, 0},
        {2, 2, 11, 10, 4, 3, 3, 1, 2, 2, 2, 2, 2, 2, 1},
        {3, 6, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2, 1},
        {5, 3, 6, 7, 2, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0},
        {2, 2, 6, 6, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1},
        {1, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {4, 5, 13, 8, 7, 5, 3, 3, 1, 2, 0, 1, 3, 1, 0},
        {2, 4, 4, 4, 4, 4, 4, 1, 1, 0, 0, 1, 1, 4, 1},
        {2, 2, 9, 10, 4, 3, 3, 1, 1, 2, 2, 2, 2, 2, 1},
        {2, 3, 6, 5, 2, 5, 5, 1, 1, 2, 2, 1, 1, 1, 0},
        {2, 2, 3, 3, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1, 1},
        {2, 32, 14, 14, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {13, 2, 14, 14, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {11, 4, 5, 6, 4, 3, 3, 2, 1, 1, 1, 1, 1, 2, 1},
        {13, 8, 14, 14, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {4, 8, 6, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 2, 1},
        {3, 4, 9, 10, 8, 3, 3, 1, 1, 2, 2, 2, 2, 1, 0},
        {2, 4, 7, 7, 12, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},
        // deeper than a packed block of weights (GemmFloat.KC), with a bias, by Im2colPanels and by im2col
        {3, 30, 6, 7, 10, 3, 3, 1, 1, 2, 2, 2, 2, 1, 1},
        {2, 29, 7, 6, 9, 3, 3, 1, 1, 1, 1, 2, 2, 1, 1},
        // no input channels: the output is the bias, or zero
        {2, 0, 5, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 0, 5, 5, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0},
    };

    /**
     * Cases that {@link WinogradF4x4} (16 float lanes) or {@link Winograd3x3} computes in float32: "same"
     * padding on 14x14 and 28x28 (rows of one and two vectors), odd output sizes (a last tile partly outside),
     * no padding and padding 2, padding that differs per axis, rows of more than 16 tiles, a 1x1 output, a
     * batch of 13 cut into unequal chunks, channel counts that are not multiples of the micro-tile or of 16,
     * and more input or output channels than a packed block holds.
     */
    static final int[][] WINOGRAD_CASES = {
        {3, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0},
        {2, 17, 9, 11, 19, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},
        {13, 16, 7, 6, 24, 3, 3, 1, 1, 2, 2, 1, 1, 1, 1},
        {2, 16, 6, 9, 16, 3, 3, 1, 1, 1, 2, 1, 1, 1, 1},
        {2, 20, 5, 37, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0},
        {1, 16, 3, 3, 17, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},
        {5, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 272, 5, 4, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 16, 4, 5, 272, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0},
    };

    /**
     * Cases whose weight gradient {@link WinogradF4x4} computes (16 float lanes, 1 or 2 threads): chunks of
     * 16 samples, one of 15 (lanes past the last sample), 14- and 37-wide rows (blocks of 16 columns that run
     * past a row), odd sizes, padding that differs per axis, a 1x1 output, more output channels than a
     * packed block holds.
     */
    static final int[][] WINOGRAD_WEIGHT_GRADIENT_CASES = {
        {32, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {30, 17, 9, 11, 19, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},
        {32, 16, 5, 37, 16, 3, 3, 1, 1, 1, 2, 1, 1, 1, 0},
        {32, 16, 3, 3, 24, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},
        {32, 16, 4, 5, 272, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0},
    };

    private static final String[] LAYOUTS = {"dense", "strided", "transposed input"};

    @TestFactory
    Stream<DynamicTest> conv2dMatchesDirectSums() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (int layout = 0; layout < LAYOUTS.length; layout++) {
                    int l = layout;
                    tests.add(DynamicTest.dynamicTest(type + ", " + LAYOUTS[layout] + ", " + bits + "-bit vectors", () -> {
                        for (int[] k : CASES) {
                            check(new SimdBackend(bits), type, k, l);
                        }
                        for (int[] k : WINOGRAD_CASES) {
                            check(new SimdBackend(bits), type, k, l);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** The thread count before the test, restored after it. */
    private final int threadsBefore = ComputePool.threads();

    @AfterEach
    void restoreThreads() {
        ComputePool.setThreads(threadsBefore);
    }

    @Test
    void batchesSplitOverMoreThreadsThanCoresSumTheSameWeightGradient() {
        for (int threads : new int[] {1, 3, 5}) {
            ComputePool.setThreads(threads);
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                check(new SimdBackend(), type, new int[] {7, 3, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, 0);
                check(new SimdBackend(), type, new int[] {7, 1, 6, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, 0);
                check(new SimdBackend(), type, new int[] {4, 4, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2, 0}, 1);
                check(new SimdBackend(), type, new int[] {7, 16, 6, 5, 17, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, 0);
            }
        }
    }

    @Test
    void weightGradientsByWholeChunksOfSamplesMatchDirectSums() {
        for (int threads : new int[] {1, 2}) {
            ComputePool.setThreads(threads);
            for (int[] k : WINOGRAD_WEIGHT_GRADIENT_CASES) {
                assertEquals(Gemm.FLOATS.species().length() == 16, WinogradF4x4.handlesWeightGradient(geometry(k, DType.FLOAT32)),
                        java.util.Arrays.toString(k));
                for (int layout = 0; layout < LAYOUTS.length; layout++) {
                    check(new SimdBackend(), DType.FLOAT32, k, layout);
                }
            }
        }
    }

    @Test
    void theWeightGradientTakesF4x4WithFewEmptyLanesAndAChunkPerThread() {
        ComputePool.setThreads(2);
        boolean lanes16 = Gemm.FLOATS.species().length() == 16;
        assertEquals(lanes16, f4x4WeightGradient(64, DType.FLOAT32));
        assertEquals(lanes16, f4x4WeightGradient(30, DType.FLOAT32));
        // a third of the second chunk's lanes empty; a chunk for one thread of two
        assertFalse(f4x4WeightGradient(17, DType.FLOAT32));
        assertFalse(f4x4WeightGradient(16, DType.FLOAT32));
        assertFalse(f4x4WeightGradient(64, DType.FLOAT64));
    }

    /** Whether WinogradF4x4 computes the weight gradient of the CNN's second convolution on a batch of n. */
    private static boolean f4x4WeightGradient(int n, DType type) {
        return WinogradF4x4.handlesWeightGradient(geometry(new int[] {n, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, type));
    }

    private static ConvKernels.Geometry geometry(int[] k, DType type) {
        return ConvKernels.Geometry.of(new long[] {k[0], k[1], k[2], k[3]}, new long[] {k[4], k[1] / k[13], k[5], k[6]},
                new Conv2dParams(k[7], k[8], k[9], k[10], k[11], k[12], k[13]), type);
    }

    @Test
    void theWinogradCasesTakeTheWinogradPathInFloat32Only() {
        for (int[] k : WINOGRAD_CASES) {
            long[] in = {k[0], k[1], k[2], k[3]};
            long[] weight = {k[4], k[1] / k[13], k[5], k[6]};
            Conv2dParams p = new Conv2dParams(k[7], k[8], k[9], k[10], k[11], k[12], k[13]);
            assertTrue(Winograd3x3.handles(ConvKernels.Geometry.of(in, weight, p, DType.FLOAT32)), java.util.Arrays.toString(k));
            assertEquals(Gemm.FLOATS.species().length() == 16, WinogradF4x4.handles(ConvKernels.Geometry.of(in, weight, p, DType.FLOAT32)),
                    java.util.Arrays.toString(k));
            assertFalse(WinogradF4x4.handles(ConvKernels.Geometry.of(in, weight, p, DType.FLOAT64)), java.util.Arrays.toString(k));
            assertFalse(Winograd3x3.handles(ConvKernels.Geometry.of(in, weight, p, DType.FLOAT64)), java.util.Arrays.toString(k));
        }
        for (int[] k : CASES) {
            long[] in = {k[0], k[1], k[2], k[3]};
            long[] weight = {k[4], k[1] / k[13], k[5], k[6]};
            Conv2dParams p = new Conv2dParams(k[7], k[8], k[9], k[10], k[11], k[12], k[13]);
            assertFalse(Winograd3x3.handles(ConvKernels.Geometry.of(in, weight, p, DType.FLOAT32)), java.util.Arrays.toString(k));
            assertFalse(WinogradF4x4.handles(ConvKernels.Geometry.of(in, weight, p, DType.FLOAT32)), java.util.Arrays.toString(k));
        }
        // planes of more than 64 x 64 outputs stay with F(2x2, 3x3)
        ConvKernels.Geometry large = ConvKernels.Geometry.of(new long[] {1, 16, 66, 66}, new long[] {16, 16, 3, 3},
                new Conv2dParams(1, 1, 1, 1, 1, 1, 1), DType.FLOAT32);
        assertTrue(Winograd3x3.handles(large));
        assertFalse(WinogradF4x4.handles(large));
    }

    /** A view of the shape in one of the layouts, with the values of {@code values} (row-major) stored. */
    static TensorView make(DType type, int layout, boolean transposable, long... shape) {
        return switch (layout) {
            case 0 -> TestViews.dense(type, 3, shape);
            case 1 -> TestViews.stepped(type, 1, 2, shape);
            default -> {
                if (!transposable) {
                    yield TestViews.dense(type, 2, shape);
                }
                // [n, c, h, w] stored as [n, c, w, h]: the last two dims swapped
                long[] strides = {shape[1] * shape[2] * shape[3], shape[2] * shape[3], 1, shape[2]};
                yield TestViews.view(type, shape, strides, 5);
            }
        };
    }

    static double[] fill(TensorView v, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[(int) v.numel()];
        for (int i = 0; i < values.length; i++) {
            TestViews.set(v, i, random.nextDouble(-1, 1));
            values[i] = TestViews.get(v, i);
        }
        return values;
    }

    private static void check(SimdBackend backend, DType type, int[] k, int layout) {
        int n = k[0], c = k[1], h = k[2], w = k[3], oc = k[4], kh = k[5], kw = k[6];
        int sh = k[7], sw = k[8], ph = k[9], pw = k[10], dh = k[11], dw = k[12], g = k[13];
        boolean withBias = k[14] == 1;
        Conv2dParams p = new Conv2dParams(sh, sw, ph, pw, dh, dw, g);
        int cg = c / g;
        int ocg = oc / g;
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        TensorView input = make(type, layout, true, n, c, h, w);
        TensorView weight = make(type, layout, false, oc, cg, kh, kw);
        TensorView bias = withBias ? make(type, layout, false, oc) : null;
        TensorView gradOut = make(type, layout, true, n, oc, oh, ow);
        double[] x = fill(input, 1);
        double[] wt = fill(weight, 2);
        double[] b = withBias ? fill(bias, 3) : null;
        double[] go = fill(gradOut, 4);
        double[] y = new double[n * oc * oh * ow];
        double[] yScale = new double[y.length];
        double[] gx = new double[x.length];
        double[] gxScale = new double[x.length];
        double[] gw = new double[wt.length];
        double[] gwScale = new double[wt.length];
        for (int in = 0; in < n; in++) {
            for (int o = 0; o < oc; o++) {
                int group = o / ocg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int out = ((in * oc + o) * oh + oy) * ow + ox;
                        y[out] = withBias ? b[o] : 0;
                        yScale[out] = Math.abs(y[out]);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = oy * sh - ph + i * dh;
                                    int ix = ox * sw - pw + j * dw;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    int xi = ((in * c + group * cg + ci) * h + iy) * w + ix;
                                    int wi = ((o * cg + ci) * kh + i) * kw + j;
                                    y[out] += x[xi] * wt[wi];
                                    yScale[out] += Math.abs(x[xi] * wt[wi]);
                                    gx[xi] += go[out] * wt[wi];
                                    gxScale[xi] += Math.abs(go[out] * wt[wi]);
                                    gw[wi] += go[out] * x[xi];
                                    gwScale[wi] += Math.abs(go[out] * x[xi]);
                                }
                            }
                        }
                    }
                }
            }
        }
        Conv2dKernels kernels = backend.optional(Conv2dKernels.class);
        assertNotNull(kernels);
        String what = type + " " + java.util.Arrays.toString(k) + " " + LAYOUTS[layout];
        TensorView out = make(type, layout, true, n, oc, oh, ow);
        kernels.forward(out, input, weight, bias, p);
        assertNear(what + " forward", y, yScale, out, type);
        TestViews.assertOnlyViewWritten(out);
        TensorView gradInput = make(type, layout, true, n, c, h, w);
        kernels.backwardInput(gradInput, gradOut, weight, p);
        assertNear(what + " backwardInput", gx, gxScale, gradInput, type);
        TestViews.assertOnlyViewWritten(gradInput);
        TensorView gradWeight = make(type, layout, false, oc, cg, kh, kw);
        kernels.backwardWeight(gradWeight, gradOut, input, p);
        assertNear(what + " backwardWeight", gw, gwScale, gradWeight, type);
        TestViews.assertOnlyViewWritten(gradWeight);
        double[] gb = new double[oc];
        double[] gbScale = new double[oc];
        for (int i = 0; i < go.length; i++) {
            gb[i / (oh * ow) % oc] += go[i];
            gbScale[i / (oh * ow) % oc] += Math.abs(go[i]);
        }
        TensorView bothWeight = make(type, layout, false, oc, cg, kh, kw);
        TensorView gradBias = make(type, layout, false, oc);
        boolean summed = kernels.backwardWeightAndBias(bothWeight, gradBias, gradOut, input, p);
        assertNear(what + " backwardWeightAndBias, weight", gw, gwScale, bothWeight, type);
        TestViews.assertOnlyViewWritten(bothWeight);
        // the fused sum where the products are dot products (float32 with few rows of columns) or WinogradF4x4's
        boolean fused = type == DType.FLOAT32 && (cg * kh * kw <= GemmFloat.DOT_ROWS || WinogradF4x4.handlesWeightGradient(geometry(k, type)));
        assertEquals(fused, summed, what + " sums the bias");
        if (summed) {
            assertNear(what + " backwardWeightAndBias, bias", gb, gbScale, gradBias, type);
            TestViews.assertOnlyViewWritten(gradBias);
        }
    }

    static void assertNear(String what, double[] expected, double[] scale, TensorView actual, DType type) {
        double eps = type == DType.FLOAT64 ? 1e-12 : 1e-5;
        for (int i = 0; i < expected.length; i++) {
            double got = TestViews.get(actual, i);
            double bound = eps * (1 + scale[i]);
            int at = i;
            assertTrue(Math.abs(got - expected[i]) <= bound,
                    () -> what + ": element " + at + " is " + got + ", expected " + expected[at] + " within " + bound);
        }
    }
}
