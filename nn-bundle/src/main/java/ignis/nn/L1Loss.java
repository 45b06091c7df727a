package ignis.nn;

import ignis.tensor.Tensor;

/** The absolute error {@code |input - target|}, as {@code torch.nn.L1Loss}. */
public class L1Loss extends Loss {

    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** With PyTorch's reduction name: {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public L1Loss(String reduction) {
        this(Reduction.of(reduction));
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.l1Loss(input, target, reduction());
    }
}
