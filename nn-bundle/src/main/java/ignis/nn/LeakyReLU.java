package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Tensor;

/** {@code x} where positive, {@code negativeSlope * x} elsewhere (slope 0.01 by default), as {@code torch.nn.LeakyReLU}. */
public class LeakyReLU extends Module {

    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + Repr.pyFloat(negativeSlope);
    }
}
