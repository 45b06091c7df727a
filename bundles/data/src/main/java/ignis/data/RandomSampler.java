package ignis.data;

import ignis.data.internal.SeededRandom;
import ignis.tensor.Mt19937;

/**
 * Random indices, as PyTorch's {@code RandomSampler}: by default a permutation of
 * {@code 0 .. size-1} per epoch; with replacement, {@code numSamples} independent uniform draws.
 *
 * <p>Epoch {@code e} draws from a generator derived from {@code (seed, e)}: every epoch has its own
 * order, and the same seed gives the same orders in every run, whatever the number of loader
 * workers. Without replacement and with {@code numSamples} above the size, whole permutations
 * follow one another and the last is cut short, as in PyTorch.
 *
 * <p>{@link #torchRandperm} gives PyTorch's orders instead: those of {@code torch.randperm} drawn from
 * one generator seeded once, as a training loop ported from PyTorch draws them epoch after epoch.
 */
public final class RandomSampler implements Sampler {

    private final int size;
    private final long seed;
    private final boolean replacement;
    private final int numSamples;
    private final boolean torch;
    // torchRandperm only, guarded by this: the generator after the permutations of epochs
    // 0 .. nextEpoch-1, so that epochs asked for in order cost one permutation each
    private Mt19937 generator;
    private long nextEpoch;

    /** A new permutation of {@code 0 .. size-1} each epoch. */
    public RandomSampler(int size, long seed) {
        this(size, seed, false, size);
    }

    /**
     * @param replacement whether indices are drawn with replacement
     * @param numSamples  how many indices each epoch has
     */
    public RandomSampler(int size, long seed, boolean replacement, int numSamples) {
        this(size, seed, replacement, numSamples, false);
    }

    /**
     * Epoch {@code e} in the order of the {@code e+1}-th call of
     * {@code torch.randperm(size, generator=g)} with {@code g = torch.Generator().manual_seed(seed)}.
     * The sampler keeps the generator where the last epoch left it: the next epoch costs one
     * permutation, an earlier one (a replay) the permutations of every epoch up to it.
     */
    public static RandomSampler torchRandperm(int size, long seed) {
        return new RandomSampler(size, seed, false, size, true);
    }

    private RandomSampler(int size, long seed, boolean replacement, int numSamples, boolean torch) {
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
        this.torch = torch;
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
        if (torch) {
            return torchPermutation(epoch);
        }
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

    /** The {@code epoch+1}-th permutation of the generator, going on from the last one drawn when it comes before. */
    private synchronized int[] torchPermutation(long epoch) {
        if (generator == null || epoch < nextEpoch) {
            generator = new Mt19937(seed);
            nextEpoch = 0;
        }
        for (; nextEpoch < epoch; nextEpoch++) {
            generator.permutation(size);
        }
        int[] order = generator.permutation(size);
        nextEpoch++;
        return order;
    }

    @Override
    public String toString() {
        return "RandomSampler(" + size + ", seed " + seed + (torch ? ", torch.randperm" : "") + (replacement ? ", with replacement" : "") + ", " + numSamples + " samples)";
    }
}
