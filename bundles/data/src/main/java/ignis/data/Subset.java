package ignis.data;

import java.util.Objects;

/**
 * The items of another data set at given indices, in the given order, as PyTorch's {@code Subset}.
 *
 * @param <T> the type of an item
 */
public final class Subset<T> implements Dataset<T> {

    private final Dataset<T> dataset;
    private final int[] indices;

    /** @throws IndexOutOfBoundsException naming the first index outside the data set */
    public Subset(Dataset<T> dataset, int[] indices) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.indices = indices.clone();
        int size = dataset.size();
        for (int i = 0; i < this.indices.length; i++) {
            if (this.indices[i] < 0 || this.indices[i] >= size) {
                throw new IndexOutOfBoundsException("Subset: index " + this.indices[i] + " (position " + i
                        + ") is outside a data set of " + size + " items");
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        return dataset.get(indices[Objects.checkIndex(index, indices.length)]);
    }

    /** The data set the items come from. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** The indices into {@link #dataset()}, a copy. */
    public int[] indices() {
        return indices.clone();
    }
}
