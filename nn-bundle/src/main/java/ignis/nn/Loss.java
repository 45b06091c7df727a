package ignis.nn;

import ignis.tensor.Tensor;

/**
 * The base of the loss modules, as PyTorch's {@code _Loss}: a module (so that class weights, kept as
 * buffers, move with {@link #to} and appear in the state dict) whose computation takes an input and
 * a target, reduced as {@link #reduction()} says.
 */
public abstract class Loss extends Module {

    private final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(name() + " takes an input and a target: call forward(input, target)");
    }

    @Override
    protected String extraRepr() {
        return "";
    }
}
