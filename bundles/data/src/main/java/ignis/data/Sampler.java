package ignis.data;

/**
 * The order in which a {@link DataLoader} visits the indices of a data set, one epoch at a time, as
 * PyTorch's {@code Sampler}. Epochs are numbered from 0; {@link #indices(long)} must depend only on
 * the epoch (and the sampler's own settings, such as a seed), so that a run can be repeated and an
 * epoch replayed, and it may be called from any thread.
 */
public interface Sampler {

    /** The number of indices in each epoch. */
    int size();

    /** The indices of epoch {@code epoch}, in order: a new array of {@link #size()} values. */
    int[] indices(long epoch);
}
