package ignis.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Data sets one after the other, as PyTorch's {@code ConcatDataset}: the items of the first, then
 * those of the second, and so on.
 *
 * @param <T> the type of an item
 */
public final class ConcatDataset<T> implements Dataset<T> {

    private final List<Dataset<? extends T>> datasets;
    /** {@code ends[k]}: the number of items in data sets 0..k. */
    private final int[] ends;

    /** @throws IllegalArgumentException when no data set is given or the total size exceeds an int */
    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        this.datasets = List.copyOf(datasets);
        if (this.datasets.isEmpty()) {
            throw new IllegalArgumentException("ConcatDataset needs at least one data set");
        }
        ends = new int[this.datasets.size()];
        long total = 0;
        for (int k = 0; k < ends.length; k++) {
            total += Objects.requireNonNull(this.datasets.get(k), "data set " + k).size();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ConcatDataset: the data sets hold more than " + Integer.MAX_VALUE + " items together");
            }
            ends[k] = (int) total;
        }
    }

    @SafeVarargs
    public static <T> ConcatDataset<T> of(Dataset<? extends T>... datasets) {
        return new ConcatDataset<>(Arrays.asList(datasets));
    }

    @Override
    public int size() {
        return ends[ends.length - 1];
    }

    @Override
    public T get(int index) {
        Objects.checkIndex(index, size());
        int k = Arrays.binarySearch(ends, index + 1);
        if (k < 0) {
            k = -k - 1;
        } else {
            while (k > 0 && ends[k - 1] == index + 1) {
                k--; // skip back over empty data sets ending at the same place
            }
        }
        int start = k == 0 ? 0 : ends[k - 1];
        return datasets.get(k).get(index - start);
    }

    /** The data sets, in order. */
    public List<Dataset<? extends T>> datasets() {
        return datasets;
    }
}
