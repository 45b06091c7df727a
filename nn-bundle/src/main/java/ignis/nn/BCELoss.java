package ignis.nn;

import ignis.tensor.Tensor;

/**
 * The binary cross-entropy of probabilities, as {@code torch.nn.BCELoss}, each log clamped at -100;
 * an optional weight (the buffer {@code weight}) broadcast over the input.
 */
public class BCELoss extends Loss {

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, String reduction) {
        this(weight, Reduction.of(reduction));
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        registerBuffer("weight", weight);
    }

    public Tensor weight() {
        return getBuffer("weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.binaryCrossEntropy(input, target, weight(), reduction());
    }
}
