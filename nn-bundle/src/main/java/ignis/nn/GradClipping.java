package ignis.nn;

import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: the
 * gradients ({@link Tensor#grad()} of each parameter's {@linkplain Tensor#gradLeaf() leaf}) are
 * scaled or clamped in place; parameters without a gradient are skipped.
 */
public final class GradClipping {

    private GradClipping() {
    }

    /**
     * Scales the gradients in place so that their total {@code normType}-norm (the norm of the norms of
     * each gradient; {@code Double.POSITIVE_INFINITY} for the largest absolute value) is at most
     * {@code maxNorm}: by {@code min(1, maxNorm / (total + 1e-6))}, as PyTorch.
     *
     * @return the total norm before clipping
     */
    public static double clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm_(parameters, maxNorm, normType, false);
    }

    /** With the 2-norm. */
    public static double clipGradNorm_(Iterable<Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /**
     * As {@link #clipGradNorm_(Iterable, double, double)}; with {@code errorIfNonfinite}, a NaN or
     * infinite total norm throws instead of scaling.
     */
    public static double clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm_: norm_type must be positive (or infinity), got " + normType);
        }
        List<Tensor> grads = gradients(parameters);
        if (grads.isEmpty()) {
            return 0.0;
        }
        double total = 0;
        try (GradMode.Scope off = GradMode.noGrad(); TensorScope scope = Tensors.scope()) {
            for (Tensor g : grads) {
                Tensor abs = g.abs();
                if (normType == Double.POSITIVE_INFINITY) {
                    total = Math.max(total, g.numel() == 0 ? 0 : abs.max().item());
                } else if (normType == 2) {
                    total += abs.mul(abs).sum().item();
                } else {
                    total += abs.pow(normType).sum().item();
                }
            }
        }
        if (normType != Double.POSITIVE_INFINITY) {
            total = normType == 2 ? Math.sqrt(total) : Math.pow(total, 1 / normType);
        }
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm_: the total norm of order " + normType + " of the gradients is " + total
                    + "; pass errorIfNonfinite=false to scale anyway");
        }
        double coefficient = Math.min(1.0, maxNorm / (total + 1e-6));
        try (GradMode.Scope off = GradMode.noGrad()) {
            for (Tensor g : grads) {
                g.mul_(coefficient);
            }
        }
        return total;
    }

    /** Clamps every gradient into {@code [-clipValue, clipValue]} in place. */
    public static void clipGradValue_(Iterable<Tensor> parameters, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue_: clip_value must be non-negative, got " + clipValue);
        }
        try (GradMode.Scope off = GradMode.noGrad()) {
            for (Tensor g : gradients(parameters)) {
                g.clamp_(-clipValue, clipValue);
            }
        }
    }

    private static List<Tensor> gradients(Iterable<Tensor> parameters) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) {
            Tensor g = p.gradLeaf().grad();
            if (g != null) {
                grads.add(g);
            }
        }
        return grads;
    }
}
