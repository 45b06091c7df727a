package ignis.tensor;

/** The node of the autograd graph that produced a tensor, as PyTorch's {@code grad_fn}. */
public interface GradFn {

    /** A name like {@code MulBackward}, as printed by {@link Tensor#toString()}. */
    String name();
}
