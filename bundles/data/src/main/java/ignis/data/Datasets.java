package ignis.data;

import ignis.data.internal.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Operations on data sets, as PyTorch's {@code torch.utils.data.random_split}. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Splits a data set into non-overlapping random subsets of the given lengths, as PyTorch's
     * {@code random_split(dataset, lengths, generator)}: one random permutation of the indices, cut
     * in order. The same seed gives the same split (the permutation is not PyTorch's, whose
     * generator differs).
     *
     * @throws IllegalArgumentException when a length is negative or the lengths do not add up to the size
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, long seed) {
        Objects.requireNonNull(dataset, "dataset");
        long sum = 0;
        for (int length : lengths) {
            if (length < 0) {
                throw new IllegalArgumentException("randomSplit: lengths must be non-negative, got " + Arrays.toString(lengths));
            }
            sum += length;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: the lengths " + Arrays.toString(lengths) + " add up to " + sum
                    + ", not to the size of the data set, " + dataset.size());
        }
        int[] permutation = new SeededRandom(seed).permutation(dataset.size());
        List<Subset<T>> parts = new ArrayList<>(lengths.length);
        int at = 0;
        for (int length : lengths) {
            parts.add(new Subset<>(dataset, Arrays.copyOfRange(permutation, at, at + length)));
            at += length;
        }
        return parts;
    }

    /**
     * Splits a data set by fractions that add up to 1, as PyTorch's {@code random_split} does: each
     * part gets {@code floor(size * fraction)} items and the items left over go one each to the
     * parts in turn, from the first. For example 11 items split by {@code {0.5, 0.5}} give parts of
     * 6 and 5.
     *
     * @throws IllegalArgumentException when a fraction is outside [0, 1] or they do not add up to 1
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, long seed) {
        return randomSplit(dataset, lengthsOf(dataset.size(), fractions), seed);
    }

    /** The part lengths {@link #randomSplit(Dataset, double[], long)} gives {@code size} items. */
    public static int[] lengthsOf(int size, double[] fractions) {
        if (fractions.length == 0) {
            throw new IllegalArgumentException("randomSplit: expected at least one fraction");
        }
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fractions must be between 0 and 1, got " + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) { // math.isclose(sum, 1), as PyTorch
            throw new IllegalArgumentException("randomSplit: fractions must add up to 1, " + Arrays.toString(fractions) + " add up to " + sum);
        }
        int[] lengths = new int[fractions.length];
        long assigned = 0;
        for (int k = 0; k < fractions.length; k++) {
            lengths[k] = (int) Math.floor(size * fractions[k]);
            assigned += lengths[k];
        }
        for (long r = 0; r < size - assigned; r++) {
            lengths[(int) (r % lengths.length)]++;
        }
        return lengths;
    }
}
