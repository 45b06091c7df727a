package ignis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WeightedRandomSamplerTest {

    // chi2.ppf(0.999, 3), from PyTorch 1.13 by bisection on torch.special.gammainc(3 / 2, x / 2) = 0.999:
    // a fair sampler exceeds it one time in 1000 (the seeds are fixed, so the tests do not flake)
    private static final double CHI2_999_DF3 = 16.266;

    private static final double[] WEIGHTS = {1, 0, 2, 3, 4};

    @Test
    void theSameSeedAndEpochGiveTheSameDraws() {
        for (boolean replacement : new boolean[] {true, false}) {
            WeightedRandomSampler s = new WeightedRandomSampler(new double[] {5, 1, 0, 2, 7, 3, 1, 1}, 6, replacement, 42);
            int[] e0 = s.indices(0);
            assertEquals(6, e0.length);
            assertEquals(6, s.size());
            assertArrayEquals(e0, s.indices(0));
            assertArrayEquals(e0, new WeightedRandomSampler(new double[] {5, 1, 0, 2, 7, 3, 1, 1}, 6, replacement, 42).indices(0));
            assertFalse(Arrays.equals(e0, s.indices(1)), "epochs 0 and 1 draw alike (replacement " + replacement + ")");
            assertFalse(Arrays.equals(e0, new WeightedRandomSampler(new double[] {5, 1, 0, 2, 7, 3, 1, 1}, 6, replacement, 43).indices(0)),
                    "another seed draws alike (replacement " + replacement + ")");
        }
    }

    /** 100 000 draws with replacement against the exact probabilities w / 10; the zero weight is never drawn. */
    @Test
    void drawsWithReplacementFollowTheWeights() {
        int draws = 100_000;
        long[] counts = new long[WEIGHTS.length];
        for (int i : new WeightedRandomSampler(WEIGHTS, draws, 7).indices(0)) {
            counts[i]++;
        }
        assertEquals(0, counts[1], "an index of weight 0 was drawn");
        double[] p = {0.1, 0, 0.2, 0.3, 0.4};
        assertTrue(chiSquare(counts, p, draws) < CHI2_999_DF3, "counts " + Arrays.toString(counts));
    }

    /** The weights need not sum to 1, and neither huge nor subnormal ones upset the draws. */
    @Test
    void onlyTheRatiosOfTheWeightsMatter() {
        int draws = 40_000;
        double[] p = {0.25, 0.75};
        for (double[] w : new double[][] {{0.5e308, 1.5e308}, {Double.MIN_VALUE, 3 * Double.MIN_VALUE}, {0.5, 1.5}}) {
            long[] counts = new long[2];
            for (int i : new WeightedRandomSampler(w, draws, 11).indices(0)) {
                counts[i]++;
            }
            // one degree of freedom: chi2.ppf(0.999, 1) = 10.83, obtained as above; the first weights sum past Double.MAX_VALUE
            assertTrue(chiSquare(counts, p, draws) < 10.83, Arrays.toString(w) + ": counts " + Arrays.toString(counts));
        }
        assertArrayEquals(new int[] {0, 0, 0}, new WeightedRandomSampler(new double[] {Double.MIN_VALUE, 0}, 3, 1).indices(0));
    }

    /**
     * Without replacement each epoch's indices are distinct and of positive weight; the first draw
     * follows w / 10, and the second {@code P(j) = sum over i != j of p_i p_j / (1 - p_i)}.
     */
    @Test
    void drawsWithoutReplacementAreDistinctSuccessiveWeightedDraws() {
        int epochs = 20_000;
        WeightedRandomSampler s = new WeightedRandomSampler(WEIGHTS, 3, false, 5);
        long[] first = new long[WEIGHTS.length];
        long[] second = new long[WEIGHTS.length];
        for (long e = 0; e < epochs; e++) {
            int[] drawn = s.indices(e);
            assertEquals(3, Arrays.stream(drawn).distinct().count(), "epoch " + e + ": " + Arrays.toString(drawn));
            assertTrue(Arrays.stream(drawn).noneMatch(i -> i == 1), "epoch " + e + " drew the index of weight 0: " + Arrays.toString(drawn));
            first[drawn[0]]++;
            second[drawn[1]]++;
        }
        double[] p = {0.1, 0, 0.2, 0.3, 0.4};
        double[] pSecond = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            for (int i = 0; i < p.length; i++) {
                if (i != j) {
                    pSecond[j] += p[i] * p[j] / (1 - p[i]);
                }
            }
        }
        assertEquals(1, Arrays.stream(pSecond).sum(), 1e-12);
        assertTrue(chiSquare(first, p, epochs) < CHI2_999_DF3, "first draws " + Arrays.toString(first));
        assertTrue(chiSquare(second, pSecond, epochs) < CHI2_999_DF3, "second draws " + Arrays.toString(second));
    }

    /** As many samples as positive weights, without replacement: every such index once, the zero ones never. */
    @Test
    void drawingEveryPositiveIndexWithoutReplacementGivesAPermutationOfThem() {
        WeightedRandomSampler s = new WeightedRandomSampler(new double[] {0, 3, 0, 1, 1e-300, 8}, 4, false, 9);
        for (long e = 0; e < 100; e++) {
            int[] drawn = s.indices(e);
            Arrays.sort(drawn);
            assertArrayEquals(new int[] {1, 3, 4, 5}, drawn, "epoch " + e);
        }
    }

    @Test
    void badWeightsAndCountsAreRefusedNamingThem() {
        assertMessage("weight 2 is -0.5", () -> new WeightedRandomSampler(new double[] {1, 2, -0.5}, 3, 1));
        assertMessage("weight 1 is NaN", () -> new WeightedRandomSampler(new double[] {1, Double.NaN}, 3, 1));
        assertMessage("weight 0 is Infinity", () -> new WeightedRandomSampler(new double[] {Double.POSITIVE_INFINITY, 1}, 3, 1));
        assertMessage("weight 1 is -Infinity", () -> new WeightedRandomSampler(new double[] {1, Double.NEGATIVE_INFINITY}, 3, 1));
        assertMessage("all 3 weights are zero", () -> new WeightedRandomSampler(new double[] {0, 0, -0.0}, 3, 1));
        assertMessage("no weights", () -> new WeightedRandomSampler(new double[0], 3, 1));
        assertMessage("numSamples must be positive, got 0", () -> new WeightedRandomSampler(new double[] {1}, 0, 1));
        assertMessage("numSamples must be positive, got -4", () -> new WeightedRandomSampler(new double[] {1}, -4, false, 1));
        assertMessage("cannot draw 3 samples without replacement from 2 indices of positive weight (of 4 weights)",
                () -> new WeightedRandomSampler(new double[] {1, 0, 2, 0}, 3, false, 1));
        assertThrows(NullPointerException.class, () -> new WeightedRandomSampler(null, 3, 1));
        assertEquals(3, new WeightedRandomSampler(new double[] {1, 0, 2, 0}, 3, true, 1).indices(0).length, "with replacement, more samples than weights");
    }

    /** The sampler keeps a copy: changing the caller's array afterwards changes nothing. */
    @Test
    void theWeightsAreCopied() {
        double[] w = {1, 1};
        WeightedRandomSampler s = new WeightedRandomSampler(w, 50, 3);
        int[] before = s.indices(0);
        w[0] = 0;
        assertArrayEquals(before, s.indices(0));
    }

    private static void assertMessage(String expected, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }

    /** Pearson's statistic over the categories of positive probability. */
    private static double chiSquare(long[] counts, double[] p, long n) {
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (p[i] > 0) {
                double expected = p[i] * n;
                sum += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        return sum;
    }
}
