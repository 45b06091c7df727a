package ignis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Mt19937;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void sequentialCountsUp() {
        SequentialSampler s = new SequentialSampler(4);
        assertEquals(4, s.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, s.indices(0));
        assertArrayEquals(new int[] {0, 1, 2, 3}, s.indices(7));
        assertArrayEquals(new int[0], new SequentialSampler(0).indices(0));
    }

    @Test
    void randomIsAPermutationPerEpochThatRepeatsForASeed() {
        RandomSampler s = new RandomSampler(1000, 42);
        int[] e0 = s.indices(0);
        int[] e1 = s.indices(1);
        assertArrayEquals(IntStream.range(0, 1000).toArray(), sorted(e0));
        assertArrayEquals(IntStream.range(0, 1000).toArray(), sorted(e1));
        assertFalse(Arrays.equals(e0, e1), "epochs 0 and 1 have the same order");
        assertFalse(Arrays.equals(IntStream.range(0, 1000).toArray(), e0), "not shuffled");
        assertArrayEquals(e0, new RandomSampler(1000, 42).indices(0), "the same seed and epoch give the same order");
        assertFalse(Arrays.equals(e0, new RandomSampler(1000, 43).indices(0)), "another seed gives the same order");
    }

    @Test
    void torchRandpermGivesPyTorchsOrderEpochAfterEpochInAnyCallOrder() {
        // g = torch.Generator().manual_seed(0); torch.randperm(60000, generator=g)[:5], twice (PyTorch 1.13)
        RandomSampler s = RandomSampler.torchRandperm(60000, 0);
        int[] second = s.indices(1);
        int[] first = s.indices(0);
        assertArrayEquals(new int[] {36044, 10678, 57327, 55074, 21567}, Arrays.copyOf(first, 5));
        assertArrayEquals(new int[] {27953, 38120, 7367, 44667, 1513}, Arrays.copyOf(second, 5));
        assertArrayEquals(IntStream.range(0, 60000).toArray(), sorted(first));
        assertArrayEquals(second, s.indices(1));
        assertEquals(60000, s.size());
    }

    /** Epochs asked for in order, backwards, skipped or twice: each is the (e+1)-th torch.randperm all the same. */
    @Test
    void torchRandpermGivesEachEpochsOrderWhateverWasAskedBefore() {
        // g = torch.Generator().manual_seed(7); [torch.randperm(10, generator=g).tolist() for _ in range(6)] (PyTorch 1.13)
        int[][] torch = {
            {5, 0, 3, 4, 1, 7, 9, 6, 8, 2},
            {1, 8, 9, 5, 7, 4, 0, 3, 6, 2},
            {3, 7, 6, 2, 9, 0, 5, 4, 1, 8},
            {7, 0, 8, 4, 2, 6, 9, 3, 1, 5},
            {6, 0, 7, 1, 5, 3, 4, 9, 8, 2},
            {1, 8, 0, 7, 2, 9, 5, 6, 3, 4},
        };
        RandomSampler s = RandomSampler.torchRandperm(10, 7);
        for (int e : new int[] {0, 1, 2, 3, 4, 5, 3, 5, 5, 1, 0, 4, 2}) {
            assertArrayEquals(torch[e], s.indices(e), "epoch " + e);
        }
    }

    /** Kept between epochs, the generator gives the orders of a fresh one that draws every earlier epoch's permutation first. */
    @Test
    void torchRandpermKeepsTheGeneratorBetweenEpochs() {
        RandomSampler s = RandomSampler.torchRandperm(1000, 3);
        for (int e = 0; e <= 5; e++) {
            Mt19937 fresh = new Mt19937(3);
            for (int before = 0; before < e; before++) {
                fresh.permutation(1000);
            }
            assertArrayEquals(fresh.permutation(1000), s.indices(e), "epoch " + e);
        }
    }

    /** Threads asking for epochs at once, in different orders, get each epoch's order. */
    @Test
    void torchRandpermIsSafeFromManyThreads() throws Exception {
        int epochs = 12;
        RandomSampler reference = RandomSampler.torchRandperm(200, 11);
        int[][] expected = new int[epochs][];
        for (int e = 0; e < epochs; e++) {
            expected[e] = reference.indices(e);
        }
        RandomSampler shared = RandomSampler.torchRandperm(200, 11);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int stride = t + 1;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 3 * epochs; k++) {
                        int e = k * stride % epochs;
                        assertArrayEquals(expected[e], shared.indices(e), "epoch " + e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    /** Every position is about equally likely to hold every index: no bias in the shuffle. */
    @Test
    void randomPermutationsAreUniform() {
        int n = 4;
        int epochs = 24_000;
        int[][] counts = new int[n][n];
        RandomSampler s = new RandomSampler(n, 5);
        for (int e = 0; e < epochs; e++) {
            int[] p = s.indices(e);
            for (int pos = 0; pos < n; pos++) {
                counts[pos][p[pos]]++;
            }
        }
        for (int[] row : counts) {
            for (int c : row) {
                assertTrue(Math.abs(c - epochs / n) < 300, "position counts " + Arrays.deepToString(counts)); // ~ 4.5 sigma
            }
        }
    }

    @Test
    void randomWithReplacementOrMoreSamplesThanItems() {
        RandomSampler withReplacement = new RandomSampler(5, 1, true, 50);
        int[] draws = withReplacement.indices(0);
        assertEquals(50, draws.length);
        assertTrue(Arrays.stream(draws).allMatch(i -> i >= 0 && i < 5));
        assertEquals(5, Arrays.stream(draws).distinct().count(), "50 draws of 5 values should hit all (p > 0.9999)");

        int[] twice = new RandomSampler(5, 1, false, 12).indices(3);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted(Arrays.copyOfRange(twice, 0, 5)));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted(Arrays.copyOfRange(twice, 5, 10)));
        assertEquals(2, Arrays.stream(twice, 10, 12).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> new RandomSampler(0, 1, true, 3));
    }

    /** Fewer samples than items without replacement: the start of one permutation, so no index repeats. */
    @Test
    void randomWithFewerSamplesThanItemsDrawsDistinctIndices() {
        RandomSampler s = new RandomSampler(10, 4, false, 6);
        assertEquals(6, s.size());
        for (long e = 0; e < 50; e++) {
            int[] draws = s.indices(e);
            assertEquals(6, draws.length);
            assertEquals(6, Arrays.stream(draws).distinct().count(), "epoch " + e + ": " + Arrays.toString(draws));
            assertTrue(Arrays.stream(draws).allMatch(i -> i >= 0 && i < 10));
        }
        assertArrayEquals(new int[0], new RandomSampler(0, 1).indices(0));
        assertThrows(IllegalArgumentException.class, () -> new RandomSampler(3, 1, false, -1));
        assertThrows(IllegalArgumentException.class, () -> new RandomSampler(-1, 1));
    }

    /** The batch count follows the sampler's numSamples, not the data set's size: ceil(7 / 3) and floor(7 / 3). */
    @Test
    void batchSamplerCountsTheSamplersSamples() {
        assertEquals(3, new BatchSampler(new RandomSampler(100, 1, true, 7), 3, false).size());
        assertEquals(2, new BatchSampler(new RandomSampler(100, 1, true, 7), 3, true).size());
        List<int[]> batches = new BatchSampler(new RandomSampler(100, 1, true, 7), 3, false).batches(0);
        assertEquals(List.of(3, 3, 1), batches.stream().map(b -> b.length).toList());
        assertEquals(0, new BatchSampler(new SequentialSampler(0), 3, false).size());
        assertEquals(List.of(), new BatchSampler(new SequentialSampler(0), 3, false).batches(0));
    }

    @Test
    void batchSamplerGroupsInOrder() {
        BatchSampler keep = new BatchSampler(new SequentialSampler(7), 3, false);
        assertEquals(3, keep.size());
        assertEquals(List.of("[0, 1, 2]", "[3, 4, 5]", "[6]"), keep.batches(0).stream().map(Arrays::toString).toList());
        BatchSampler drop = new BatchSampler(new SequentialSampler(7), 3, true);
        assertEquals(2, drop.size());
        assertEquals(List.of("[0, 1, 2]", "[3, 4, 5]"), drop.batches(0).stream().map(Arrays::toString).toList());
        assertEquals(0, new BatchSampler(new SequentialSampler(2), 3, true).batches(0).size());
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(new SequentialSampler(2), 0, false));

        RandomSampler random = new RandomSampler(10, 9);
        int[] flat = new BatchSampler(random, 4, false).batches(2).stream().flatMapToInt(Arrays::stream).toArray();
        assertArrayEquals(random.indices(2), flat, "batches follow the sampler's epoch");
    }

    private static int[] sorted(int[] a) {
        int[] b = a.clone();
        Arrays.sort(b);
        return b;
    }
}
