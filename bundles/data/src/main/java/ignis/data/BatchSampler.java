package ignis.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Groups the indices of a {@link Sampler} into batches of {@code batchSize}, in order, as PyTorch's
 * {@code BatchSampler}; the last batch is smaller when the size does not divide evenly, or dropped
 * with {@code dropLast}.
 */
public final class BatchSampler {

    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("BatchSampler: batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** The number of batches in each epoch. */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The batches of epoch {@code epoch}: each an array of indices. */
    public List<int[]> batches(long epoch) {
        int[] indices = sampler.indices(epoch);
        int count = dropLast ? indices.length / batchSize : (indices.length + batchSize - 1) / batchSize;
        List<int[]> batches = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            int from = b * batchSize;
            batches.add(Arrays.copyOfRange(indices, from, Math.min(from + batchSize, indices.length)));
        }
        return batches;
    }

    public Sampler sampler() {
        return sampler;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    @Override
    public String toString() {
        return "BatchSampler(" + sampler + ", batch " + batchSize + (dropLast ? ", drop last" : "") + ")";
    }
}
