package ignis.tensor;

/**
 * What happens to a tensor when the devices change under it (a backend bundle stops, is updated or
 * arrives, or a device fails). Whatever the policy, a tensor whose device leaves is moved to cpu
 * first: no handle ever points at memory that is gone.
 *
 * <p>The results of ops take the strongest policy of their inputs ({@code STRICT} over
 * {@code FOLLOW_BEST} over {@code FALLBACK}), as do {@code zerosLike} and its kin, so that a model's
 * activations, gradients and optimizer state move with its parameters.
 */
public enum Placement {

    /**
     * A lost device is an error for the user to handle: the tensor's values are kept on cpu, but every
     * op on it throws {@link DeviceLostException} until the tensor is {@linkplain Tensor#place placed}
     * again.
     */
    STRICT,

    /** A lost device moves the tensor to cpu, where it goes on working. The default. */
    FALLBACK,

    /**
     * The tensor lives on {@link Device#best()}: it moves to cpu when its device leaves, and to a better
     * device when one arrives.
     */
    FOLLOW_BEST
}
