package ignis.nn;

import ignis.tensor.Tensor;

/**
 * The negative log-likelihood of class indices under log-probabilities, as {@code torch.nn.NLLLoss}:
 * optional class weights (kept as the buffer {@code weight}), an ignored target index (-100 by
 * default), and a mean that divides by the total weight of the non-ignored targets.
 */
public class NLLLoss extends Loss {

    private final long ignoreIndex;

    public NLLLoss() {
        this(null, Functional.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /** {@code weight} ({@code [C]}) may be null. */
    public NLLLoss(Tensor weight, long ignoreIndex, String reduction) {
        this(weight, ignoreIndex, Reduction.of(reduction));
    }

    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        super(reduction);
        this.ignoreIndex = ignoreIndex;
        registerBuffer("weight", weight);
    }

    public Tensor weight() {
        return getBuffer("weight");
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.nllLoss(input, target, weight(), ignoreIndex, reduction());
    }
}
