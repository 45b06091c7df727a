package ignis.data;

import ignis.data.internal.SeededRandom;

/**
 * Random indices, as PyTorch's {@code RandomSampler}: by default a permutation of
 * {@code 0 .. size-1} per epoch; with replacement, {@code numSamples} independent uniform draws.
 *
 * <p>Epoch {@code e} draws from a generator derived from {@code (seed, e)}: every epoch has its own
 * order, and the same seed gives the same orders in every run, whatever the number of loader
 * workers. Without replacement and with {@code numSamples} above the size, whole permutations
 * follow one another and the last is cut short, as in PyTorch.
 */
public final class RandomSampler implements Sampler {

    private final int size;
    private final long seed;
    private final boolean replacement;
    private final int numSamples;

    /** A new permutation of {@code 0 .. size-1} each epoch. */
    public RandomSampler(int size, long seed) {
        this(size, seed, false, size);
    }

    /**
     * @param replacement whether indices are drawn with replacement
     * @param numSamples  how many indices each epoch has
     */
    public RandomSampler(int size, long seed, boolean replacement, int numSamples) {
        if (size < 0) {
            throw new IllegalArgumentException("RandomSampler: size must be non-negative, got " + size);
        }
        if (numSamples < 0) {
            throw new IllegalArgumentException("RandomSampler: numSamples must be non-negative, got " + numSamples);
        }
        if (size == 0 && numSamples > 0) {
            throw new IllegalArgumentException("RandomSampler: cannot draw " + numSamples + " samples from an empty data set");
        }
        this.size = size;
        this.seed = seed;
        this.replacement = replacement;
        this.numSamples = numSamples;
    }

    @Override
    public int size() {
        return numSamples;
    }

    public long seed() {
        return seed;
    }

    @Override
    public int[] indices(long epoch) {
        SeededRandom random = SeededRandom.forEpoch(seed, epoch);
        int[] out = new int[numSamples];
        if (replacement) {
            for (int i = 0; i < numSamples; i++) {
                out[i] = random.nextInt(size);
            }
            return out;
        }
        int at = 0;
        while (at < numSamples) {
            int[] permutation = random.permutation(size);
            int n = Math.min(size, numSamples - at);
            System.arraycopy(permutation, 0, out, at, n);
            at += n;
        }
        return out;
    }

    @Override
    public String toString() {
        return "RandomSampler(" + size + ", seed " + seed + (replacement ? ", with replacement" : "") + ", " + numSamples + " samples)";
    }
}
