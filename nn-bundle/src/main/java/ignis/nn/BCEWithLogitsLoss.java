package ignis.nn;

import ignis.tensor.Tensor;

/**
 * A sigmoid and the binary cross-entropy in one, in the stable log-sum-exp form, as
 * {@code torch.nn.BCEWithLogitsLoss}: optional {@code weight} and {@code pos_weight} buffers
 * (pos_weight weighs the positive term, broadcast along the last dimension's classes).
 */
public class BCEWithLogitsLoss extends Loss {

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Tensor weight, String reduction, Tensor posWeight) {
        this(weight, Reduction.of(reduction), posWeight);
    }

    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        registerBuffer("weight", weight);
        registerBuffer("pos_weight", posWeight);
    }

    public Tensor weight() {
        return getBuffer("weight");
    }

    public Tensor posWeight() {
        return getBuffer("pos_weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.binaryCrossEntropyWithLogits(input, target, weight(), posWeight(), reduction());
    }
}
