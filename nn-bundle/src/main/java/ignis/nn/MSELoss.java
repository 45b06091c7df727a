package ignis.nn;

import ignis.tensor.Tensor;

/** The mean squared error {@code (input - target)^2}, as {@code torch.nn.MSELoss}. */
public class MSELoss extends Loss {

    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** With PyTorch's reduction name: {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public MSELoss(String reduction) {
        this(Reduction.of(reduction));
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.mseLoss(input, target, reduction());
    }
}
