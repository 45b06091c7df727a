package ignis.nn;

import static ignis.nn.NnTesting.assertClose;
import static ignis.nn.NnTesting.f64;
import static ignis.nn.NnTesting.leaf;
import static ignis.nn.NnTesting.numel;
import static ignis.nn.NnTesting.set;
import static ignis.nn.NnTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.autograd.GradCheck;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each layer's forward against plain float64 loops, and the gradients of the composed ones by gradcheck. */
class LayerTest {

    private final Random rng = new Random(1234);

    // ---- linear and convolution ---------------------------------------------------------------

    @Test
    void linearMatchesLoops() {
        try (var scope = Tensors.scope(); Linear linear = new Linear(3, 2, true, DType.FLOAT64, Device.CPU)) {
            double[] w = uniform(rng, 6, -1, 1);
            double[] b = {0.25, -0.5};
            double[] x = uniform(rng, 12, -2, 2); // [2, 2, 3]: extra batch dims broadcast
            set(linear.weight(), w);
            set(linear.bias(), b);
            double[] expected = new double[8];
            for (int r = 0; r < 4; r++) {
                for (int o = 0; o < 2; o++) {
                    double s = b[o];
                    for (int i = 0; i < 3; i++) {
                        s += x[r * 3 + i] * w[o * 3 + i];
                    }
                    expected[r * 2 + o] = s;
                }
            }
            Tensor y = linear.forward(f64(x, 2, 2, 3));
            assertEquals(Shape.of(2, 2, 2), y.shape());
            assertClose(expected, y, 1e-12);
        }
    }

    /** The convolution PyTorch defines, as loops: out[n][oc][i][j] = b[oc] + sum x[n][g*cg+c][i*s-p+kh*d][j*s-p+kw*d] w[oc][c][kh][kw]. */
    static double[] conv2dLoops(double[] x, long[] xs, double[] w, long[] ws, double[] b, int[] stride, int[] pad, int[] dil, int groups) {
        int n = (int) xs[0], c = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int oc = (int) ws[0], cg = (int) ws[1], kh = (int) ws[2], kw = (int) ws[3];
        int oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
        int ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        int ocg = oc / groups;
        double[] out = new double[n * oc * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int o = 0; o < oc; o++) {
                int g = o / ocg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = b == null ? 0 : b[o];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int a = 0; a < kh; a++) {
                                for (int e = 0; e < kw; e++) {
                                    int r = i * stride[0] - pad[0] + a * dil[0];
                                    int q = j * stride[1] - pad[1] + e * dil[1];
                                    if (r < 0 || r >= h || q < 0 || q >= wd) {
                                        continue;
                                    }
                                    int channel = g * cg + ci;
                                    s += x[((in * c + channel) * h + r) * wd + q] * w[((o * cg + ci) * kh + a) * kw + e];
                                }
                            }
                        }
                        out[((in * oc + o) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void conv2dMatchesLoopsWithStridePaddingDilationAndGroups() {
        try (var scope = Tensors.scope();
             Conv2d conv = new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2, true,
                     DType.FLOAT64, Device.CPU)) {
            long[] xs = {2, 4, 7, 6};
            long[] ws = {6, 2, 3, 2};
            double[] x = uniform(rng, numel(xs), -1, 1);
            double[] w = uniform(rng, numel(ws), -1, 1);
            double[] b = uniform(rng, 6, -1, 1);
            set(conv.weight(), w);
            set(conv.bias(), b);
            double[] expected = conv2dLoops(x, xs, w, ws, b, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2);
            Tensor y = conv.forward(f64(x, xs));
            assertEquals(Shape.of(2, 6, 4, 8), y.shape());
            assertClose(expected, y, 1e-12);
            Tensor unbatched = conv.forward(f64(x, xs).select(0, 1));
            assertEquals(Shape.of(6, 4, 8), unbatched.shape());
            assertClose(java.util.Arrays.copyOfRange(expected, expected.length / 2, expected.length), unbatched, 1e-12);
        }
    }

    @Test
    void conv2dWithoutBias() {
        try (var scope = Tensors.scope(); Conv2d conv = new Conv2d(1, 1, 2, 1, 0, 1, 1, false)) {
            set(conv.weight(), new double[] {1, 2, 3, 4});
            Tensor x = Tensors.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
            // [[1,2,3],[4,5,6],[7,8,9]] with [[1,2],[3,4]]: 1+4+12+20=37, 2+6+15+24=47, 67, 77
            assertClose(new double[] {37, 47, 67, 77}, conv.forward(x), 0);
        }
    }

    @Test
    void conv1dIsAUnitHeightConv2d() {
        try (var scope = Tensors.scope();
             Conv1d conv = new Conv1d(4, 2, 3, 2, 1, 2, 2, true, DType.FLOAT64, Device.CPU)) {
            long[] xs = {2, 4, 9};
            double[] x = uniform(rng, numel(xs), -1, 1);
            double[] w = uniform(rng, 2 * 2 * 3, -1, 1);
            double[] b = {0.1, -0.2};
            set(conv.weight(), w);
            set(conv.bias(), b);
            double[] expected = conv2dLoops(x, new long[] {2, 4, 1, 9}, w, new long[] {2, 2, 1, 3}, b,
                    new int[] {1, 2}, new int[] {0, 1}, new int[] {1, 2}, 2);
            Tensor y = conv.forward(f64(x, xs));
            assertEquals(Shape.of(2, 2, 4), y.shape()); // (9 + 2 - 2*2 - 1) / 2 + 1 = 4
            assertClose(expected, y, 1e-12);
            assertEquals(Shape.of(2, 4), conv.forward(f64(x, xs).select(0, 0)).shape());
        }
    }

    @Test
    void conv2dGradientsWithStridePaddingDilationAndGroups() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(uniform(rng, 2 * 4 * 7 * 6, -1, 1), 2, 4, 7, 6);
            Tensor w = leaf(uniform(rng, 6 * 2 * 3 * 2, -1, 1), 6, 2, 3, 2);
            Tensor b = leaf(uniform(rng, 6, -1, 1), 6);
            GradCheck.check(t -> Functional.conv2d(t[0], t[1], t[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 1}, 2), x, w, b);
            // depthwise (groups = in_channels), dilated, no bias
            Tensor depthwiseX = leaf(uniform(rng, 4 * 5 * 5, -1, 1), 1, 4, 5, 5);
            Tensor depthwiseW = leaf(uniform(rng, 8 * 3 * 3, -1, 1), 8, 1, 3, 3);
            GradCheck.check(t -> Functional.conv2d(t[0], t[1], null, new int[] {1}, new int[] {1}, new int[] {2}, 4), depthwiseX, depthwiseW);
            Tensor x1 = leaf(uniform(rng, 2 * 4 * 9, -1, 1), 2, 4, 9);
            Tensor w1 = leaf(uniform(rng, 4 * 2 * 3, -1, 1), 4, 2, 3);
            GradCheck.check(t -> Functional.conv1d(t[0], t[1], null, 2, 2, 2, 2), x1, w1);
        }
    }

    /** x [n, c, h, w] with zeros added: {@code top} rows above, {@code bottom} below, {@code left} and {@code right} columns. */
    static double[] zeroPadded(double[] x, long[] xs, int top, int bottom, int left, int right) {
        int h = (int) xs[2], w = (int) xs[3], ph = h + top + bottom, pw = w + left + right;
        double[] out = new double[(int) (xs[0] * xs[1]) * ph * pw];
        for (int plane = 0; plane < xs[0] * xs[1]; plane++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, (plane * h + i) * w, out, (plane * ph + i + top) * pw + left, w);
            }
        }
        return out;
    }

    /**
     * padding="same" keeps the spatial size: a kernel of 4 rows needs 3 zeros, one above and two below (PyTorch puts the odd
     * one at the end); 3 columns dilated by 2 need 4, two on each side. "valid" pads nothing.
     */
    @Test
    void conv2dPaddingByName() {
        try (var scope = Tensors.scope();
             Conv2d same = new Conv2d(2, 3, new int[] {4, 3}, new int[] {1}, "same", new int[] {1, 2}, 1, true, DType.FLOAT64, Device.CPU);
             Conv2d valid = new Conv2d(2, 3, new int[] {4, 3}, new int[] {1}, "valid", new int[] {1, 2}, 1, true, DType.FLOAT64, Device.CPU)) {
            long[] xs = {2, 2, 6, 7};
            long[] ws = {3, 2, 4, 3};
            double[] x = uniform(rng, numel(xs), -1, 1);
            double[] w = uniform(rng, numel(ws), -1, 1);
            double[] b = uniform(rng, 3, -1, 1);
            for (Conv2d conv : new Conv2d[] {same, valid}) {
                set(conv.weight(), w);
                set(conv.bias(), b);
            }
            double[] padded = zeroPadded(x, xs, 1, 2, 2, 2);
            double[] expected = conv2dLoops(padded, new long[] {2, 2, 9, 11}, w, ws, b, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 2}, 1);
            Tensor y = same.forward(f64(x, xs));
            assertEquals(Shape.of(2, 3, 6, 7), y.shape());
            assertClose(expected, y, 1e-12);
            assertClose(conv2dLoops(x, xs, w, ws, b, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 2}, 1), valid.forward(f64(x, xs)), 1e-12);
            assertTrue(same.toString().contains("padding=same"), same.toString());
            assertTrue(valid.toString().contains("padding=valid"), valid.toString());
        }
    }

    /** A kernel of 2 needs one zero, after the sequence; gradients through the padding by name. */
    @Test
    void conv1dPaddingByNameAndGradients() {
        try (var scope = Tensors.scope(); Conv1d conv = new Conv1d(2, 3, 2, 1, "same", 1, 1, true, DType.FLOAT64, Device.CPU)) {
            double[] x = uniform(rng, 2 * 2 * 5, -1, 1);
            double[] w = uniform(rng, 3 * 2 * 2, -1, 1);
            double[] b = uniform(rng, 3, -1, 1);
            set(conv.weight(), w);
            set(conv.bias(), b);
            double[] padded = zeroPadded(x, new long[] {2, 2, 1, 5}, 0, 0, 0, 1);
            double[] expected = conv2dLoops(padded, new long[] {2, 2, 1, 6}, w, new long[] {3, 2, 1, 2}, b, new int[] {1, 1}, new int[] {0, 0},
                    new int[] {1, 1}, 1);
            Tensor y = conv.forward(f64(x, 2, 2, 5));
            assertEquals(Shape.of(2, 3, 5), y.shape());
            assertClose(expected, y, 1e-12);

            Tensor x1 = leaf(x, 2, 2, 5);
            Tensor w1 = leaf(w, 3, 2, 2);
            GradCheck.check(t -> Functional.conv1d(t[0], t[1], null, 1, "same", 2, 1), x1, w1);
            Tensor x2 = leaf(uniform(rng, 2 * 4 * 5 * 6, -1, 1), 2, 4, 5, 6);
            Tensor w2 = leaf(uniform(rng, 4 * 2 * 2 * 3, -1, 1), 4, 2, 2, 3);
            Tensor b2 = leaf(uniform(rng, 4, -1, 1), 4);
            GradCheck.check(t -> Functional.conv2d(t[0], t[1], t[2], new int[] {1}, "same", new int[] {1, 2}, 2), x2, w2, b2);
        }
    }

    @Test
    void paddingByNameRejectsStridesAndUnknownNames() {
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 1, new int[] {3}, new int[] {2}, "same", new int[] {1}, 1, true, DType.FLOAT32, Device.CPU));
        assertEquals("Conv2d: padding='same' is not supported for strided convolutions (stride [2, 2])", strided.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new Conv1d(1, 1, 3, "full"));
        assertEquals("Conv1d: invalid padding string 'full', should be one of 'valid' or 'same'", unknown.getMessage());
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.zeros(1, 1, 5, 5);
            Tensor w = Tensors.zeros(1, 1, 3, 3);
            IllegalArgumentException functional = assertThrows(IllegalArgumentException.class,
                    () -> Functional.conv2d(x, w, null, new int[] {1, 2}, "same", new int[] {1}, 1));
            assertTrue(functional.getMessage().startsWith("conv2d: padding='same' is not supported"), functional.getMessage());
        }
    }

    @Test
    void conv1dGradients() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(uniform(rng, 2 * 2 * 5, -1, 1), 2, 2, 5);
            Tensor w = leaf(uniform(rng, 3 * 2 * 2, -1, 1), 3, 2, 2);
            Tensor b = leaf(uniform(rng, 3, -1, 1), 3);
            GradCheck.check(t -> Functional.conv1d(t[0], t[1], t[2], 2, 1, 1, 1), x, w, b);
        }
    }

    // ---- pooling ------------------------------------------------------------------------------

    @Test
    void maxPool2dMatchesLoops() {
        try (var scope = Tensors.scope()) {
            long[] xs = {2, 3, 7, 6};
            double[] x = uniform(rng, numel(xs), -1, 1);
            int k = 3, s = 2, p = 1;
            int oh = (7 + 2 * p - k) / s + 1, ow = (6 + 2 * p - k) / s + 1;
            double[] expected = new double[2 * 3 * oh * ow];
            for (int plane = 0; plane < 6; plane++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int a = 0; a < k; a++) {
                            for (int e = 0; e < k; e++) {
                                int r = i * s - p + a, q = j * s - p + e;
                                if (r >= 0 && r < 7 && q >= 0 && q < 6) {
                                    m = Math.max(m, x[plane * 42 + r * 6 + q]);
                                }
                            }
                        }
                        expected[(plane * oh + i) * ow + j] = m;
                    }
                }
            }
            try (MaxPool2d pool = new MaxPool2d(k, s, p)) {
                Tensor y = pool.forward(f64(x, xs));
                assertEquals(Shape.of(2, 3, oh, ow), y.shape());
                assertClose(expected, y, 0);
            }
            assertEquals(Shape.of(3, 3, 3), new MaxPool2d(2).forward(f64(x, xs).select(0, 0)).shape());
        }
    }

    @Test
    void avgPool2dMatchesLoopsWithPadding() {
        try (var scope = Tensors.scope()) {
            long[] xs = {1, 2, 5, 5};
            double[] x = uniform(rng, numel(xs), -1, 1);
            int k = 3, s = 2, p = 1, h = 5, w = 5;
            int oh = (h + 2 * p - k) / s + 1;
            for (boolean includePad : new boolean[] {true, false}) {
                double[] expected = new double[2 * oh * oh];
                for (int plane = 0; plane < 2; plane++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < oh; j++) {
                            int h0 = i * s - p, w0 = j * s - p;
                            int h1 = Math.min(h0 + k, h + p), w1 = Math.min(w0 + k, w + p);
                            int divisor = (h1 - h0) * (w1 - w0);
                            double sum = 0;
                            int inside = 0;
                            for (int r = Math.max(h0, 0); r < Math.min(h1, h); r++) {
                                for (int q = Math.max(w0, 0); q < Math.min(w1, w); q++) {
                                    sum += x[plane * 25 + r * 5 + q];
                                    inside++;
                                }
                            }
                            expected[(plane * oh + i) * oh + j] = sum / (includePad ? divisor : inside);
                        }
                    }
                }
                try (AvgPool2d pool = new AvgPool2d(new int[] {k}, new int[] {s}, new int[] {p}, false, includePad)) {
                    assertClose(expected, pool.forward(f64(x, xs)), 1e-12);
                }
            }
        }
    }

    @Test
    void adaptiveAvgPool2dUsesPyTorchsWindows() {
        try (var scope = Tensors.scope()) {
            long[] xs = {2, 3, 5, 7};
            double[] x = uniform(rng, numel(xs), -1, 1);
            int oh = 3, ow = 4, h = 5, w = 7;
            double[] expected = new double[6 * oh * ow];
            for (int plane = 0; plane < 6; plane++) {
                for (int i = 0; i < oh; i++) {
                    int r0 = Math.floorDiv(i * h, oh), r1 = Math.ceilDiv((i + 1) * h, oh);
                    for (int j = 0; j < ow; j++) {
                        int q0 = Math.floorDiv(j * w, ow), q1 = Math.ceilDiv((j + 1) * w, ow);
                        double sum = 0;
                        for (int r = r0; r < r1; r++) {
                            for (int q = q0; q < q1; q++) {
                                sum += x[plane * h * w + r * w + q];
                            }
                        }
                        expected[(plane * oh + i) * ow + j] = sum / ((r1 - r0) * (q1 - q0));
                    }
                }
            }
            try (AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(oh, ow)) {
                Tensor y = pool.forward(f64(x, xs));
                assertEquals(Shape.of(2, 3, 3, 4), y.shape());
                assertClose(expected, y, 1e-12);
            }
            // Output size 1 is global average pooling; a larger output than input repeats cells.
            Tensor global = Functional.adaptiveAvgPool2d(f64(x, xs), 1);
            assertClose(NnTesting.mean(java.util.Arrays.copyOfRange(x, 0, 35)), global.toDoubleArray()[0], 1e-12);
            assertEquals(Shape.of(3, 10, 14), Functional.adaptiveAvgPool2d(f64(x, xs).select(0, 0), 10, 14).shape());
            Tensor input = leaf(uniform(rng, 2 * 5 * 4, -1, 1), 1, 2, 5, 4);
            GradCheck.check(t -> Functional.adaptiveAvgPool2d(t[0], 3, 3), input);
        }
    }

    // ---- layer norm and embedding -------------------------------------------------------------

    @Test
    void layerNormMatchesLoopsAndHasTheRightGradient() {
        try (var scope = Tensors.scope();
             LayerNorm norm = new LayerNorm(new long[] {2, 3}, 1e-5, true, true, DType.FLOAT64, Device.CPU)) {
            double[] x = uniform(rng, 4 * 6, -2, 2);
            double[] gamma = uniform(rng, 6, 0.5, 1.5);
            double[] beta = uniform(rng, 6, -0.5, 0.5);
            set(norm.weight(), gamma);
            set(norm.bias(), beta);
            double[] expected = new double[24];
            for (int r = 0; r < 4; r++) {
                double[] row = java.util.Arrays.copyOfRange(x, r * 6, r * 6 + 6);
                double m = NnTesting.mean(row), v = NnTesting.variance(row);
                for (int i = 0; i < 6; i++) {
                    expected[r * 6 + i] = (row[i] - m) / Math.sqrt(v + 1e-5) * gamma[i] + beta[i];
                }
            }
            assertClose(expected, norm.forward(f64(x, 4, 2, 3)), 1e-12);
            Tensor input = leaf(uniform(rng, 3 * 4, -2, 2), 3, 4);
            Tensor w = leaf(uniform(rng, 4, 0.5, 1.5), 4);
            Tensor b = leaf(uniform(rng, 4, -1, 1), 4);
            GradCheck.check(t -> Functional.layerNorm(t[0], new long[] {4}, t[1], t[2], 1e-5), input, w, b);
        }
    }

    @Test
    void embeddingLooksUpRowsAndThePaddingRowGetsNoGradient() {
        try (var scope = Tensors.scope(); Embedding embedding = new Embedding(5, 2, 1L, DType.FLOAT64, Device.CPU)) {
            assertArrayEquals(new double[] {0, 0}, embedding.weight().select(0, 1).toDoubleArray(), "the padding row starts at zero");
            double[] w = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            set(embedding.weight(), w);
            Tensor indices = Tensors.of(new long[] {4, 1, 0, 1, 3, 3}, 2, 3);
            Tensor y = embedding.forward(indices);
            assertEquals(Shape.of(2, 3, 2), y.shape());
            assertClose(new double[] {8, 9, 2, 3, 0, 1, 2, 3, 6, 7, 6, 7}, y, 0);
            y.sum().backward();
            assertClose(new double[] {1, 1, 0, 0, 0, 0, 2, 2, 1, 1}, embedding.weight().grad(), 0);
            Tensor weight = leaf(uniform(rng, 10, -1, 1), 5, 2);
            GradCheck.check(t -> Functional.embedding(Tensors.of(new int[] {0, 2, 2, 4}), t[0]), weight);
        }
    }

    @Test
    void embeddingFromPretrainedIsFrozen() {
        try (var scope = Tensors.scope();
             Embedding e = Embedding.fromPretrained(Tensors.of(new float[] {1, 2, 3, 4}, 2, 2), true)) {
            assertEquals(false, e.weight().requiresGrad());
            assertClose(new double[] {3, 4}, e.forward(Tensors.scalar(1L)), 0);
        }
    }

    // ---- shape layers and activations ---------------------------------------------------------

    @Test
    void flattenAndIdentity() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.zeros(2, 3, 4, 5);
            assertEquals(Shape.of(2, 60), new Flatten().forward(x).shape());
            assertEquals(Shape.of(2, 12, 5), new Flatten(1, 2).forward(x).shape());
            Tensor same = new Identity().forward(x);
            assertEquals(x.shape(), same.shape());
            assertEquals(true, same.sharesMemoryWith(x));
        }
    }

    @Test
    void activationsMatchTheirFormulas() {
        double[] x = {-3, -1.5, -0.5, 0, 0.5, 1, 2, 4};
        try (var scope = Tensors.scope()) {
            Tensor t = f64(x, 8);
            assertClose(map(x, v -> Math.max(v, 0)), new ReLU().forward(t), 0);
            assertClose(map(x, v -> v > 0 ? v : 0.2 * v), new LeakyReLU(0.2).forward(t), 1e-15);
            assertClose(map(x, v -> v / (1 + Math.exp(-v))), new SiLU().forward(t), 1e-14);
            assertClose(map(x, v -> 1 / (1 + Math.exp(-v))), new Sigmoid().forward(t), 1e-14);
            assertClose(map(x, Math::tanh), new Tanh().forward(t), 1e-14);
            double k = Math.sqrt(2 / Math.PI);
            assertClose(map(x, v -> 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v)))), new GELU("tanh").forward(t), 1e-12);
            // x * Phi(x) with Phi from tables: Phi(1) = 0.8413447460685429, Phi(-0.5) = 0.3085375387259869, Phi(2) = 0.9772498680518208
            Tensor exact = new GELU().forward(f64(new double[] {1, -0.5, 2, 0}, 4));
            assertClose(new double[] {0.8413447460685429, -0.5 * 0.3085375387259869, 2 * 0.9772498680518208, 0}, exact, 1e-12);
            double[] logits = {1, 2, 3, -1, 0, 1};
            double z1 = Math.exp(1) + Math.exp(2) + Math.exp(3), z2 = Math.exp(-1) + 1 + Math.exp(1);
            double[] softmax = {Math.exp(1) / z1, Math.exp(2) / z1, Math.exp(3) / z1, Math.exp(-1) / z2, 1 / z2, Math.exp(1) / z2};
            assertClose(softmax, new Softmax(1).forward(f64(logits, 2, 3)), 1e-14);
            assertClose(map(softmax, Math::log), new LogSoftmax(-1).forward(f64(logits, 2, 3)), 1e-14);
            assertClose(map(x, v -> Math.log(1 / (1 + Math.exp(-v)))), Functional.logSigmoid(t), 1e-14);
        }
    }

    @Test
    void composedActivationsHaveTheRightGradients() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new double[] {-2, -0.7, -0.3, 0.4, 0.9, 1.7}, 6);
            GradCheck.check(t -> Functional.leakyRelu(t[0], 0.1), x);
            GradCheck.check(t -> Functional.silu(t[0]), x);
            GradCheck.check(t -> Functional.logSigmoid(t[0]), x);
            GradCheck.check(t -> Functional.gelu(t[0], "tanh"), x);
            GradCheck.check(t -> Functional.gelu(t[0], "none"), x);
            Tensor zero = leaf(new double[] {0}, 1);
            Functional.logSigmoid(zero).sum().backward();
            assertClose(new double[] {0.5}, zero.grad(), 1e-15); // d/dx log sigmoid(x) = 1 - sigmoid(x), 1/2 at 0
            Tensor big = leaf(new double[] {-800, 800}, 2);
            Tensor logSig = Functional.logSigmoid(big);
            assertClose(new double[] {-800, 0}, logSig, 1e-12);
            logSig.sum().backward();
            assertClose(new double[] {1, 0}, big.grad(), 1e-12);
            // log sigmoid(+inf) = log 1 = 0 and log sigmoid(-inf) = -inf, as torch 1.13's logsigmoid; gradients 0 and 1
            Tensor infinite = leaf(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, 2);
            Tensor logSigInf = Functional.logSigmoid(infinite);
            assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY}, logSigInf.toDoubleArray());
            logSigInf.sum().backward();
            assertClose(new double[] {0, 1}, infinite.grad(), 0);
        }
    }

    @Test
    void activationsTakeIntegersWhereTorchDoes() {
        try (var scope = Tensors.scope()) {
            for (DType dtype : new DType[] {DType.INT64, DType.INT32, DType.BOOL}) {
                Tensor x = Tensors.of(new long[] {-2, 0, 3}).to(dtype);
                // torch 1.13 on int64, int32 and bool: "leaky_relu_cpu" / "GeluKernelImpl" / "silu_cpu" / "log_sigmoid_cpu" /
                // "softmax_lastdim_kernel_impl" / "log_softmax_lastdim_kernel_impl" not implemented for 'Long', 'Int', 'Bool'
                refuses("leakyRelu", dtype, () -> Functional.leakyRelu(x));
                refuses("leakyRelu", dtype, () -> new LeakyReLU(0.2).forward(x));
                refuses("gelu", dtype, () -> Functional.gelu(x));
                refuses("gelu", dtype, () -> Functional.gelu(x, "tanh"));
                refuses("gelu", dtype, () -> new GELU().forward(x));
                refuses("silu", dtype, () -> Functional.silu(x));
                refuses("silu", dtype, () -> new SiLU().forward(x));
                refuses("logSigmoid", dtype, () -> Functional.logSigmoid(x));
                refuses("softmax", dtype, () -> new Softmax(0).forward(x));
                refuses("logSoftmax", dtype, () -> new LogSoftmax(0).forward(x));
            }
            // torch 1.13: sigmoid and tanh of int64 [-2, 0, 3] give float32; relu keeps int64 (and refuses bool)
            Tensor ints = Tensors.of(new long[] {-2, 0, 3});
            Tensor sigmoid = new Sigmoid().forward(ints);
            assertEquals(DType.FLOAT32, sigmoid.dtype());
            assertClose(new double[] {0.11920291930437088, 0.5, 0.9525741338729858}, sigmoid, 1e-7);
            Tensor tanh = new Tanh().forward(ints);
            assertEquals(DType.FLOAT32, tanh.dtype());
            assertClose(new double[] {-0.9640275835990906, 0.0, 0.9950547814369202}, tanh, 1e-7);
            Tensor relu = new ReLU().forward(ints);
            assertEquals(DType.INT64, relu.dtype());
            assertArrayEquals(new long[] {0, 0, 3}, relu.toLongArray());
            // torch 1.13, bool [True, False, True]: sigmoid [0.7310585975646973, 0.5, 0.7310585975646973] in float32
            Tensor bools = Tensors.of(new long[] {1, 0, 1}).to(DType.BOOL);
            assertClose(new double[] {0.7310585975646973, 0.5, 0.7310585975646973}, Functional.sigmoid(bools), 1e-7);
            assertThrows(IllegalArgumentException.class, () -> Functional.relu(bools));
        }
    }

    private static void refuses(String op, DType dtype, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(op) && e.getMessage().contains(dtype.toString()), e.getMessage());
    }

    private static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        return java.util.Arrays.stream(x).map(f).toArray();
    }
}
