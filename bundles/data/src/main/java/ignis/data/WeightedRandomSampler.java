package ignis.data;

import ignis.data.internal.SeededRandom;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Indices {@code 0 .. weights.length-1} drawn with probabilities proportional to their weights, as
 * PyTorch's {@code WeightedRandomSampler}: {@code numSamples} draws each epoch, with replacement, or
 * without, when every draw is proportional to the weights of the indices not drawn yet and no index
 * comes twice. An index of weight 0 is never drawn.
 *
 * <p>Epoch {@code e} draws from a generator derived from {@code (seed, e)}, as {@link RandomSampler}'s
 * epochs do: every epoch has its own draws, and the same seed gives the same draws in every run. The
 * draws follow the same distribution as {@code torch.multinomial}'s but are not the same numbers.
 */
public final class WeightedRandomSampler implements Sampler {

    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final long seed;
    // running sums of the weights divided by the largest, which can neither overflow nor lose the
    // smallest weights to subnormal rounding
    private final double[] cumulative;
    private final int lastPositive;
    private final int positive;

    /** {@code numSamples} draws with replacement each epoch. */
    public WeightedRandomSampler(double[] weights, int numSamples, long seed) {
        this(weights, numSamples, true, seed);
    }

    /**
     * @param weights     finite, non-negative and not all zero; need not sum to 1
     * @param numSamples  positive; without replacement, at most the number of positive weights
     * @param replacement whether an index may be drawn more than once in an epoch
     * @throws IllegalArgumentException naming the offending weight or count
     */
    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, long seed) {
        Objects.requireNonNull(weights, "weights");
        if (weights.length == 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: no weights given; give one per index of the data set");
        }
        double max = 0;
        int positive = 0;
        int lastPositive = -1;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || w == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("WeightedRandomSampler: weight " + i + " is " + w + "; weights must be finite and non-negative");
            }
            if (w > 0) {
                max = Math.max(max, w);
                positive++;
                lastPositive = i;
            }
        }
        if (positive == 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: all " + weights.length + " weights are zero; at least one must be positive");
        }
        if (numSamples <= 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: numSamples must be positive, got " + numSamples);
        }
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("WeightedRandomSampler: cannot draw " + numSamples + " samples without replacement from "
                    + positive + " indices of positive weight (of " + weights.length + " weights); draw at most " + positive
                    + " or draw with replacement");
        }
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.seed = seed;
        this.positive = positive;
        this.lastPositive = lastPositive;
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] / max;
            cumulative[i] = sum;
        }
    }

    @Override
    public int size() {
        return numSamples;
    }

    public long seed() {
        return seed;
    }

    public boolean replacement() {
        return replacement;
    }

    @Override
    public int[] indices(long epoch) {
        SeededRandom random = SeededRandom.forEpoch(seed, epoch);
        return replacement ? withReplacement(random) : withoutReplacement(random);
    }

    /** Each draw: the first index whose running sum exceeds a uniform draw in {@code [0, total)}; its weight is positive. */
    private int[] withReplacement(SeededRandom random) {
        double total = cumulative[lastPositive];
        int[] out = new int[numSamples];
        for (int s = 0; s < numSamples; s++) {
            double u = random.nextDouble() * total; // below total, as total >= 1
            int lo = 0;
            int hi = lastPositive;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            out[s] = lo;
        }
        return out;
    }

    /**
     * The Gumbel-top-k trick: ordered by {@code log(w) + Gumbel noise}, largest first, the indices
     * come as successive draws each proportional to the weights left would give them (torch.multinomial
     * ranks {@code w / Exp(1)}, the same order). Logarithms keep every positive weight in range.
     */
    private int[] withoutReplacement(SeededRandom random) {
        double[] keys = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double exponential = -Math.log1p(-random.nextDouble());
            keys[i] = Math.log(weights[i]) - Math.log(exponential);
        }
        return IntStream.range(0, weights.length).filter(i -> weights[i] > 0).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> keys[i]).reversed())
                .limit(numSamples).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "WeightedRandomSampler(" + weights.length + " weights, " + positive + " positive, seed " + seed
                + (replacement ? ", with replacement" : ", without replacement") + ", " + numSamples + " samples)";
    }
}
