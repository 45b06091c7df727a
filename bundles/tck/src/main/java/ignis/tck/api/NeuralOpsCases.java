package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.DType;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.ValuesAndIndices;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dParams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * conv2d and its gradients (input, weight, weight and bias together), max and average pooling and their
 * gradients, the softmax gradients and ReLU's, cross-entropy, against direct nested loops in double that follow PyTorch's
 * definitions (NCHW; torch.nn.functional.conv2d, max_pool2d with return_indices, avg_pool2d with
 * count_include_pad, ceil_mode as in PyTorch's pooling_output_shape).
 */
abstract class NeuralOpsCases extends KitArea {

    private static final Tolerance DOUBLE = new Tolerance(1e-12, 1e-12);
    private static final Tolerance SINGLE = new Tolerance(1e-5, 1e-5);

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    private Tensor tensor(DType dtype, double[] values, long... shape) {
        return typed(dtype, values, shape);
    }

    private static double[] stored(DType dtype, double[] values) {
        return Reference.map(values, x -> Reference.round(x, dtype));
    }

    // ---- convolution --------------------------------------------------------------------------

    /** n, c, h, w, oc, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, groups, bias (1/0). */
    private static final int[][] CONV_CASES = {
        {2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 4, 9, 8, 6, 3, 2, 2, 3, 1, 0, 2, 1, 2, 1},
        {2, 2, 5, 5, 2, 1, 1, 1, 1, 0, 0, 1, 1, 2, 0},
        {1, 6, 6, 7, 6, 3, 3, 2, 1, 2, 1, 1, 2, 3, 1},
        {2, 1, 10, 10, 3, 5, 5, 3, 3, 2, 2, 1, 1, 1, 0},
        {1, 2, 4, 4, 2, 4, 4, 1, 1, 0, 0, 1, 1, 1, 1},
        {3, 1, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    };

    @Test
    void conv2dAndItsGradientsMatchDirectSums() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int[] k : CONV_CASES) {
                checkConv(dtype, k);
            }
        }
    }

    private void checkConv(DType dtype, int[] k) {
        int n = k[0], c = k[1], h = k[2], w = k[3], oc = k[4], kh = k[5], kw = k[6];
        int sh = k[7], sw = k[8], ph = k[9], pw = k[10], dh = k[11], dw = k[12], g = k[13];
        boolean withBias = k[14] == 1;
        Conv2dParams p = new Conv2dParams(sh, sw, ph, pw, dh, dw, g);
        int cg = c / g;
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        double[] x = stored(dtype, random(n * c * h * w, 1));
        double[] wt = stored(dtype, random(oc * cg * kh * kw, 2));
        double[] b = stored(dtype, random(oc, 3));
        double[] go = stored(dtype, random(n * oc * oh * ow, 4));
        double[] expected = new double[n * oc * oh * ow];
        double[] gx = new double[x.length];
        double[] gw = new double[wt.length];
        for (int in = 0; in < n; in++) {
            for (int o = 0; o < oc; o++) {
                int group = o / (oc / g);
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int out = ((in * oc + o) * oh + y) * ow + xx;
                        double s = withBias ? b[o] : 0;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int yy = y * sh - ph + i * dh;
                                    int xq = xx * sw - pw + j * dw;
                                    if (yy < 0 || yy >= h || xq < 0 || xq >= w) {
                                        continue;
                                    }
                                    int xi = ((in * c + group * cg + ci) * h + yy) * w + xq;
                                    int wi = ((o * cg + ci) * kh + i) * kw + j;
                                    s += x[xi] * wt[wi];
                                    gx[xi] += go[out] * wt[wi];
                                    gw[wi] += go[out] * x[xi];
                                }
                            }
                        }
                        expected[out] = s;
                    }
                }
            }
        }
        Tolerance tol = dtype == DType.FLOAT64 ? DOUBLE : SINGLE;
        Tensor tx = tensor(dtype, x, n, c, h, w);
        Tensor tw = tensor(dtype, wt, oc, cg, kh, kw);
        Tensor tb = withBias ? tensor(dtype, b, oc) : null;
        Tensor y = NeuralOps.conv2d(tx, tw, tb, p);
        assertShape(y, n, oc, oh, ow);
        assertDType(dtype, y);
        assertClose(expected, y, tol);
        Tensor tgo = tensor(dtype, go, n, oc, oh, ow);
        Tensor gradInput = NeuralOps.conv2dBackwardInput(tx.shape(), tgo, tw, p);
        assertShape(gradInput, n, c, h, w);
        assertClose(gx, gradInput, tol);
        Tensor gradWeight = NeuralOps.conv2dBackwardWeight(tw.shape(), tgo, tx, p);
        assertShape(gradWeight, oc, cg, kh, kw);
        assertClose(gw, gradWeight, tol);
        double[] gb = new double[oc];
        for (int i = 0; i < go.length; i++) {
            gb[i / (oh * ow) % oc] += go[i];
        }
        Tensor[] both = NeuralOps.conv2dBackwardWeightAndBias(tw.shape(), tgo, tx, p);
        assertShape(both[0], oc, cg, kh, kw);
        assertClose(gw, both[0], tol);
        assertShape(both[1], oc);
        assertDType(dtype, both[1]);
        assertClose(gb, both[1], tol);
    }

    @Test
    void conv2dOfAStridedInputEqualsThatOfItsCopy() {
        double[] x = random(2 * 3 * 5 * 6, 5);
        Tensor wide = f64(x, 2, 3, 6, 5).transpose(2, 3); // [2, 3, 5, 6], not contiguous
        Tensor weight = f64(random(4 * 3 * 3 * 3, 6), 4, 3, 3, 3);
        Conv2dParams p = new Conv2dParams(1, 1, 1, 1, 1, 1, 1);
        assertClose(NeuralOps.conv2d(wide.contiguous(), weight, null, p).toDoubleArray(), NeuralOps.conv2d(wide, weight, null, p), DOUBLE);
    }

    @Test
    void conv2dRejectsMismatchedShapesAndDTypes() {
        Tensor x = zeros(DType.FLOAT32, 1, 3, 5, 5);
        Conv2dParams p = new Conv2dParams(1, 1, 0, 0, 1, 1, 1);
        assertThrowsMentioning(IllegalArgumentException.class, () -> NeuralOps.conv2d(x, zeros(DType.FLOAT32, 2, 4, 3, 3), null, p),
                "[1, 3, 5, 5]", "[2, 4, 3, 3]");
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.conv2d(x, zeros(DType.FLOAT64, 2, 3, 3, 3), null, p));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.conv2d(x, zeros(DType.FLOAT32, 2, 3, 3, 3), zeros(DType.FLOAT32, 3), p));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.conv2d(x, zeros(DType.FLOAT32, 2, 3, 6, 6), null, p));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.conv2d(zeros(DType.FLOAT32, 3, 5, 5), zeros(DType.FLOAT32, 2, 3, 3, 3), null, p));
        assertThrows(IllegalArgumentException.class, () -> new Conv2dParams(0, 1, 0, 0, 1, 1, 1));
    }

    // ---- pooling ------------------------------------------------------------------------------

    /** n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil, countIncludePad. */
    private static final int[][] POOL_CASES = {
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1},
        {1, 2, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
        {1, 2, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0},
        {2, 1, 10, 10, 3, 2, 3, 2, 1, 1, 2, 1, 0, 1},
        {1, 1, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1},
        {1, 2, 6, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1, 0},
        {1, 1, 9, 9, 3, 3, 2, 2, 1, 1, 2, 2, 1, 1},
    };

    @Test
    void poolingAndItsGradientsMatchDirectLoops() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (int[] k : POOL_CASES) {
                checkPool(dtype, k);
            }
        }
    }

    /** PyTorch's pooling_output_shape. */
    private static int outSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        int numerator = in + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        int out = Math.floorDiv(numerator, stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    private void checkPool(DType dtype, int[] k) {
        int n = k[0], c = k[1], h = k[2], w = k[3];
        Pool2dParams p = new Pool2dParams(k[4], k[5], k[6], k[7], k[8], k[9], k[10], k[11], k[12] == 1, k[13] == 1);
        int oh = outSize(h, p.kernelH(), p.padH(), p.strideH(), p.dilationH(), p.ceilMode());
        int ow = outSize(w, p.kernelW(), p.padW(), p.strideW(), p.dilationW(), p.ceilMode());
        double[] x = stored(dtype, random(n * c * h * w, 7));
        double[] max = new double[n * c * oh * ow];
        long[] arg = new long[max.length];
        double[] avg = new double[max.length];
        double[] divisor = new double[max.length];
        for (int plane = 0; plane < n * c; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double m = Double.NEGATIVE_INFINITY;
                    long a = -1;
                    double sum = 0;
                    int count = 0;
                    int h0 = y * p.strideH() - p.padH();
                    int w0 = xx * p.strideW() - p.padW();
                    for (int i = 0; i < p.kernelH(); i++) {
                        for (int j = 0; j < p.kernelW(); j++) {
                            int yy = h0 + i * p.dilationH();
                            int xq = w0 + j * p.dilationW();
                            if (yy < 0 || yy >= h || xq < 0 || xq >= w) {
                                continue;
                            }
                            double v = x[(plane * h + yy) * w + xq];
                            if (v > m) {
                                m = v;
                                a = (long) yy * w + xq;
                            }
                            sum += v;
                            count++;
                        }
                    }
                    int o = (plane * oh + y) * ow + xx;
                    max[o] = m;
                    arg[o] = a;
                    // avg_pool2d: the window clipped to the padded input, or to the input without count_include_pad
                    int hend = Math.min(h0 + p.kernelH(), h + p.padH());
                    int wend = Math.min(w0 + p.kernelW(), w + p.padW());
                    divisor[o] = p.countIncludePad() ? (hend - h0) * (wend - w0) : count;
                    avg[o] = sum / divisor[o];
                }
            }
        }
        Tolerance tol = dtype == DType.FLOAT64 ? DOUBLE : SINGLE;
        Tensor tx = tensor(dtype, x, n, c, h, w);
        double[] go = stored(dtype, random(max.length, 9));
        Tensor tgo = tensor(dtype, go, n, c, oh, ow);
        try (ValuesAndIndices r = NeuralOps.maxPool2d(tx, p)) {
            assertShape(r.values(), n, c, oh, ow);
            assertDType(dtype, r.values());
            assertDType(DType.INT64, r.indices());
            assertExactly(max, r.values());
            assertLongs(arg, r.indices());
            double[] gx = new double[x.length];
            for (int plane = 0; plane < n * c; plane++) {
                for (int o = 0; o < oh * ow; o++) {
                    gx[plane * h * w + (int) arg[plane * oh * ow + o]] += go[plane * oh * ow + o];
                }
            }
            assertClose(gx, NeuralOps.maxPool2dBackward(tgo, r.indices(), tx.shape(), p), tol);
        }
        if (p.dilationH() == 1 && p.dilationW() == 1) {
            Tensor pooled = NeuralOps.avgPool2d(tx, p);
            assertShape(pooled, n, c, oh, ow);
            assertClose(avg, pooled, tol);
            double[] gx = new double[x.length];
            for (int plane = 0; plane < n * c; plane++) {
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int o = (plane * oh + y) * ow + xx;
                        int h0 = y * p.strideH() - p.padH();
                        int w0 = xx * p.strideW() - p.padW();
                        for (int i = 0; i < p.kernelH(); i++) {
                            for (int j = 0; j < p.kernelW(); j++) {
                                int yy = h0 + i;
                                int xq = w0 + j;
                                if (yy >= 0 && yy < h && xq >= 0 && xq < w) {
                                    gx[(plane * h + yy) * w + xq] += go[o] / divisor[o];
                                }
                            }
                        }
                    }
                }
            }
            assertClose(gx, NeuralOps.avgPool2dBackward(tgo, tx.shape(), p), tol);
        }
    }

    @Test
    void maxPoolingHandWorked() {
        // F.max_pool2d(x, 2, 2, ceil_mode=True, return_indices=True) on a 3x3 plane with a tie and NaN-free values
        Tensor x = f64(new double[] {1, 5, 2, 5, 0, 3, 4, 4, 9}, 1, 1, 3, 3);
        Pool2dParams p = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, true, true);
        try (ValuesAndIndices r = NeuralOps.maxPool2d(x, p)) {
            assertShape(r.values(), 1, 1, 2, 2);
            assertExactly(new double[] {5, 3, 4, 9}, r.values());
            assertLongs(new long[] {1, 5, 6, 8}, r.indices()); // the first 5 (row-major) wins the tie
        }
        // without ceil mode the partial windows are dropped
        Pool2dParams floor = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true);
        try (ValuesAndIndices r = NeuralOps.maxPool2d(x, floor)) {
            assertShape(r.values(), 1, 1, 1, 1);
            assertEquals(5.0, r.values().item());
        }
        // a NaN in a window is its maximum, as in PyTorch
        Tensor withNaN = f64(new double[] {1, Double.NaN, 2, 3}, 1, 1, 2, 2);
        try (ValuesAndIndices r = NeuralOps.maxPool2d(withNaN, floor)) {
            assertExactly(new double[] {Double.NaN}, r.values().reshape(1));
            assertEquals(1, r.indices().itemLong());
        }
    }

    @Test
    void averagePoolingHandWorked() {
        // F.avg_pool2d(torch.arange(1., 10.).view(1, 1, 3, 3), 2, 2, padding=1, count_include_pad=True)
        //   -> [[1/4, (2+3)/4], [(4+7)/4, (5+6+8+9)/4]]
        Tensor x = f64(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor included = NeuralOps.avgPool2d(x, new Pool2dParams(2, 2, 2, 2, 1, 1, 1, 1, false, true));
        assertClose(new double[] {0.25, 1.25, 2.75, 7}, included, DOUBLE);
        // count_include_pad=False divides by the elements inside the input: [[1, 2.5], [5.5, 7]]
        Tensor excluded = NeuralOps.avgPool2d(x, new Pool2dParams(2, 2, 2, 2, 1, 1, 1, 1, false, false));
        assertClose(new double[] {1, 2.5, 5.5, 7}, excluded, DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.avgPool2d(x, new Pool2dParams(2, 2, 1, 1, 0, 0, 2, 2, false, true)));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.avgPool2d(i64(new long[] {1, 2, 3, 4}, 1, 1, 2, 2),
                new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true)));
    }

    // ---- cross-entropy ----------------------------------------------------------------------------

    /**
     * The cross-entropy of logits against class indices, {@code sum_n (max_n + log(sum_c exp(x - max_n)) -
     * x[n, t_n]) * scale}: rows of 37 classes (whole vectors and a tail at every width), one row spread so wide
     * that most of its probabilities underflow, the first and last class picked; and bad shapes and dtypes.
     */
    @Test
    void crossEntropyIsLogSumExpMinusThePickedLogit() {
        int rows = 4;
        int classes = 37;
        long[] target = {36, 0, 17, 5};
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] values = random(rows * classes, 21);
            for (int c = 0; c < classes; c++) {
                values[classes + c] *= 120;
            }
            double[] x = stored(dtype, values);
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                expected += Reference.logSumExp(x, r * classes, classes) - x[r * classes + (int) target[r]];
            }
            Tolerance tol = dtype == DType.FLOAT64 ? DOUBLE : SINGLE;
            // without a gradient the value comes from logsumexp (on backends with LogSumExpKernels); with one, from the kept log-softmax
            for (boolean gradient : new boolean[] {false, true}) {
                Tensor logits = tensor(dtype, x, rows, classes).requiresGrad_(gradient);
                assertClose(new double[] {expected}, NeuralOps.crossEntropy(logits, i64(target, rows), 1.0).detach().reshape(1), tol);
                assertClose(new double[] {expected / rows},
                        NeuralOps.crossEntropy(logits, i64(target, rows), 1.0 / rows).detach().reshape(1), tol);
            }
        }
        Tensor logits = tensor(DType.FLOAT32, random(6, 22), 2, 3);
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.crossEntropy(logits.reshape(6), i64(new long[] {0}, 1), 1));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.crossEntropy(logits, i64(new long[] {0, 1, 2}, 3), 1));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.crossEntropy(logits, tensor(DType.FLOAT32, new double[] {0, 1}, 2), 1));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.crossEntropy(i64(new long[] {1, 2}, 1, 2), i64(new long[] {0}, 1), 1));
    }

    // ---- softmax gradients --------------------------------------------------------------------

    @Test
    void softmaxGradientsMatchTheirDefinitions() {
        int rows = 3;
        int cols = 5;
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] x = stored(dtype, random(rows * cols, 13));
            double[] g = stored(dtype, random(rows * cols, 14));
            for (int dim : new int[] {1, 0}) {
                int lines = dim == 1 ? rows : cols;
                int length = dim == 1 ? cols : rows;
                double[] softGrad = new double[x.length];
                double[] logSoftGrad = new double[x.length];
                for (int line = 0; line < lines; line++) {
                    int[] at = new int[length];
                    for (int i = 0; i < length; i++) {
                        at[i] = dim == 1 ? line * cols + i : i * cols + line;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i : at) {
                        max = Math.max(max, x[i]);
                    }
                    double sum = 0;
                    for (int i : at) {
                        sum += Math.exp(x[i] - max);
                    }
                    double dotGY = 0;
                    double sumG = 0;
                    for (int i : at) {
                        dotGY += g[i] * Math.exp(x[i] - max) / sum;
                        sumG += g[i];
                    }
                    for (int i : at) {
                        double y = Math.exp(x[i] - max) / sum;
                        softGrad[i] = y * (g[i] - dotGY);        // d softmax: y * (g - sum(g * y))
                        logSoftGrad[i] = g[i] - y * sumG;        // d log_softmax: g - softmax * sum(g)
                    }
                }
                Tensor tx = tensor(dtype, x, rows, cols);
                Tensor tg = tensor(dtype, g, rows, cols);
                Tolerance tol = dtype == DType.FLOAT64 ? DOUBLE : SINGLE;
                Tensor soft = NeuralOps.softmaxBackward(tg, tx.softmax(dim), dim);
                assertShape(soft, rows, cols);
                assertClose(softGrad, soft, tol);
                assertClose(logSoftGrad, NeuralOps.logSoftmaxBackward(tg, tx.logSoftmax(dim), dim), tol);
                assertClose(softGrad, NeuralOps.softmaxBackward(tg, tx.softmax(dim - 2), dim - 2), tol);
            }
        }
    }

    /**
     * ReLU's gradient passes where the output is positive: not at 0, -0 or NaN outputs, and a NaN or infinite
     * gradient passes as it is; over 40 elements (whole vectors and a tail), dense and with the gradient
     * transposed, in every floating dtype.
     */
    @Test
    void reluBackwardPassesTheGradientWhereTheOutputIsPositive() {
        double[] special = {1, 0, -0.0, -2, Double.NaN, Double.POSITIVE_INFINITY, 3, 0.5};
        double[] grads = {0.25, 7, -3, 2, 5, -1.5, Double.NaN, Double.NEGATIVE_INFINITY};
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16}) {
            double[] out = new double[40];
            double[] g = stored(dtype, random(40, 9));
            for (int i = 0; i < 40; i++) {
                out[i] = i < special.length ? special[i] : Math.max(0, g[(i * 7) % 40]);
                if (i < grads.length) {
                    g[i] = grads[i];
                }
            }
            double[] expected = new double[40];
            for (int i = 0; i < 40; i++) {
                expected[i] = out[i] > 0 ? g[i] : 0;
            }
            Tensor y = tensor(dtype, out, 5, 8);
            assertExactly(expected, NeuralOps.reluBackward(tensor(dtype, g, 5, 8), y));
            double[] gt = new double[40];
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 8; c++) {
                    gt[c * 5 + r] = g[r * 8 + c];
                }
            }
            assertExactly(expected, NeuralOps.reluBackward(tensor(dtype, gt, 8, 5).transpose(0, 1), y));
        }
    }

    @Test
    void poolingRejectsBadInput() {
        Pool2dParams p = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true);
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.maxPool2d(zeros(DType.FLOAT32, 2, 4, 4), p));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.maxPool2d(zeros(DType.FLOAT32, 1, 1, 1, 1), p));
        assertThrows(IllegalArgumentException.class, () -> new Pool2dParams(2, 2, 2, 2, 2, 0, 1, 1, false, true));
        assertThrows(IllegalArgumentException.class, () -> NeuralOps.avgPool2dBackward(zeros(DType.FLOAT32, 1, 1, 3, 3), Shape.of(1, 1, 4, 4), p));
    }
}
