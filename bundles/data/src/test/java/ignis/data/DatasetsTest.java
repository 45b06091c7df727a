package ignis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetsTest {

    /** A data set of the integers 0 .. n-1. */
    static Dataset<Integer> range(int n) {
        return new Dataset<>() {
            public int size() {
                return n;
            }

            public Integer get(int index) {
                return java.util.Objects.checkIndex(index, n);
            }
        };
    }

    @Test
    void tensorDatasetItemsAreViewsOfEachTensor() {
        long before = Tensors.liveTensors();
        try (TensorDataset data = LoaderTesting.numbered(5)) {
            assertEquals(5, data.size());
            assertEquals(2, data.width());
            try (TensorScope scope = Tensors.scope()) {
                Tensor[] item = data.get(3);
                assertEquals(Shape.of(2), item[0].shape());
                assertEquals(Shape.scalar(), item[1].shape());
                assertArrayEquals(new float[] {3f, 3.5f}, item[0].toFloatArray());
                assertEquals(3, item[1].itemLong());
                Tensor whole = data.tensor(0);
                assertTrue(whole.sharesMemoryWith(item[0]), "an item must be a view, not a copy");
            }
            assertThrows(IndexOutOfBoundsException.class, () -> data.get(5));
            assertThrows(IndexOutOfBoundsException.class, () -> data.get(-1));
        }
        assertEquals(before, Tensors.liveTensors(), "close() releases the data set's handles");
    }

    @Test
    void tensorDatasetGathersABatchAsTheDefaultCollateStacksItsItems() {
        try (TensorDataset data = LoaderTesting.numbered(5); TensorScope scope = Tensors.scope()) {
            Tensor[] batch = data.batch(new int[] {4, 0, 4, 2});
            assertEquals(Shape.of(4, 2), batch[0].shape());
            assertArrayEquals(new float[] {4f, 4.5f, 0f, 0.5f, 4f, 4.5f, 2f, 2.5f}, batch[0].toFloatArray());
            assertArrayEquals(new long[] {4, 0, 4, 2}, batch[1].toLongArray());
            assertFalse(batch[0].sharesMemoryWith(data.tensor(0)), "a batch is a copy, as a stack of the items is");
            assertThrows(IndexOutOfBoundsException.class, () -> data.batch(new int[] {1, 5}));
            assertThrows(IndexOutOfBoundsException.class, () -> data.batch(new int[] {-1}));
            assertThrows(IllegalArgumentException.class, () -> data.batch(new int[0]));
        }
    }

    @Test
    void tensorDatasetOutlivesTheScopeOfItsTensors() {
        TensorDataset data;
        try (TensorScope scope = Tensors.scope()) {
            data = new TensorDataset(Tensors.arange(4));
        }
        try (data; Tensor item = data.get(2)[0]) {
            assertEquals(2, item.itemLong());
        }
    }

    @Test
    void tensorDatasetRejectsMismatchedTensors() {
        try (Tensor a = Tensors.zeros(3, 2); Tensor b = Tensors.zeros(4); Tensor s = Tensors.scalar(1.0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(a, b));
            assertTrue(e.getMessage().contains("tensor 0 has shape [3, 2], tensor 1 has shape [4]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new TensorDataset(s));
            assertThrows(IllegalArgumentException.class, TensorDataset::new);
        }
    }

    @Test
    void subsetAndConcat() {
        Subset<Integer> subset = new Subset<>(range(10), new int[] {7, 2, 2});
        assertEquals(3, subset.size());
        assertEquals(List.of(7, 2, 2), List.of(subset.get(0), subset.get(1), subset.get(2)));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(range(3), new int[] {3}));
        assertThrows(IndexOutOfBoundsException.class, () -> subset.get(3));

        ConcatDataset<Integer> concat = ConcatDataset.of(range(2), range(0), range(3), range(0));
        assertEquals(5, concat.size());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < concat.size(); i++) {
            all.add(concat.get(i));
        }
        assertEquals(List.of(0, 1, 0, 1, 2), all);
        assertThrows(IndexOutOfBoundsException.class, () -> concat.get(5));
    }

    @Test
    void randomSplitByLengths() {
        List<Subset<Integer>> parts = Datasets.randomSplit(range(10), new int[] {3, 7}, 42);
        assertEquals(3, parts.get(0).size());
        assertEquals(7, parts.get(1).size());
        int[] union = IntStream.concat(Arrays.stream(parts.get(0).indices()), Arrays.stream(parts.get(1).indices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 10).toArray(), union, "the parts must cover the data set without overlap");

        List<Subset<Integer>> again = Datasets.randomSplit(range(10), new int[] {3, 7}, 42);
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices(), "the same seed gives the same split");
        assertArrayEquals(parts.get(1).indices(), again.get(1).indices());
        assertNotEquals(Arrays.toString(parts.get(1).indices()),
                Arrays.toString(Datasets.randomSplit(range(10), new int[] {3, 7}, 43).get(1).indices()), "another seed");
        assertFalse(Arrays.equals(IntStream.range(3, 10).toArray(), parts.get(1).indices()), "not shuffled");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new int[] {3, 6}, 1));
        assertTrue(e.getMessage().contains("add up to 9, not to the size of the data set, 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new int[] {11, -1}, 1));
    }

    /** PyTorch: floor(n * fraction) each, then the remainder one by one from the first part. */
    @Test
    void randomSplitByFractionsAsPyTorch() {
        assertArrayEquals(new int[] {3, 7}, Datasets.lengthsOf(10, new double[] {0.3, 0.7}));
        assertArrayEquals(new int[] {6, 5}, Datasets.lengthsOf(11, new double[] {0.5, 0.5}));
        assertArrayEquals(new int[] {4, 3, 3}, Datasets.lengthsOf(10, new double[] {0.33, 0.33, 0.34}));
        assertArrayEquals(new int[] {2, 2, 1, 1, 1, 1, 1, 1, 1, 1}, Datasets.lengthsOf(12, new double[] {.1, .1, .1, .1, .1, .1, .1, .1, .1, .1}));
        assertArrayEquals(new int[] {0, 0}, Datasets.lengthsOf(0, new double[] {0.5, 0.5}));
        List<Subset<Integer>> parts = Datasets.randomSplit(range(60_000), new double[] {0.8, 0.2}, 7);
        assertEquals(48_000, parts.get(0).size());
        assertEquals(12_000, parts.get(1).size());
        assertThrows(IllegalArgumentException.class, () -> Datasets.lengthsOf(10, new double[] {0.5, 0.6}));
        assertThrows(IllegalArgumentException.class, () -> Datasets.lengthsOf(10, new double[] {1.5, -0.5}));
        assertThrows(IllegalArgumentException.class, () -> Datasets.lengthsOf(10, new double[] {Double.NaN}));
    }

    /**
     * Hand-worked, and what {@code [len(p) for p in random_split(range(n), fractions)]} gives in PyTorch 1.13:
     * 5 x {0.3, 0.3, 0.4} floors to {1, 1, 2} and the one left over goes to the first part; 3 x {0.1, 0.1, 0.8}
     * floors to {0, 0, 2} (3 * 0.8 is 2.4000000000000004), one left over.
     */
    @Test
    void randomSplitByFractionsGivesTheRemainderRoundRobin() {
        assertArrayEquals(new int[] {2, 1, 2}, Datasets.lengthsOf(5, new double[] {0.3, 0.3, 0.4}));
        assertArrayEquals(new int[] {1, 0, 2}, Datasets.lengthsOf(3, new double[] {0.1, 0.1, 0.8}));
        assertArrayEquals(new int[] {0, 7}, Datasets.lengthsOf(7, new double[] {0.0, 1.0}));
        assertArrayEquals(new int[] {10}, Datasets.lengthsOf(10, new double[] {1.0}));
        List<Subset<Integer>> parts = Datasets.randomSplit(range(3), new double[] {0.1, 0.1, 0.8}, 5);
        assertEquals(List.of(1, 0, 2), parts.stream().map(Subset::size).toList());
        assertThrows(IllegalArgumentException.class, () -> Datasets.lengthsOf(10, new double[0]));
    }

    @Test
    void randomSplitOfAnEmptyDataSet() {
        List<Subset<Integer>> parts = Datasets.randomSplit(range(0), new int[] {0, 0}, 1);
        assertEquals(List.of(0, 0), parts.stream().map(Subset::size).toList());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(0), new int[] {1}, 1));
    }

    /** A subset of a subset reads through both index maps: outer[i] = inner[outer.indices[i]]. */
    @Test
    void subsetOfASubsetComposesTheIndices() {
        Subset<Integer> inner = new Subset<>(range(10), new int[] {9, 7, 5, 3});
        Subset<Integer> outer = new Subset<>(inner, new int[] {3, 0});
        assertEquals(2, outer.size());
        assertEquals(List.of(3, 9), List.of(outer.get(0), outer.get(1)));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(inner, new int[] {4}));
        assertTrue(e.getMessage().contains("index 4 (position 0) is outside a data set of 4 items"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(inner, new int[] {-1}));

        List<Subset<Integer>> halves = Datasets.randomSplit(inner, new int[] {2, 2}, 3);
        List<Integer> items = new ArrayList<>();
        for (Subset<Integer> half : halves) {
            for (int i = 0; i < half.size(); i++) {
                items.add(half.get(i));
            }
        }
        assertEquals(List.of(3, 5, 7, 9), items.stream().sorted().toList(), "a split of a subset covers its items");
    }
}
