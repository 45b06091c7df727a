package ignis.data;

/**
 * A map from indices {@code 0 .. size()-1} to items, as PyTorch's map-style
 * {@code torch.utils.data.Dataset}.
 *
 * <p>A {@link DataLoader} with workers calls {@link #get} from several threads at once, so
 * implementations must allow concurrent reads. The loader fetches a batch inside a
 * {@linkplain ignis.tensor.Tensors#scope() tensor scope} and closes every tensor made during the
 * fetch that does not end up in the batch: {@code get} may return new tensors (views, copies) and
 * need not close anything, but a data set that caches a tensor it makes inside {@code get} must hold
 * it through {@link ignis.tensor.Tensor#retain()}, or the scope will close it.
 *
 * @param <T> the type of an item
 */
public interface Dataset<T> {

    /** The number of items. */
    int size();

    /**
     * The item at {@code index}.
     *
     * @throws IndexOutOfBoundsException when index is outside {@code 0 .. size()-1}
     */
    T get(int index);
}
