package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Tensor;

/**
 * {@code 0.5 d^2 / beta} where {@code |d| < beta}, {@code |d| - 0.5 beta} elsewhere (d = input - target),
 * as {@code torch.nn.SmoothL1Loss}; beta 1 by default.
 */
public class SmoothL1Loss extends Loss {

    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(String reduction, double beta) {
        this(Reduction.of(reduction), beta);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be non-negative, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.smoothL1Loss(input, target, reduction(), beta);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + Repr.pyFloat(beta);
    }
}
