package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** index_select, gather, scatter and scatter_add, masked_select, cat, stack, split and chunk. */
abstract class IndexingCases extends KitArea {

    @Test
    void indexSelectPicksAlongADimension() {
        Tensor m = range64(3, 2);
        Tensor rows = m.indexSelect(0, i64(2, 0, 2));
        assertShape(rows, 3, 2);
        assertExactly(new double[] {4, 5, 0, 1, 4, 5}, rows);
        assertExactly(new double[] {1, 3, 5}, m.indexSelect(1, i64(1)).reshape(3));
        assertExactly(new double[] {1, 0, 3, 2, 5, 4}, m.indexSelect(-1, i32(1, 0)));
        assertShape(m.indexSelect(0, i64(new long[0])), 0, 2);
        assertDType(DType.INT32, i32(new int[] {1, 2, 3}).indexSelect(0, i64(2, 2)));
        long big = (1L << 53) + 1;
        assertLongs(new long[] {big, big}, i64(5, big).indexSelect(0, i64(1, 1)));
        assertLongs(new long[] {0, big}, zeros(DType.INT64, 2).scatter(0, i64(1), i64(big)));
        // blocks of rows: t[i, j, k] = 12i + 4j + k, picking j = 2, 0, 2 in each i
        Tensor blocks = range64(2, 3, 4).indexSelect(1, i64(2, 0, 2));
        assertShape(blocks, 2, 3, 4);
        assertExactly(new double[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23, 12, 13, 14, 15, 20, 21, 22, 23}, blocks);
    }

    @Test
    void outOfRangeIndicesAreRejectedNamingTheIndex() {
        Tensor m = range64(3, 2);
        assertThrowsMentioning(IndexOutOfBoundsException.class, () -> m.indexSelect(0, i64(0, 5)), "5");
        assertThrowsMentioning(IndexOutOfBoundsException.class, () -> m.indexSelect(0, i64(-1)), "-1");
        assertThrowsMentioning(IndexOutOfBoundsException.class, () -> m.gather(1, i64(new long[] {0, 7, 1, 0}, 2, 2)), "7");
        assertThrowsMentioning(IndexOutOfBoundsException.class,
                () -> zeros(DType.FLOAT32, 3).scatter(0, i64(3), f32(1)), "3");
        assertThrowsMentioning(IndexOutOfBoundsException.class,
                () -> zeros(DType.FLOAT32, 3).scatterAdd(0, i64(-4), f32(1)), "-4");
        assertThrows(IllegalArgumentException.class, () -> m.indexSelect(0, f32(0)));
        assertThrows(IllegalArgumentException.class, () -> m.gather(0, i32(new int[] {0, 0}, 1, 2)));
    }

    @Test
    void gatherFollowsTheDocumentedExample() {
        // torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])) -> [[1, 1], [4, 3]]
        Tensor t = i64(new long[] {1, 2, 3, 4}, 2, 2);
        Tensor g = t.gather(1, i64(new long[] {0, 0, 1, 0}, 2, 2));
        assertShape(g, 2, 2);
        assertLongs(new long[] {1, 1, 4, 3}, g);
        // along dim 0, with an index smaller than the input
        Tensor m = range64(3, 4);
        Tensor g0 = m.gather(0, i64(new long[] {2, 0, 1}, 1, 3));
        assertShape(g0, 1, 3);
        assertExactly(new double[] {8, 1, 6}, g0);
        assertExactly(new double[] {0.5, 0.5}, typed(DType.FLOAT16, new double[] {0.5, 2}).gather(0, i64(0, 0)));
    }

    @Test
    void scatterFollowsTheDocumentedExample() {
        // src = torch.arange(1, 11).reshape((2, 5)); index = torch.tensor([[0, 1, 2, 0]])
        // torch.zeros(3, 5, dtype=src.dtype).scatter_(0, index, src)
        //   -> [[1, 0, 0, 4, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]
        Tensor src = i64(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5);
        Tensor index = i64(new long[] {0, 1, 2, 0}, 1, 4);
        Tensor target = zeros(DType.INT64, 3, 5);
        Tensor out = target.scatter(0, index, src);
        assertLongs(new long[] {1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0}, out);
        assertLongs(new long[15], target); // scatter() leaves its input alone
        // torch.zeros(3, 5).scatter_(1, torch.tensor([[0, 1, 2], [0, 1, 4]]), src)
        //   -> [[1, 2, 3, 0, 0], [6, 7, 0, 0, 8], [0, 0, 0, 0, 0]]
        Tensor byColumn = zeros(DType.INT64, 3, 5).scatter(1, i64(new long[] {0, 1, 2, 0, 1, 4}, 2, 3), src);
        assertLongs(new long[] {1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0}, byColumn);
        long version = target.version();
        assertTrue(target.scatter_(0, index, src) == target);
        assertEquals(version + 1, target.version());
        assertLongs(new long[] {1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0}, target);
    }

    @Test
    void scatterAddAccumulatesRepeatedIndices() {
        Tensor sums = zeros(DType.FLOAT32, 5).scatterAdd(0, i64(0, 1, 0, 1, 2, 1), f32(1, 2, 3, 4, 5, 6));
        assertExactly(new double[] {4, 12, 5, 0, 0}, sums);
        // torch.zeros(3, 5).scatter_add_(0, torch.tensor([[0, 1, 2, 0, 0], [0, 2, 0, 1, 2]]), torch.ones(2, 5))
        //   -> [[2, 0, 1, 1, 1], [0, 1, 0, 1, 0], [0, 1, 1, 0, 1]]
        Tensor grid = zeros(DType.FLOAT64, 3, 5);
        grid.scatterAdd_(0, i64(new long[] {0, 1, 2, 0, 0, 0, 2, 0, 1, 2}, 2, 5), ones(DType.FLOAT64, 2, 5));
        assertExactly(new double[] {2, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1}, grid);
        Tensor counts = zeros(DType.INT64, 3).scatterAdd(0, i64(2, 2, 2, 0), i64(1, 1, 1, 1));
        assertLongs(new long[] {1, 0, 3}, counts);
        assertThrows(IllegalArgumentException.class, () -> zeros(DType.FLOAT32, 3).scatterAdd(0, i64(0), f64(1)));
    }

    @Test
    void maskedSelectFlattensTheChosenElements() {
        Tensor m = f32(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor picked = m.maskedSelect(bools(new boolean[] {true, false, false, true}, 2, 2));
        assertShape(picked, 2);
        assertExactly(new double[] {1, 4}, picked);
        // the mask broadcasts: a mask per column
        assertExactly(new double[] {2, 4}, m.maskedSelect(bools(false, true)));
        assertShape(m.maskedSelect(bools(false, false)), 0);
        assertThrows(IllegalArgumentException.class, () -> m.maskedSelect(i32(1, 0)));
        assertExactly(new double[] {3, 4}, m.maskedSelect(m.gt(2.5)));
    }

    @Test
    void catJoinsAndPromotes() {
        Tensor a = range64(2, 3);
        Tensor b = range64(1, 3).add(10);
        Tensor rows = Tensors.cat(List.of(a, b), 0);
        assertShape(rows, 3, 3);
        assertExactly(new double[] {0, 1, 2, 3, 4, 5, 10, 11, 12}, rows);
        Tensor columns = Tensors.cat(List.of(a, range64(2, 1)), -1);
        assertShape(columns, 2, 4);
        assertExactly(new double[] {0, 1, 2, 0, 3, 4, 5, 1}, columns);
        // torch.cat([torch.tensor([1, 2], dtype=torch.int32), torch.tensor([3.5])]) -> tensor([1.0, 2.0, 3.5])
        Tensor mixed = Tensors.cat(List.of(i32(1, 2), f32(3.5)), 0);
        assertDType(DType.FLOAT32, mixed);
        assertExactly(new double[] {1, 2, 3.5}, mixed);
        assertDType(DType.INT64, Tensors.cat(List.of(i32(1), i64(2)), 0));
        assertShape(Tensors.cat(List.of(a, zeros(DType.FLOAT64, 0, 3)), 0), 2, 3);
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tensors.cat(List.of(a, range64(2, 2)), 0), "[2, 3]", "[2, 2]");
        assertThrows(IllegalArgumentException.class, () -> Tensors.cat(List.of(), 0));
    }

    @Test
    void stackAddsADimension() {
        Tensor a = f32(1, 2);
        Tensor b = f32(3, 4);
        Tensor s0 = Tensors.stack(List.of(a, b), 0);
        assertShape(s0, 2, 2);
        assertExactly(new double[] {1, 2, 3, 4}, s0);
        Tensor s1 = Tensors.stack(List.of(a, b), 1);
        assertExactly(new double[] {1, 3, 2, 4}, s1);
        assertShape(Tensors.stack(List.of(a, b, a), -1), 2, 3);
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tensors.stack(List.of(a, f32(1, 2, 3)), 0), "[2]", "[3]");
        // rank-0 tensors stack into a vector (but cannot be concatenated)
        Tensor s = scalarOf(DType.FLOAT32, 7);
        assertExactly(new double[] {7, 7}, Tensors.stack(List.of(s, s), 0));
        assertThrows(IllegalArgumentException.class, () -> Tensors.cat(List.of(s, s), 0));
    }

    @Test
    void splitAndChunkReturnViews() {
        Tensor x = range64(5, 2);
        List<Tensor> parts = x.split(2, 0);
        assertEquals(3, parts.size());
        assertShape(parts.get(0), 2, 2);
        assertShape(parts.get(2), 1, 2);
        assertExactly(new double[] {8, 9}, parts.get(2));
        assertTrue(parts.get(1).sharesMemoryWith(x));
        List<Tensor> sized = x.split(new long[] {1, 4}, 0);
        assertShape(sized.get(1), 4, 2);
        assertExactly(new double[] {2, 3, 4, 5, 6, 7, 8, 9}, sized.get(1));
        assertThrows(IllegalArgumentException.class, () -> x.split(new long[] {1, 3}, 0));
        // torch.arange(5).chunk(3) -> sizes 2, 2, 1; torch.arange(6).chunk(4) -> 3 chunks of 2
        assertEquals(List.of(2L, 2L, 1L), range64(5).chunk(3, 0).stream().map(t -> t.size(0)).toList());
        assertEquals(List.of(2L, 2L, 2L), range64(6).chunk(4, 0).stream().map(t -> t.size(0)).toList());
        List<Tensor> halves = range64(2, 6).chunk(2, 1);
        assertExactly(new double[] {3, 4, 5, 9, 10, 11}, halves.get(1));
        halves.get(0).fill_(-1);
        assertExactly(new double[] {-1, -1, -1, 3, 4, 5, -1, -1, -1, 9, 10, 11}, Tensors.cat(List.of(halves.get(0), halves.get(1)), 1));
        assertFalse(halves.get(0).isContiguous());
    }
}
