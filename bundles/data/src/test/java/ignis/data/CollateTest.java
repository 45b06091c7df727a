package ignis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CollateTest {

    public record Pair(Tensor x, Tensor y) {
    }

    record WithInt(Tensor x, int label) {
    }

    private TensorScope scope;

    @BeforeEach
    void open() {
        scope = Tensors.scope();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    @Test
    void tensorsStackAlongANewFirstDimension() {
        Tensor batch = Collate.<Tensor>defaultCollate().collate(List.of(Tensors.of(new float[] {1, 2}), Tensors.of(new float[] {3, 4})));
        assertEquals(Shape.of(2, 2), batch.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, batch.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Collate.<Tensor>defaultCollate().collate(List.of(Tensors.zeros(2), Tensors.zeros(3))));
        assertTrue(e.getMessage().contains("equal shape"), e.getMessage());
    }

    @Test
    void tensorArraysCollateElementWise() {
        Tensor[] a = {Tensors.of(new float[] {1, 2}), Tensors.scalar(0L)};
        Tensor[] b = {Tensors.of(new float[] {3, 4}), Tensors.scalar(1L)};
        Tensor[] batch = Collate.<Tensor[]>defaultCollate().collate(List.of(a, b));
        assertEquals(2, batch.length);
        assertEquals(Shape.of(2, 2), batch[0].shape());
        assertEquals(Shape.of(2), batch[1].shape());
        assertEquals(DType.INT64, batch[1].dtype());
        assertArrayEquals(new long[] {0, 1}, batch[1].toLongArray());
    }

    @Test
    void recordsListsAndMapsKeepTheirShape() {
        Pair p = Collate.<Pair>defaultCollate().collate(List.of(new Pair(Tensors.zeros(3), Tensors.scalar(1L)), new Pair(Tensors.ones(3), Tensors.scalar(2L))));
        assertEquals(Shape.of(2, 3), p.x().shape());
        assertArrayEquals(new long[] {1, 2}, p.y().toLongArray());

        List<Object> list = Collate.<List<Object>>defaultCollate().collate(List.of(List.of(Tensors.zeros(2), 3, "a"), List.of(Tensors.ones(2), 4, "b")));
        assertEquals(Shape.of(2, 2), ((Tensor) list.get(0)).shape());
        assertArrayEquals(new long[] {3, 4}, ((Tensor) list.get(1)).toLongArray());
        assertEquals(List.of("a", "b"), list.get(2));

        Map<String, Object> map = Collate.<Map<String, Object>>defaultCollate().collate(List.of(
                Map.of("w", 0.5, "f", 1.5f, "b", true, "v", new float[] {1, 2}),
                Map.of("w", 1, "f", 2.5f, "b", false, "v", new float[] {3, 4})));
        assertEquals(DType.FLOAT64, ((Tensor) map.get("w")).dtype(), "a Double makes float64, as a Python float");
        assertArrayEquals(new double[] {0.5, 1}, ((Tensor) map.get("w")).toDoubleArray());
        assertEquals(DType.FLOAT32, ((Tensor) map.get("f")).dtype());
        assertEquals(DType.BOOL, ((Tensor) map.get("b")).dtype());
        assertEquals(Shape.of(2, 2), ((Tensor) map.get("v")).shape());
        assertEquals(4, Batches.tensors(map).size());
    }

    @Test
    void numbersBecomeTensors() {
        Tensor ints = Collate.<Number>numbers().collate(List.of(1, 2L, (short) 3));
        assertEquals(DType.INT64, ints.dtype());
        assertArrayEquals(new long[] {1, 2, 3}, ints.toLongArray());
        Object any = Collate.any().collate(List.of(1.5f, 2.5f));
        assertEquals(DType.FLOAT32, assertInstanceOf(Tensor.class, any).dtype());
    }

    @Test
    void mismatchesAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Collate.<WithInt>defaultCollate().collate(List.of(new WithInt(Tensors.zeros(1), 1), new WithInt(Tensors.zeros(1), 2))));
        assertTrue(e.getMessage().contains("component 'label' of WithInt is a int but its batch is a Tensor"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Collate.<Integer>defaultCollate().collate(List.of(1, 2)));
        assertTrue(e.getMessage().contains("Collate.numbers()"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Collate.<Object[]>defaultCollate().collate(List.of(new Object[] {Tensors.zeros(1), 1}, new Object[] {Tensors.zeros(1), "x"})));
        assertTrue(e.getMessage().contains("item[1] of item 0 is a Integer but of item 1 a String"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Collate.<Tensor[]>defaultCollate().collate(List.of(new Tensor[] {Tensors.zeros(1)}, new Tensor[0])));
        assertTrue(e.getMessage().contains("1 elements in item 0 but 0 in item 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Collate.any().collate(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Collate.any().collate(List.of(new Object())));
    }

    @Test
    void aFailedCollateClosesWhatItMade() {
        long before = Tensors.liveTensors();
        try (TensorScope inner = Tensors.scope()) {
            Object[] a = {Tensors.zeros(2), 1, Tensors.zeros(2)};
            Object[] b = {Tensors.zeros(2), 2, Tensors.zeros(3)};
            long made = Tensors.liveTensors();
            assertThrows(IllegalArgumentException.class, () -> Collate.any().collate(List.of(a, b)));
            assertEquals(made, Tensors.liveTensors(), "the stacked column 0 and the numbers of column 1 must be closed");
        }
        assertEquals(before, Tensors.liveTensors());
    }
}
