package ignis.autograd;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compares analytic gradients with central finite differences, as {@code torch.autograd.gradcheck}:
 * in float64, with PyTorch's defaults (eps 1e-6, atol 1e-5, rtol 1e-3). Inputs may be strided or
 * broadcast views; each element is perturbed in a contiguous copy.
 */
public final class GradCheck {

    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /**
     * Checks the gradient of {@code sum(f(inputs) * w)} for a fixed random weight w, which covers every
     * output element at once. Inputs must be float64 and require grad.
     *
     * @throws AssertionError naming the input, the element, and both values, at the first mismatch
     */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor input : inputs) {
            if (input.dtype() != DType.FLOAT64 || !input.requiresGrad()) {
                throw new IllegalArgumentException("gradcheck needs float64 inputs that require grad, got " + input.dtype()
                        + (input.requiresGrad() ? "" : " not requiring grad"));
            }
        }
        double[] weights;
        List<Tensor> analytic;
        try (Tensor probe = f.apply(inputs)) {
            weights = new double[Math.toIntExact(probe.numel())];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = 0.5 + (i * 0.6180339887) % 1;
            }
            try (Tensor w = Tensors.of(weights, probe.shape().toArray()); Tensor weighted = probe.mul(w); Tensor total = weighted.sum()) {
                analytic = Autograd.grad(List.of(total), List.of(inputs), null, false, false, true);
            }
        }
        try {
            for (int k = 0; k < inputs.length; k++) {
                double[] expected = numeric(f, inputs, k, weights);
                double[] actual = analytic.get(k) == null ? new double[expected.length] : analytic.get(k).toDoubleArray();
                for (int i = 0; i < expected.length; i++) {
                    if (Math.abs(actual[i] - expected[i]) > ATOL + RTOL * Math.abs(expected[i])) {
                        throw new AssertionError("gradcheck: input " + k + " (shape " + inputs[k].shape() + "), element " + i
                                + ": analytic " + actual[i] + ", numeric " + expected[i]);
                    }
                }
            }
        } finally {
            analytic.forEach(g -> {
                if (g != null) {
                    g.close();
                }
            });
        }
    }

    /** d sum(f * w) / d input[k], element by element, by central differences. */
    private static double[] numeric(Function<Tensor[], Tensor> f, Tensor[] inputs, int k, double[] weights) {
        double[] values = inputs[k].toDoubleArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double saved = values[i];
            values[i] = saved + EPS;
            double plus = evaluate(f, inputs, k, values, weights);
            values[i] = saved - EPS;
            double minus = evaluate(f, inputs, k, values, weights);
            values[i] = saved;
            out[i] = (plus - minus) / (2 * EPS);
        }
        return out;
    }

    private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] inputs, int k, double[] values, double[] weights) {
        try (var scope = Tensors.scope(); var noGrad = ignis.tensor.GradMode.noGrad()) {
            Tensor[] perturbed = new ArrayList<>(List.of(inputs)).toArray(Tensor[]::new);
            perturbed[k] = Tensors.of(values, inputs[k].shape().toArray()).to(inputs[k].device());
            double[] result = f.apply(perturbed).toDoubleArray();
            double total = 0;
            for (int i = 0; i < result.length; i++) {
                total += result[i] * weights[i];
            }
            return total;
        }
    }
}
