package ignis.examples.fashion;

import ignis.data.FashionMNIST;

/**
 * Multinomial logistic regression on the 784 pixels scaled to [0, 1], trained by mini-batch SGD on
 * the mean cross-entropy: logits = W x + b, p = softmax(logits), dL/dlogits = p - onehot(y).
 */
final class SoftmaxRegression {

    static final int FEATURES = FashionMNIST.HEIGHT * FashionMNIST.WIDTH;
    static final int CLASSES = FashionMNIST.CLASSES;

    private final float[] weights = new float[CLASSES * FEATURES];
    private final float[] bias = new float[CLASSES];

    int parameterCount() {
        return weights.length + bias.length;
    }

    /**
     * One SGD step on the examples {@code order[from..to)}.
     *
     * @return the summed cross-entropy of those examples before the step
     */
    double step(FashionMNIST.Examples examples, int[] order, int from, int to, double lr) {
        float[] weightGrad = new float[weights.length];
        float[] biasGrad = new float[CLASSES];
        float[] x = new float[FEATURES];
        double[] p = new double[CLASSES];
        double loss = 0;
        for (int n = from; n < to; n++) {
            int i = order[n];
            features(examples, i, x);
            probabilities(x, p);
            int label = examples.label(i);
            loss -= Math.log(Math.max(p[label], Double.MIN_NORMAL));
            for (int c = 0; c < CLASSES; c++) {
                float g = (float) (p[c] - (c == label ? 1 : 0));
                biasGrad[c] += g;
                int row = c * FEATURES;
                for (int f = 0; f < FEATURES; f++) {
                    weightGrad[row + f] += g * x[f];
                }
            }
        }
        float scale = (float) (lr / (to - from));
        for (int k = 0; k < weights.length; k++) {
            weights[k] -= scale * weightGrad[k];
        }
        for (int c = 0; c < CLASSES; c++) {
            bias[c] -= scale * biasGrad[c];
        }
        return loss;
    }

    int predict(FashionMNIST.Examples examples, int i, float[] scratch) {
        features(examples, i, scratch);
        int best = 0;
        double bestLogit = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            double logit = logit(scratch, c);
            if (logit > bestLogit) {
                bestLogit = logit;
                best = c;
            }
        }
        return best;
    }

    /** The fraction of examples whose most likely class is their label. */
    double accuracy(FashionMNIST.Examples examples) {
        float[] x = new float[FEATURES];
        int correct = 0;
        for (int i = 0; i < examples.count(); i++) {
            if (predict(examples, i, x) == examples.label(i)) {
                correct++;
            }
        }
        return (double) correct / examples.count();
    }

    private static void features(FashionMNIST.Examples examples, int i, float[] x) {
        for (int f = 0; f < FEATURES; f++) {
            x[f] = examples.pixel(i, f) / 255f;
        }
    }

    private double logit(float[] x, int c) {
        double sum = bias[c];
        int row = c * FEATURES;
        for (int f = 0; f < FEATURES; f++) {
            sum += weights[row + f] * x[f];
        }
        return sum;
    }

    /** Softmax of the logits, shifted by their maximum so that exp cannot overflow. */
    private void probabilities(float[] x, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            p[c] = logit(x, c);
            max = Math.max(max, p[c]);
        }
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            p[c] = Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < CLASSES; c++) {
            p[c] /= sum;
        }
    }
}
