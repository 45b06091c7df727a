package ignis.nn;

import ignis.tensor.Tensor;

/**
 * The cross-entropy of logits against class indices or class probabilities, as
 * {@code torch.nn.CrossEntropyLoss}: optional class weights (the buffer {@code weight}), an ignored
 * target index (-100 by default; for indices only) and label smoothing, all as PyTorch defines them
 * (see {@link Functional#crossEntropy(Tensor, Tensor, Tensor, long, Reduction, double)}).
 */
public class CrossEntropyLoss extends Loss {

    private final long ignoreIndex;
    private final double labelSmoothing;

    public CrossEntropyLoss() {
        this(null, Functional.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0);
    }

    /** With label smoothing and otherwise PyTorch's defaults. */
    public CrossEntropyLoss(double labelSmoothing) {
        this(null, Functional.DEFAULT_IGNORE_INDEX, Reduction.MEAN, labelSmoothing);
    }

    /** {@code weight} ({@code [C]}) may be null. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, String reduction, double labelSmoothing) {
        this(weight, ignoreIndex, Reduction.of(reduction), labelSmoothing);
    }

    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
        registerBuffer("weight", weight);
    }

    public Tensor weight() {
        return getBuffer("weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.crossEntropy(input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
    }
}
