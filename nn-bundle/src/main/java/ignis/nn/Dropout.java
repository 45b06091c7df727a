package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Generator;
import ignis.tensor.Tensor;

/**
 * In training, zeroes each element with probability {@code p} and scales the rest by
 * {@code 1/(1-p)}, as {@code torch.nn.Dropout}; in evaluation, passes the input through. Draws from
 * the given generator, or from the default one at each call (so {@link ignis.tensor.Tensors#manualSeed}
 * makes it repeatable).
 */
public class Dropout extends Module {

    private final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    public Dropout(double p, Generator generator) {
        Functional.checkProbability("Dropout", p);
        this.p = p;
        this.generator = generator;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.dropout(input, p, isTraining(), generator == null ? Generator.defaultGenerator() : generator);
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.pyFloat(p) + ", inplace=False";
    }
}
