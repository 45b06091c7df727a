package ignis.optim;

/**
 * The update rules of the torch.optim documentation, in plain double loops over the elements: the
 * independent side of the optimizer tests. Nothing here calls Ignis. Each method returns the
 * parameter after every step: {@code result[t]} is the value after step {@code t + 1}.
 *
 * <p>Where the documentation's pseudo-code and PyTorch's implementation differ, the implementation
 * is followed and the difference is noted (SGD's maximize with weight decay).
 */
final class Reference {

    private Reference() {
    }

    /**
     * torch.optim.SGD. The documentation flips the sign at the end ({@code theta += lr * g} when
     * maximizing); the implementation negates the gradient first, which differs only with weight
     * decay (the decay then still shrinks the parameter). This follows the implementation.
     */
    static double[][] sgd(double[] p0, double[][] grads, double lr, double momentum, double dampening, double weightDecay,
                          boolean nesterov, boolean maximize) {
        int n = p0.length;
        double[] theta = p0.clone();
        double[] b = new double[n];
        double[][] out = new double[grads.length][];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < n; i++) {
                double g = maximize ? -grads[t - 1][i] : grads[t - 1][i];
                if (weightDecay != 0) {
                    g = g + weightDecay * theta[i];
                }
                if (momentum != 0) {
                    if (t > 1) {
                        b[i] = momentum * b[i] + (1 - dampening) * g;
                    } else {
                        b[i] = g;
                    }
                    if (nesterov) {
                        g = g + momentum * b[i];
                    } else {
                        g = b[i];
                    }
                }
                theta[i] = theta[i] - lr * g;
            }
            out[t - 1] = theta.clone();
        }
        return out;
    }

    /** torch.optim.Adam, or with {@code decoupled} torch.optim.AdamW (theta *= 1 - lr * lambda first, no L2 term). */
    static double[][] adam(double[] p0, double[][] grads, double lr, double beta1, double beta2, double eps, double weightDecay,
                           boolean amsgrad, boolean maximize, boolean decoupled) {
        int n = p0.length;
        double[] theta = p0.clone();
        double[] m = new double[n];
        double[] v = new double[n];
        double[] vMax = new double[n];
        double[][] out = new double[grads.length][];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < n; i++) {
                double g = maximize ? -grads[t - 1][i] : grads[t - 1][i];
                if (decoupled) {
                    theta[i] = theta[i] - lr * weightDecay * theta[i];
                } else if (weightDecay != 0) {
                    g = g + weightDecay * theta[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat;
                if (amsgrad) {
                    vMax[i] = Math.max(vMax[i], v[i]);
                    vHat = vMax[i] / (1 - Math.pow(beta2, t));
                } else {
                    vHat = v[i] / (1 - Math.pow(beta2, t));
                }
                theta[i] = theta[i] - lr * mHat / (Math.sqrt(vHat) + eps);
            }
            out[t - 1] = theta.clone();
        }
        return out;
    }

    /** torch.optim.RMSprop. */
    static double[][] rmsprop(double[] p0, double[][] grads, double lr, double alpha, double eps, double weightDecay,
                              double momentum, boolean centered, boolean maximize) {
        int n = p0.length;
        double[] theta = p0.clone();
        double[] v = new double[n];
        double[] gAve = new double[n];
        double[] b = new double[n];
        double[][] out = new double[grads.length][];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < n; i++) {
                double g = maximize ? -grads[t - 1][i] : grads[t - 1][i];
                if (weightDecay != 0) {
                    g = g + weightDecay * theta[i];
                }
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double vTilde = v[i];
                if (centered) {
                    gAve[i] = gAve[i] * alpha + (1 - alpha) * g;
                    vTilde = vTilde - gAve[i] * gAve[i];
                }
                if (momentum > 0) {
                    b[i] = momentum * b[i] + g / (Math.sqrt(vTilde) + eps);
                    theta[i] = theta[i] - lr * b[i];
                } else {
                    theta[i] = theta[i] - lr * g / (Math.sqrt(vTilde) + eps);
                }
            }
            out[t - 1] = theta.clone();
        }
        return out;
    }

    /** torch.optim.Adagrad. */
    static double[][] adagrad(double[] p0, double[][] grads, double lr, double lrDecay, double weightDecay,
                              double initialAccumulatorValue, double eps, boolean maximize) {
        int n = p0.length;
        double[] theta = p0.clone();
        double[] sum = new double[n];
        java.util.Arrays.fill(sum, initialAccumulatorValue);
        double[][] out = new double[grads.length][];
        for (int t = 1; t <= grads.length; t++) {
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < n; i++) {
                double g = maximize ? -grads[t - 1][i] : grads[t - 1][i];
                if (weightDecay != 0) {
                    g = g + weightDecay * theta[i];
                }
                sum[i] = sum[i] + g * g;
                theta[i] = theta[i] - clr * g / (Math.sqrt(sum[i]) + eps);
            }
            out[t - 1] = theta.clone();
        }
        return out;
    }
}
