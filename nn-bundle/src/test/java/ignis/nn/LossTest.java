package ignis.nn;

import static ignis.nn.NnTesting.assertClose;
import static ignis.nn.NnTesting.f64;
import static ignis.nn.NnTesting.leaf;
import static ignis.nn.NnTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.autograd.Autograd;
import ignis.autograd.GradCheck;
import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every loss against PyTorch's formula written as plain loops (weights, ignore_index and label
 * smoothing included), in each reduction, and its gradient by gradcheck.
 */
class LossTest {

    private final Random rng = new Random(7);

    /** The loss reduced as PyTorch: per element, mean or sum. */
    private static double[] reduce(double[] perElement, Reduction reduction) {
        double sum = 0;
        for (double v : perElement) {
            sum += v;
        }
        return switch (reduction) {
            case NONE -> perElement;
            case SUM -> new double[] {sum};
            case MEAN -> new double[] {sum / perElement.length};
        };
    }

    private static double[] elementwise(double[] x, double[] y, DoubleBinaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i], y[i]);
        }
        return out;
    }

    // ---- regression losses --------------------------------------------------------------------

    @Test
    void regressionLossesMatchTheirFormulas() {
        double[] x = {-2, -0.9, -0.3, 0.1, 0.45, 1.2, 2.5, 3};
        double[] y = {0.5, -0.4, 0.2, 0.0, 1.4, 1.1, 0.2, -0.5};
        double beta = 0.8;
        double delta = 1.5;
        try (var scope = Tensors.scope()) {
            Tensor input = f64(x, 2, 4);
            Tensor target = f64(y, 2, 4);
            for (Reduction r : Reduction.values()) {
                assertClose(reduce(elementwise(x, y, (a, b) -> (a - b) * (a - b)), r), Functional.mseLoss(input, target, r), 1e-14);
                assertClose(reduce(elementwise(x, y, (a, b) -> Math.abs(a - b)), r), Functional.l1Loss(input, target, r), 1e-14);
                assertClose(reduce(elementwise(x, y, (a, b) -> Math.abs(a - b) < beta ? 0.5 * (a - b) * (a - b) / beta
                        : Math.abs(a - b) - 0.5 * beta), r), Functional.smoothL1Loss(input, target, r, beta), 1e-14);
                assertClose(reduce(elementwise(x, y, (a, b) -> Math.abs(a - b) < delta ? 0.5 * (a - b) * (a - b)
                        : delta * (Math.abs(a - b) - 0.5 * delta)), r), Functional.huberLoss(input, target, r, delta), 1e-14);
            }
            assertClose(Functional.l1Loss(input, target).item(), Functional.smoothL1Loss(input, target, Reduction.MEAN, 0).item(), 0);
            assertEquals(Functional.mseLoss(input, target, Reduction.SUM).item(),
                    new MSELoss("sum").forward(input, target).item());
            assertEquals(Functional.huberLoss(input, target, Reduction.MEAN, 1.5).item(),
                    new HuberLoss(Reduction.MEAN, 1.5).forward(input, target).item());
            // smooth L1 and Huber: Huber(delta) = delta * SmoothL1(beta = delta)
            assertClose(1.5 * Functional.smoothL1Loss(input, target, Reduction.SUM, 1.5).item(),
                    Functional.huberLoss(input, target, Reduction.SUM, 1.5).item(), 1e-14);
        }
    }

    @Test
    void regressionLossGradients() {
        try (var scope = Tensors.scope()) {
            // differences kept away from the kinks at 0, beta and delta
            Tensor input = leaf(new double[] {-2, -0.9, 0.35, 1.9, 2.6, 0.05}, 2, 3);
            Tensor target = leaf(new double[] {0.5, -0.4, 0.0, 1.4, 0.2, 0.9}, 2, 3);
            for (Reduction r : Reduction.values()) {
                GradCheck.check(t -> Functional.mseLoss(t[0], t[1], r), input, target);
                GradCheck.check(t -> Functional.l1Loss(t[0], t[1], r), input, target);
                GradCheck.check(t -> Functional.smoothL1Loss(t[0], t[1], r, 0.8), input, target);
                GradCheck.check(t -> Functional.huberLoss(t[0], t[1], r, 1.5), input, target);
            }
        }
    }

    // ---- classification -----------------------------------------------------------------------

    /** log_softmax over the classes of x [N, C, D] (class dim 1), in plain Java. */
    private static double[] logSoftmax(double[] x, int n, int c, int d) {
        double[] out = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, x[(i * c + j) * d + k]);
                }
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += Math.exp(x[(i * c + j) * d + k] - max);
                }
                double lse = max + Math.log(sum);
                for (int j = 0; j < c; j++) {
                    out[(i * c + j) * d + k] = x[(i * c + j) * d + k] - lse;
                }
            }
        }
        return out;
    }

    /**
     * PyTorch's cross-entropy with class indices, as loops: per element
     * {@code (1-eps) * w[t] * -logp[t] + eps/C * sum_c w[c] * -logp[c]}, 0 where ignored; the mean
     * divides both terms by the sum of {@code w[t]} over the non-ignored elements.
     */
    private static double[] crossEntropyLoops(double[] logits, long[] target, int n, int c, int d, double[] weight, long ignore,
                                              Reduction reduction, double eps) {
        double[] logp = logSoftmax(logits, n, c, d);
        double[] perElement = new double[n * d];
        double weightSum = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                long t = target[i * d + k];
                if (t == ignore) {
                    continue;
                }
                double wt = weight == null ? 1 : weight[(int) t];
                weightSum += wt;
                double smooth = 0;
                for (int j = 0; j < c; j++) {
                    smooth += (weight == null ? 1 : weight[j]) * -logp[(i * c + j) * d + k];
                }
                perElement[i * d + k] = (1 - eps) * wt * -logp[(i * c + (int) t) * d + k] + eps / c * smooth;
            }
        }
        double sum = 0;
        for (double v : perElement) {
            sum += v;
        }
        return switch (reduction) {
            case NONE -> perElement;
            case SUM -> new double[] {sum};
            case MEAN -> new double[] {sum / weightSum};
        };
    }

    @Test
    void crossEntropyHandWorked() {
        try (var scope = Tensors.scope()) {
            Tensor logits = f64(new double[] {1, 2, 3}, 1, 3);
            Tensor target = Tensors.of(new long[] {0});
            // log(e + e^2 + e^3) - 1 = 2.4076059644443806; with smoothing 0.1: lse - (1-0.1)*1 - 0.1*(1+2+3)/3 = lse - 1.1
            assertClose(2.4076059644443806, Functional.crossEntropy(logits, target).item(), 1e-15);
            assertClose(2.3076059644443806, new CrossEntropyLoss(0.1).forward(logits, target).item(), 1e-15);
            // unbatched: [C] logits and a scalar target
            assertClose(2.4076059644443806, Functional.crossEntropy(f64(new double[] {1, 2, 3}, 3), Tensors.scalar(0L)).item(), 1e-15);
        }
    }

    /**
     * With no weights, no ignored target and no smoothing, crossEntropy takes NeuralOps' fused op: its values and
     * its gradient, (softmax - onehot) / n for the mean, against loops in double; 19 classes (a vector and a
     * tail), float32 against the same loops, int32 targets.
     */
    @Test
    void crossEntropyOfPlainIndicesAndItsGradient() {
        int n = 5, c = 19;
        double[] logits = uniform(rng, n * c, -4, 4);
        long[] target = {18, 0, 7, 7, 3};
        try (var scope = Tensors.scope()) {
            Tensor t = Tensors.of(target);
            for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                double[] expected = crossEntropyLoops(logits, target, n, c, 1, null, -100, r, 0);
                assertClose(expected, Functional.crossEntropy(f64(logits, n, c), t, null, -100, r, 0), 1e-12);
                assertClose(expected, Functional.crossEntropy(f64(logits, n, c).to(DType.FLOAT32), t.to(DType.INT32), null, -100, r, 0)
                        .to(DType.FLOAT64), 2e-6);
            }
            double[] expectedGrad = new double[n * c];
            for (int row = 0; row < n; row++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, logits[row * c + k]);
                }
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    sum += Math.exp(logits[row * c + k] - max);
                }
                for (int k = 0; k < c; k++) {
                    double p = Math.exp(logits[row * c + k] - max) / sum;
                    expectedGrad[row * c + k] = (p - (k == target[row] ? 1 : 0)) / n;
                }
            }
            Tensor x = leaf(logits, n, c);
            Functional.crossEntropy(x, t).backward();
            assertClose(expectedGrad, x.grad(), 1e-15);
            for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                GradCheck.check(ts -> Functional.crossEntropy(ts[0], t, null, -100, r, 0), leaf(logits, n, c));
            }
        }
    }

    @Test
    void crossEntropyWithWeightsIgnoreIndexAndLabelSmoothing() {
        int n = 6, c = 4;
        double[] logits = uniform(rng, n * c, -3, 3);
        long[] target = {3, 0, -100, 2, 1, 3};
        double[] weight = {0.5, 2.0, 1.0, 0.25};
        try (var scope = Tensors.scope()) {
            Tensor x = f64(logits, n, c);
            Tensor t = Tensors.of(target);
            Tensor w = f64(weight, c);
            for (double eps : new double[] {0, 0.2}) {
                for (Reduction r : Reduction.values()) {
                    assertClose(crossEntropyLoops(logits, target, n, c, 1, null, -100, r, eps),
                            Functional.crossEntropy(x, t, null, -100, r, eps), 1e-12);
                    assertClose(crossEntropyLoops(logits, target, n, c, 1, weight, -100, r, eps),
                            Functional.crossEntropy(x, t, w, -100, r, eps), 1e-12);
                }
            }
            // ignore_index may be a real class, too
            long[] other = {3, 0, 1, 2, 1, 3};
            assertClose(crossEntropyLoops(logits, other, n, c, 1, weight, 3, Reduction.MEAN, 0.1),
                    Functional.crossEntropy(x, Tensors.of(other), w, 3, Reduction.MEAN, 0.1), 1e-12);
            try (CrossEntropyLoss module = new CrossEntropyLoss(w, -100, "sum", 0.2)) {
                assertClose(crossEntropyLoops(logits, target, n, c, 1, weight, -100, Reduction.SUM, 0.2), module.forward(x, t), 1e-12);
                assertEquals(List.of("weight"), List.copyOf(module.stateDict().keySet()), "the class weights are a buffer");
            }
            Tensor logitsLeaf = leaf(logits, n, c);
            for (Reduction r : Reduction.values()) {
                GradCheck.check(ts -> Functional.crossEntropy(ts[0], t, w, -100, r, 0.2), logitsLeaf);
            }
        }
    }

    @Test
    void crossEntropyOverExtraDimensions() {
        int n = 2, c = 3, d = 4;
        double[] logits = uniform(rng, n * c * d, -2, 2);
        long[] target = {0, 2, 1, -100, 2, 2, 0, 1};
        double[] weight = {1.5, 0.5, 1.0};
        try (var scope = Tensors.scope()) {
            Tensor x = f64(logits, n, c, d);
            Tensor t = Tensors.of(target, n, d);
            Tensor w = f64(weight, c);
            for (Reduction r : Reduction.values()) {
                assertClose(crossEntropyLoops(logits, target, n, c, d, weight, -100, r, 0.1),
                        Functional.crossEntropy(x, t, w, -100, r, 0.1), 1e-12);
            }
            assertEquals(ignis.tensor.Shape.of(2, 4), Functional.crossEntropy(x, t, w, -100, Reduction.NONE, 0.1).shape());
            GradCheck.check(ts -> Functional.crossEntropy(ts[0], t, w, -100, Reduction.MEAN, 0.1), leaf(logits, n, c, d));
        }
    }

    /**
     * Every target ignored: the mean is 0/0, NaN, with and without label smoothing, and its gradient 0, so that a
     * batch of padding leaves the parameters as they are; the sum is 0 (torch 1.13 agrees on all of it).
     */
    @Test
    void crossEntropyWithEveryTargetIgnored() {
        try (var scope = Tensors.scope()) {
            Tensor x = f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor t = Tensors.of(new long[] {-100, -100});
            Tensor w = f64(new double[] {0.2, 1, 3}, 3);
            assertTrue(Double.isNaN(Functional.crossEntropy(x, t).item()));
            assertTrue(Double.isNaN(Functional.crossEntropy(x, t, w, -100, Reduction.MEAN, 0.1).item()));
            assertEquals(0.0, Functional.crossEntropy(x, t, w, -100, Reduction.SUM, 0.1).item());
            assertClose(new double[] {0, 0}, Functional.crossEntropy(x, t, w, -100, Reduction.NONE, 0.1), 0);
            for (Tensor weight : new Tensor[] {null, w}) {
                for (double smoothing : new double[] {0, 0.1}) {
                    Tensor logits = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
                    Functional.crossEntropy(logits, t, weight, -100, Reduction.MEAN, smoothing).backward();
                    assertClose(new double[6], logits.grad(), 0);
                }
            }
            Tensor logp = leaf(new double[] {-1, -2, -3, -4, -5, -6}, 2, 3);
            Functional.nllLoss(logp, Tensors.of(new long[] {1, 1}), w, 1, Reduction.MEAN).backward();
            assertClose(new double[6], logp.grad(), 0);
        }
    }

    /**
     * Input (N, C, d1, d2) with weights, an ignored target and label smoothing together. The numbers are
     * torch 1.13's: x = torch.tensor([math.sin(1.3 * i) for i in range(24)], dtype=torch.float64).view(2, 3, 2, 2),
     * t = torch.tensor([0, 1, 2, -100, 2, 2, 1, 0]).view(2, 2, 2), w = torch.tensor([0.2, 1.0, 3.0]),
     * F.cross_entropy(x, t, weight=w, reduction=r, label_smoothing=0.1) and F.nll_loss(x, t, weight=w).
     */
    @Test
    void crossEntropyOverTwoSpatialDimensionsMatchesPyTorch() {
        double[] logits = new double[24];
        for (int i = 0; i < 24; i++) {
            logits[i] = Math.sin(1.3 * i);
        }
        try (var scope = Tensors.scope()) {
            Tensor x = f64(logits, 2, 3, 2, 2);
            Tensor t = Tensors.of(new long[] {0, 1, 2, -100, 2, 2, 1, 0}, 2, 2, 2);
            Tensor w = f64(new double[] {0.2, 1.0, 3.0}, 3);
            Tensor none = Functional.crossEntropy(x, t, w, -100, Reduction.NONE, 0.1);
            assertEquals(ignis.tensor.Shape.of(2, 2, 2), none.shape());
            assertClose(new double[] {0.309151167363863, 1.3926471810900058, 3.8329745092136003, 0, 2.820075828456747,
                    1.3146570250069811, 1.4748498293534715, 0.33684899739896756}, none, 1e-12);
            assertClose(1.007123205077512, Functional.crossEntropy(x, t, w, -100, Reduction.MEAN, 0.1).item(), 1e-12);
            assertClose(11.481204537883634, Functional.crossEntropy(x, t, w, -100, Reduction.SUM, 0.1).item(), 1e-12);
            assertClose(-0.47188355856280306, Functional.nllLoss(x, t, w, -100, Reduction.MEAN).item(), 1e-12);
        }
    }

    @Test
    void crossEntropyWithClassProbabilities() {
        int n = 3, c = 4;
        double[] logits = uniform(rng, n * c, -2, 2);
        double[] probs = {0.1, 0.2, 0.3, 0.4, 1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25};
        double[] weight = {1, 2, 0.5, 1};
        double eps = 0.3;
        double[] logp = logSoftmax(logits, n, c, 1);
        double[] perSample = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double smoothed = probs[i * c + j] * (1 - eps) + eps / c;
                perSample[i] -= weight[j] * smoothed * logp[i * c + j];
            }
        }
        try (var scope = Tensors.scope()) {
            Tensor x = f64(logits, n, c);
            Tensor p = f64(probs, n, c);
            Tensor w = f64(weight, c);
            for (Reduction r : Reduction.values()) {
                // PyTorch's mean divides by the number of samples (numel / C), whatever the weights
                assertClose(reduce(perSample, r), Functional.crossEntropy(x, p, w, -100, r, eps), 1e-12);
            }
            GradCheck.check(ts -> Functional.crossEntropy(ts[0], ts[1], w, -100, Reduction.MEAN, eps), leaf(logits, n, c), leaf(probs, n, c));
        }
    }

    @Test
    void nllLossWithWeightsAndIgnoreIndex() {
        int n = 5, c = 3;
        double[] logp = logSoftmax(uniform(rng, n * c, -2, 2), n, c, 1);
        long[] target = {2, -1, 0, 1, 2};
        double[] weight = {0.2, 1.0, 3.0};
        double[] perElement = new double[n];
        double weightSum = 0;
        for (int i = 0; i < n; i++) {
            if (target[i] != -1) {
                perElement[i] = -weight[(int) target[i]] * logp[i * c + (int) target[i]];
                weightSum += weight[(int) target[i]];
            }
        }
        double sum = 0;
        for (double v : perElement) {
            sum += v;
        }
        try (var scope = Tensors.scope()) {
            Tensor x = f64(logp, n, c);
            Tensor t = Tensors.of(target);
            Tensor w = f64(weight, c);
            assertClose(perElement, Functional.nllLoss(x, t, w, -1, Reduction.NONE), 1e-14);
            assertClose(sum, Functional.nllLoss(x, t, w, -1, Reduction.SUM).item(), 1e-14);
            assertClose(sum / weightSum, Functional.nllLoss(x, t, w, -1, Reduction.MEAN).item(), 1e-14);
            assertClose(sum / weightSum, new NLLLoss(w, -1, "mean").forward(x, t).item(), 1e-14);
            GradCheck.check(ts -> Functional.nllLoss(ts[0], t, w, -1, Reduction.MEAN), leaf(logp, n, c));
            // Every target ignored: the weighted mean is 0/0, NaN, as in PyTorch
            double allIgnored = Functional.nllLoss(x, Tensors.of(new long[] {-1, -1, -1, -1, -1}), w, -1, Reduction.MEAN).item();
            assertTrue(Double.isNaN(allIgnored));
            // int32 targets are accepted too
            assertClose(sum / weightSum, Functional.nllLoss(x, Tensors.of(new int[] {2, -1, 0, 1, 2}), w, -1, Reduction.MEAN).item(), 1e-14);
        }
    }

    // ---- binary -------------------------------------------------------------------------------

    @Test
    void binaryCrossEntropyClampsTheLogAtMinus100() {
        double[] x = {0.1, 0.35, 0.5, 0.8, 0.97, 0.6};
        double[] y = {0, 1, 0.3, 1, 0, 0.5};
        double[] weight = {1, 2, 0.5, 1, 1.5, 3};
        double[] perElement = new double[6];
        for (int i = 0; i < 6; i++) {
            perElement[i] = -weight[i] * (y[i] * Math.max(Math.log(x[i]), -100) + (1 - y[i]) * Math.max(Math.log(1 - x[i]), -100));
        }
        try (var scope = Tensors.scope()) {
            Tensor input = f64(x, 2, 3);
            Tensor target = f64(y, 2, 3);
            Tensor w = f64(weight, 2, 3);
            for (Reduction r : Reduction.values()) {
                assertClose(reduce(perElement, r), Functional.binaryCrossEntropy(input, target, w, r), 1e-14);
            }
            GradCheck.check(ts -> Functional.binaryCrossEntropy(ts[0], ts[1], w, Reduction.MEAN), leaf(x, 2, 3), leaf(y, 2, 3));
            // x = 0 or 1 exactly: the clamped log makes the loss 100 per wrong element and 0 per right one, gradients finite
            Tensor edge = leaf(new double[] {0, 1, 0, 1}, 4);
            Tensor loss = new BCELoss(null, "none").forward(edge, f64(new double[] {1, 0, 0, 1}, 4));
            assertClose(new double[] {100, 100, 0, 0}, loss, 0);
            loss.sum().backward();
            for (double g : edge.grad().toDoubleArray()) {
                assertTrue(Double.isFinite(g), "finite gradient at the edge: " + g);
            }
        }
    }

    @Test
    void binaryCrossEntropyHasPyTorchsGradientAtSaturatedInputs() {
        // x in {0, 1, 1e-15, 0.5} times t in {0, 1, 0.3}; the expected values are torch 1.13's
        // F.binary_cross_entropy(x, t, weight, reduction) and x.grad after backward, whose gradient is
        // (x - t) / max(x (1 - x), EPSILON) with EPSILON the float 1e-12 (so 1 / 9.999999960041972e-13 = 1.0000000039958e12)
        double[] x = {0, 0, 0, 1, 1, 1, 1e-15, 1e-15, 1e-15, 0.5, 0.5, 0.5};
        double[] t = {0, 1, 0.3, 0, 1, 0.3, 0, 1, 0.3, 0, 1, 0.3};
        double[] loss = {0, 100, 30, 100, 0, 70, 9.992007221626415e-16, 34.538776394910684, 10.361632918473205,
            0.6931471805599453, 0.6931471805599453, 0.6931471805599453};
        double[] grad = {0, -1000000003995.8029, -300000001198.74084, 1000000003995.8029, 0, 700000002797.0619,
            0.0010000000039958028, -1000000003995.8018, -300000001198.7398, 2, -2, 0.8};
        // weight torch.linspace(0.5, 2, 12), reduction mean
        double[] weightedMeanGrad = {0, -53030303242.20167, -19318181895.373463, 75757576060.2881, 0, 68939394214.86214,
            0.00010984848528741774, -121212121696.46082, -39772727431.65111, 0.2878787878787879, -0.3106060606060606,
            0.13333333333333333};
        double[] float32Grad = {0, -999999995904.0, -300000018432.0, 999999995904.0, 0, 699999977472.0, 0.0010000000474974513,
            -999999995904.0, -300000018432.0, 2, -2, 0.7999999523162842};
        try (var scope = Tensors.scope()) {
            Tensor input = leaf(x, 12);
            Tensor perElement = Functional.binaryCrossEntropy(input, f64(t, 12), null, Reduction.NONE);
            assertClose(loss, perElement, 1e-14);
            perElement.sum().backward();
            assertClose(grad, input.grad(), 1e-14);

            Tensor weighted = leaf(x, 12);
            double[] w = new double[12];
            for (int i = 0; i < 12; i++) {
                w[i] = 0.5 + 1.5 * i / 11;
            }
            Tensor mean = Functional.binaryCrossEntropy(weighted, f64(t, 12), f64(w, 12), Reduction.MEAN);
            assertClose(27.587708712093093, mean.item(), 1e-14);
            mean.backward();
            assertClose(weightedMeanGrad, weighted.grad(), 1e-14);

            Tensor single = Tensors.of(x, 12).to(DType.FLOAT32).requiresGrad_(true);
            Functional.binaryCrossEntropy(single, Tensors.of(t, 12).to(DType.FLOAT32), null, Reduction.SUM).backward();
            assertEquals(DType.FLOAT32, single.grad().dtype());
            assertClose(float32Grad, single.grad(), 1e-7);

            // away from the clamp the second derivative is still (x^2 - 2xt + t) / (x (1 - x))^2: 4 at x = 1/2
            // (torch 1.13: 3.999999999968, its double backward adding 1e-12 to x and 1 - x)
            Tensor half = leaf(new double[] {0.5, 0.5, 0.5}, 3);
            Tensor l = Functional.binaryCrossEntropy(half, f64(new double[] {0, 1, 0.3}, 3), null, Reduction.SUM);
            Tensor g = Autograd.grad(List.of(l), List.of(half), null, false, true, false).get(0);
            assertClose(new double[] {4, 4, 4}, Autograd.grad(g.sum(), List.of(half)).get(0), 1e-12);
        }
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStableAndWeighsPositives() {
        double[] x = {-3, -0.5, 0, 0.7, 2.2, 5};
        double[] y = {0, 1, 0.5, 1, 0, 1};
        double[] weight = {1, 0.5, 2, 1, 1, 3};
        double[] posWeight = {2, 0.5, 3};   // along the last dimension of [2, 3]
        double[] perElement = new double[6];
        for (int i = 0; i < 6; i++) {
            double sig = 1 / (1 + Math.exp(-x[i]));
            perElement[i] = -weight[i] * (posWeight[i % 3] * y[i] * Math.log(sig) + (1 - y[i]) * Math.log(1 - sig));
        }
        try (var scope = Tensors.scope()) {
            Tensor input = f64(x, 2, 3);
            Tensor target = f64(y, 2, 3);
            Tensor w = f64(weight, 2, 3);
            Tensor pw = f64(posWeight, 3);
            for (Reduction r : Reduction.values()) {
                assertClose(reduce(perElement, r), Functional.binaryCrossEntropyWithLogits(input, target, w, pw, r), 1e-13);
            }
            try (BCEWithLogitsLoss module = new BCEWithLogitsLoss(w, "sum", pw)) {
                assertClose(reduce(perElement, Reduction.SUM), module.forward(input, target), 1e-13);
                assertEquals(List.of("weight", "pos_weight"), List.copyOf(module.stateDict().keySet()));
            }
            GradCheck.check(ts -> Functional.binaryCrossEntropyWithLogits(ts[0], ts[1], w, pw, Reduction.MEAN), leaf(x, 2, 3),
                    leaf(y, 2, 3));
            // No overflow for large logits: the loss is |x| for a wrong sign and ~0 for a right one
            Tensor big = leaf(new double[] {1000, -1000, 1000, -1000}, 4);
            Tensor loss = Functional.binaryCrossEntropyWithLogits(big, f64(new double[] {0, 1, 1, 0}, 4), null, null, Reduction.NONE);
            assertClose(new double[] {1000, 1000, 0, 0}, loss, 1e-12);
            loss.sum().backward();
            assertClose(new double[] {1, -1, 0, 0}, big.grad(), 1e-12); // sigmoid(x) - t
        }
    }
}
