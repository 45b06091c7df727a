package ignis.data;

/** {@code 0, 1, ..., size-1} in every epoch, as PyTorch's {@code SequentialSampler}. */
public final class SequentialSampler implements Sampler {

    private final int size;

    public SequentialSampler(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("SequentialSampler: size must be non-negative, got " + size);
        }
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] indices(long epoch) {
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = i;
        }
        return indices;
    }

    @Override
    public String toString() {
        return "SequentialSampler(" + size + ")";
    }
}
