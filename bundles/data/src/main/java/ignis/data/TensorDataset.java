package ignis.data;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Tensors that share their first dimension, as PyTorch's {@code TensorDataset}: item {@code i} is
 * {@code {t0[i], t1[i], ...}}, one view (no copy) of each tensor, so that a {@link DataLoader} with the
 * default collate yields batches {@code {t0[batch], t1[batch], ...}}.
 *
 * <p>The data set holds its own handles to the tensors ({@link Tensor#retain()}): the caller keeps
 * ownership of the tensors it passed and may close them; the data set's handles are released by
 * {@link #close()}. Reading items from several threads at once is safe.
 */
public final class TensorDataset implements Dataset<Tensor[]>, AutoCloseable {

    private final Tensor[] tensors;
    private final int size;

    /**
     * @throws IllegalArgumentException when no tensor is given, a tensor is a scalar, or the first
     *         dimensions differ
     */
    public TensorDataset(Tensor... tensors) {
        Objects.requireNonNull(tensors, "tensors");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        }
        long first = -1;
        for (int k = 0; k < tensors.length; k++) {
            Tensor t = Objects.requireNonNull(tensors[k], "tensor " + k);
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + k + " is a scalar; every tensor needs a first dimension to index");
            }
            if (k == 0) {
                first = t.size(0);
            } else if (t.size(0) != first) {
                throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: tensor 0 has shape "
                        + tensors[0].shape() + ", tensor " + k + " has shape " + t.shape() + " (the first dimensions must be equal)");
            }
        }
        if (first > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TensorDataset: " + first + " items are more than a Dataset can index (" + Integer.MAX_VALUE + ")");
        }
        List<Tensor> held = new ArrayList<>(tensors.length);
        try {
            for (Tensor t : tensors) {
                held.add(t.retain());
            }
        } catch (RuntimeException e) {
            held.forEach(Tensor::close);
            throw e;
        }
        this.tensors = held.toArray(Tensor[]::new);
        this.size = (int) first;
    }

    @Override
    public int size() {
        return size;
    }

    /** {@code {t0.select(0, index), t1.select(0, index), ...}}: new views that the caller (or its scope) closes. */
    @Override
    public Tensor[] get(int index) {
        Objects.checkIndex(index, size);
        Tensor[] item = new Tensor[tensors.length];
        try {
            for (int k = 0; k < tensors.length; k++) {
                item[k] = tensors[k].select(0, index);
            }
        } catch (RuntimeException e) {
            Batches.close(item);
            throw e;
        }
        return item;
    }

    /**
     * The items at {@code indices} merged as the default collate merges them, {@code {t0[indices], t1[indices], ...}},
     * but gathered with one {@link Tensor#indexSelect} per tensor instead of a view per item: new tensors that the
     * caller (or its scope) closes.
     *
     * @throws IndexOutOfBoundsException when an index is outside {@code 0 .. size()-1}
     * @throws IllegalArgumentException when {@code indices} is empty
     */
    public Tensor[] batch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("TensorDataset.batch: a batch needs at least one index");
        }
        for (int index : indices) {
            Objects.checkIndex(index, size);
        }
        Tensor[] batch = new Tensor[tensors.length];
        try (Tensor rows = Tensors.of(indices)) {
            for (int k = 0; k < tensors.length; k++) {
                try (Tensor onDevice = rows.to(tensors[k].device())) {
                    batch[k] = tensors[k].indexSelect(0, onDevice);
                }
            }
        } catch (RuntimeException e) {
            Batches.close(batch);
            throw e;
        }
        return batch;
    }

    /** The number of tensors in an item. */
    public int width() {
        return tensors.length;
    }

    /** Tensor {@code k} whole: a new view of it that the caller (or its scope) closes. */
    public Tensor tensor(int k) {
        return tensors[Objects.checkIndex(k, tensors.length)].detach();
    }

    /** Releases the data set's handles; the tensors' memory is freed when no other handle holds it. */
    @Override
    public void close() {
        for (Tensor t : tensors) {
            t.close();
        }
    }

    @Override
    public String toString() {
        return "TensorDataset" + Arrays.stream(tensors).map(t -> t.shape() + " " + t.dtype()).toList();
    }
}
