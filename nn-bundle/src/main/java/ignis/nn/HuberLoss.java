package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Tensor;

/**
 * {@code 0.5 d^2} where {@code |d| < delta}, {@code delta (|d| - 0.5 delta)} elsewhere, as
 * {@code torch.nn.HuberLoss}; delta 1 by default.
 */
public class HuberLoss extends Loss {

    private final double delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    public HuberLoss(String reduction, double delta) {
        this(Reduction.of(reduction), delta);
    }

    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
        }
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.huberLoss(input, target, reduction(), delta);
    }

    @Override
    protected String extraRepr() {
        return "delta=" + Repr.pyFloat(delta);
    }
}
