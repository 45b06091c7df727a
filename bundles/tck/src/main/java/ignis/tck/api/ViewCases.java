package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Views share memory and copy nothing; reshape and contiguous copy only when they must; indices
 * follow Python's (negative ones count from the end). The property test runs random chains of view
 * ops on a tensor and on a pure-Java model that knows only, for each element of the view, which
 * element of the base it is.
 */
abstract class ViewCases extends KitArea {

    @Test
    void viewInfersOneSizeAndSharesMemory() {
        Tensor base = range64(12);
        Tensor v = base.view(3, -1);
        assertShape(v, 3, 4);
        assertTrue(v.sharesMemoryWith(base));
        assertShape(base.view(-1, 2, 3), 2, 2, 3);
        assertShape(base.view(2, 6).view(-1), 12);
        // one element views as a scalar and back: x.view(()) and x.view(1, 1)
        Tensor one = range64(1, 1);
        assertShape(one.view(), new long[0]);
        assertShape(one.view().view(1), 1);
        assertThrows(IllegalArgumentException.class, () -> range64(2).view());
        v.select(0, 1).fill_(-1);
        assertExactly(new double[] {0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11}, base);
    }

    @Test
    void viewRejectsBadSizesNamingThem() {
        Tensor base = range64(12);
        assertThrowsMentioning(IllegalArgumentException.class, () -> base.view(5, -1), "[5, -1]", "12");
        assertThrowsMentioning(IllegalArgumentException.class, () -> base.view(5, 3), "[5, 3]", "12");
        assertThrows(IllegalArgumentException.class, () -> base.view(-1, -1));
        Tensor transposed = base.view(3, 4).t();
        assertThrowsMentioning(IllegalArgumentException.class, () -> transposed.view(12), "[4, 3]");
    }

    @Test
    void reshapeCopiesOnlyWhenNoViewIsPossible() {
        Tensor base = range64(3, 4);
        Tensor flat = base.reshape(-1);
        assertTrue(flat.sharesMemoryWith(base), "a contiguous tensor reshapes into a view");
        Tensor transposed = base.t();
        Tensor copied = transposed.reshape(12);
        assertFalse(copied.sharesMemoryWith(base), "a transposed matrix cannot be flattened without a copy");
        assertExactly(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, copied);
        // x[:, :3] of a [4, 6] matrix splits its first dim as a view: x[:, :3].view(2, 2, 3) works in PyTorch
        Tensor wide = range64(4, 6);
        Tensor columns = wide.narrow(1, 0, 3);
        Tensor split = columns.view(2, 2, 3);
        assertTrue(split.sharesMemoryWith(wide));
        assertExactly(new double[] {0, 1, 2, 6, 7, 8, 12, 13, 14, 18, 19, 20}, split);
        assertTrue(columns.reshape(2, 2, 3).sharesMemoryWith(wide), "reshape is a view whenever view works");
        assertFalse(columns.reshape(12).sharesMemoryWith(wide), "merging non-adjacent columns copies");
    }

    @Test
    void transposeAndTSwapDimensions() {
        Tensor m = range64(2, 3);
        Tensor t = m.t();
        assertShape(t, 3, 2);
        assertExactly(new double[] {0, 3, 1, 4, 2, 5}, t);
        assertTrue(t.sharesMemoryWith(m));
        assertFalse(t.isContiguous());
        assertArrayEquals(new long[] {1, 3}, t.stride());
        Tensor cube = range64(2, 3, 4);
        Tensor swapped = cube.transpose(0, -1);
        assertShape(swapped, 4, 3, 2);
        assertEquals(13.0, swapped.select(0, 1).select(0, 0).select(0, 1).item(), "swapped[1][0][1] = cube[1][0][1]");
        Tensor vector = range64(3);
        assertShape(vector.t(), 3);
        assertThrows(IllegalArgumentException.class, cube::t);
        assertThrows(IndexOutOfBoundsException.class, () -> m.transpose(0, 2));
    }

    @Test
    void permuteReordersDimensions() {
        Tensor cube = range64(2, 3, 4);
        Tensor p = cube.permute(2, 0, 1);
        assertShape(p, 4, 2, 3);
        double[] expected = new double[24];
        for (int k = 0, n = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected[n++] = i * 12 + j * 4 + k;
                }
            }
        }
        assertExactly(expected, p);
        assertShape(cube.permute(-1, -3, -2), 4, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> cube.permute(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> cube.permute(0, 1));
    }

    @Test
    void narrowTakesARunOfOneDimension() {
        Tensor m = range64(4, 3);
        assertExactly(new double[] {3, 4, 5, 6, 7, 8}, m.narrow(0, 1, 2));
        assertExactly(new double[] {1, 2, 4, 5, 7, 8, 10, 11}, m.narrow(1, 1, 2));
        // torch.narrow accepts a negative start, counted from the end
        assertExactly(new double[] {6, 7, 8, 9, 10, 11}, m.narrow(0, -2, 2));
        assertShape(m.narrow(0, 4, 0), 0, 3);
        assertThrowsMentioning(IndexOutOfBoundsException.class, () -> m.narrow(0, 3, 2), "[4, 3]");
    }

    @Test
    void sliceFollowsPythonSlicing() {
        Tensor a = range64(6);
        assertExactly(new double[] {3, 4}, a.slice(0, -3, -1, 1));        // a[-3:-1]
        assertExactly(new double[] {1, 3, 5}, a.slice(0, 1, 100, 2));     // a[1:100:2]
        assertExactly(new double[] {0, 1}, a.slice(0, -100, 2, 1));       // a[-100:2]
        assertExactly(new double[] {0, 3}, a.slice(0, 0, 6, 3));          // a[::3]
        assertExactly(new double[] {4, 5}, a.slice(0, -2, Long.MAX_VALUE, 1)); // a[-2:]
        assertShape(a.slice(0, 4, 2, 1), 0);                              // a[4:2]
        assertShape(a.slice(0, 7, 9, 1), 0);                              // a[7:9]
        Tensor m = range64(3, 4);
        assertExactly(new double[] {1, 3, 9, 11}, m.slice(0, 0, 3, 2).slice(1, 1, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> a.slice(0, 0, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> a.slice(0, 6, 0, -1));
    }

    @Test
    void selectRemovesADimensionAndCountsNegativeIndicesFromTheEnd() {
        Tensor m = range64(3, 4);
        Tensor last = m.select(0, -1);
        assertShape(last, 4);
        assertExactly(new double[] {8, 9, 10, 11}, last);
        assertExactly(new double[] {2, 6, 10}, m.select(1, 2));
        assertExactly(new double[] {7}, m.select(1, -1).select(0, 1));
        assertEquals(0, m.select(0, 0).select(0, 0).dim());
        assertThrowsMentioning(IndexOutOfBoundsException.class, () -> m.select(0, 3), "3", "[3, 4]");
        assertThrowsMentioning(IndexOutOfBoundsException.class, () -> m.select(1, -5), "-5", "[3, 4]");
    }

    @Test
    void expandRepeatsSizeOneDimensionsWithoutCopying() {
        Tensor column = range64(3, 1);
        Tensor e = column.expand(3, 4);
        assertShape(e, 3, 4);
        assertTrue(e.sharesMemoryWith(column));
        assertEquals(0, e.stride(1));
        assertExactly(new double[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, e);
        assertShape(column.expand(-1, 2), 3, 2);
        assertShape(column.expand(2, 3, 5), 2, 3, 5);
        assertExactly(new double[] {0, 1, 2, 0, 1, 2}, range64(3).expand(2, 3));
        assertShape(range64(1).expand(0), 0);
        assertThrowsMentioning(IllegalArgumentException.class, () -> column.expand(4, 4), "4", "[3, 1]");
        assertThrows(IllegalArgumentException.class, () -> column.expand(3));
        // a rank-0 tensor expands to any shape: torch.tensor(5.).expand(2, 2)
        assertExactly(new double[] {5, 5, 5, 5}, scalarOf(DType.FLOAT64, 5).expand(2, 2));
        Tensor other = zeros(DType.FLOAT32, 2, 3, 4);
        assertShape(range64(4).expandAs(other), 2, 3, 4);
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor t = range64(1, 3, 1, 2);
        assertShape(t.squeeze(), 3, 2);
        assertShape(t.squeeze(0), 3, 1, 2);
        assertShape(t.squeeze(1), 1, 3, 1, 2);
        assertShape(t.squeeze(-2), 1, 3, 2);
        assertShape(range64(1, 1).squeeze(), new long[0]);
        assertShape(range64(3).unsqueeze(0), 1, 3);
        assertShape(range64(3).unsqueeze(1), 3, 1);
        assertShape(range64(3).unsqueeze(-1), 3, 1);
        assertShape(range64(2, 3).unsqueeze(-2), 2, 1, 3);
        assertShape(on(Tensors.scalar(1.0)).unsqueeze(0), 1);
        assertTrue(t.squeeze().sharesMemoryWith(t));
        assertThrows(IndexOutOfBoundsException.class, () -> range64(3).unsqueeze(2));
        assertThrows(IndexOutOfBoundsException.class, () -> range64(3).unsqueeze(-3));
        assertExactly(new double[] {0, 1, 2, 3, 4, 5}, t.squeeze().unsqueeze(1));
    }

    @Test
    void flattenMergesARangeOfDimensions() {
        Tensor cube = range64(2, 3, 4);
        assertShape(cube.flatten(), 24);
        assertShape(cube.flatten(1, 2), 2, 12);
        assertShape(cube.flatten(0, 1), 6, 4);
        assertShape(cube.flatten(-2, -1), 2, 12);
        assertTrue(cube.flatten().sharesMemoryWith(cube));
        // torch.tensor(5.).flatten() -> tensor([5.])
        assertShape(on(Tensors.scalar(5.0)).flatten(), 1);
        Tensor permuted = cube.permute(2, 0, 1);
        Tensor flat = permuted.flatten();
        assertFalse(flat.sharesMemoryWith(cube));
        assertExactly(permuted.toDoubleArray(), flat);
        assertThrows(IllegalArgumentException.class, () -> cube.flatten(2, 1));
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor m = range64(2, 3);
        Tensor same = m.contiguous();
        assertTrue(same.sharesMemoryWith(m));
        assertTrue(same.isContiguous());
        Tensor t = m.t();
        Tensor dense = t.contiguous();
        assertFalse(dense.sharesMemoryWith(m));
        assertTrue(dense.isContiguous());
        assertArrayEquals(new long[] {2, 1}, dense.stride());
        assertExactly(new double[] {0, 3, 1, 4, 2, 5}, dense);
        assertTrue(range64(3, 1).expand(3, 2).contiguous().isContiguous());
    }

    @Test
    void writingThroughAnyViewChangesTheBase() {
        Tensor base = range64(4, 4);
        base.narrow(0, 1, 1).fill_(-1);                 // row 1
        base.t().select(0, 3).fill_(-2);                // column 3
        base.slice(1, 0, 3, 2).select(0, 3).fill_(-3);  // row 3, columns 0 and 2
        base.view(16).narrow(0, 0, 1).fill_(-4);        // element 0
        base.unsqueeze(0).select(0, 0).select(0, 2).select(0, 1).fill_(-5); // element [2][1]
        assertExactly(new double[] {
            -4, 1, 2, -2,
            -1, -1, -1, -2,
            8, -5, 10, -2,
            -3, 13, -3, -2}, base);
    }

    @Test
    void emptyTensorsAreContiguous() {
        // PyTorch's TensorImpl::compute_contiguous returns true for every tensor with no elements:
        // torch.zeros(0, 0, 2, 2).transpose(2, 3).is_contiguous() -> True
        Tensor empty = zeros(DType.FLOAT32, 0, 0, 2, 2);
        assertTrue(empty.isContiguous());
        assertTrue(empty.transpose(2, 3).isContiguous(), "an empty transposed tensor is contiguous");
        assertTrue(zeros(DType.FLOAT32, 3, 0).t().isContiguous());
    }

    @Test
    void emptyViewsAtAnyOffsetCanBeRead() {
        // torch.zeros(40, 4, 0)[39] has storage offset 156 and no elements; .tolist() gives [[], [], [], []]
        Tensor empty = zeros(DType.FLOAT32, 40, 4, 0).select(0, 39);
        assertShape(empty, 4, 0);
        assertEquals(0, empty.toFloatArray().length);
        assertEquals(0, empty.toLongArray().length);
        assertEquals(0, zeros(DType.INT64, 3, 0).narrow(0, 2, 1).toLongArray().length);
    }

    @Test
    void clonesAndDetachedTensors() {
        Tensor base = range64(3);
        Tensor copy = base.clone();
        assertFalse(copy.sharesMemoryWith(base));
        copy.fill_(7);
        assertExactly(new double[] {0, 1, 2}, base);
        Tensor detached = base.detach();
        assertTrue(detached.sharesMemoryWith(base));
    }

    // ---- property: random chains of view ops against an index model -----------------------

    /** One view op; its parameters are read modulo what the current shape allows, so every chain is valid. */
    record Op(int kind, int a, int b, int c) {
        static final String[] NAMES = {"transpose", "permute", "narrow", "slice", "select", "expand", "squeeze",
            "unsqueeze", "reshape", "view", "flatten", "t", "contiguous"};

        @Override
        public String toString() {
            return NAMES[kind] + "(" + a + ", " + b + ", " + c + ")";
        }
    }

    @Provide
    Arbitrary<List<Integer>> baseShapes() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)), Tuple.of(12, Arbitraries.integers().between(1, 4)));
        return size.list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Op>> chains() {
        Arbitrary<Integer> param = Arbitraries.integers().between(0, 99);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, Op.NAMES.length - 1), param, param, param)
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(7);
    }

    @Property(tries = 300)
    void chainsOfViewOpsMatchAnIndexModel(@ForAll("baseShapes") List<Integer> sizes, @ForAll("chains") List<Op> chain) {
        long[] shape = sizes.stream().mapToLong(Integer::longValue).toArray();
        long n = Reference.numel(shape);
        Tensor base = on(Tensors.arange(n)).view(shape);
        Model model = Model.of(shape);
        Tensor t = base;
        List<String> applied = new ArrayList<>();
        for (Op op : chain) {
            Step step = apply(op, t, model);
            if (step == null) {
                continue;
            }
            applied.add(step.call);
            t = step.tensor;
            model = step.model;
            String where = "after " + applied + " on shape " + Arrays.toString(shape);
            assertEquals(Shape.of(model.shape), t.shape(), "shape " + where);
            if (model.ids.length > 0) { // reading empty views is checked by emptyViewsAtAnyOffsetCanBeRead
                assertArrayEquals(model.ids, t.toLongArray(), "elements " + where);
            }
            // (empty views are contiguous too, as in PyTorch; emptyTensorsAreContiguous checks that on its own)
            if (t.sharesMemoryWith(base) && model.isDenseRun() && model.ids.length > 0) {
                assertTrue(t.isContiguous(), "a view over a dense run of the base is contiguous, " + where);
            }
        }
        checkWritesThrough(base, t, model, "after " + applied + " on shape " + Arrays.toString(shape));
    }

    /** A write to the view lands on exactly the model's elements of the base, or is refused for an expanded view. */
    private static void checkWritesThrough(Tensor base, Tensor view, Model model, String where) {
        long n = base.numel();
        long version = base.version();
        if (view.numel() == 0) {
            return; // nothing to write (PyTorch refuses an in-place op on an empty expanded view, and so may Ignis)
        }
        if (view.sharesMemoryWith(base)) {
            if (model.hasRepeats()) {
                assertThrows(IllegalArgumentException.class, () -> view.add_(1000), "writing an expanded view " + where);
                assertArrayEquals(Reference.iota(n), base.toDoubleArray(), "base unchanged by the refused write " + where);
                return;
            }
            view.add_(1000);
            long[] expected = new long[Math.toIntExact(n)];
            Arrays.setAll(expected, i -> i);
            for (long id : model.ids) {
                expected[(int) id] += 1000;
            }
            assertArrayEquals(expected, base.toLongArray(), "the base after a write through the view " + where);
            if (view.numel() > 0) {
                assertEquals(version + 1, base.version(), "the base shares the view's version counter " + where);
            }
        } else {
            try {
                view.add_(1000);
            } catch (IllegalArgumentException refused) {
                // an expanded copy: refusing is right, and the base is untouched either way
            }
            assertArrayEquals(Reference.iota(n), base.toDoubleArray(), "a copy is independent of the base " + where);
        }
    }

    private record Step(String call, Tensor tensor, Model model) {
    }

    /** Applies op to both; null when it does not apply to the current shape. */
    private static Step apply(Op op, Tensor t, Model m) {
        int rank = m.shape.length;
        long numel = m.ids.length;
        switch (op.kind) {
            case 0 -> { // transpose
                if (rank == 0) {
                    return null;
                }
                int d0 = op.a % rank;
                int d1 = op.b % rank;
                int s0 = signed(d0, rank, op.c % 2 == 1);
                int s1 = signed(d1, rank, op.c % 3 == 1);
                long[] shape = m.shape.clone();
                shape[d0] = m.shape[d1];
                shape[d1] = m.shape[d0];
                return new Step("transpose(" + s0 + ", " + s1 + ")", t.transpose(s0, s1),
                        m.map(shape, idx -> swap(idx, d0, d1)));
            }
            case 1 -> { // permute
                if (rank == 0) {
                    return null;
                }
                int[] p = permutation(rank, op.a * 100L + op.b);
                long[] shape = new long[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = m.shape[p[i]];
                }
                return new Step("permute" + Arrays.toString(p), t.permute(p), m.map(shape, idx -> {
                    long[] old = new long[rank];
                    for (int i = 0; i < rank; i++) {
                        old[p[i]] = idx[i];
                    }
                    return old;
                }));
            }
            case 2 -> { // narrow
                if (rank == 0) {
                    return null;
                }
                int d = op.a % rank;
                long size = m.shape[d];
                long start = op.b % (size + 1);
                long length = op.c % (size - start + 1);
                long startArg = op.a % 2 == 1 && start < size ? start - size : start;
                long[] shape = m.shape.clone();
                shape[d] = length;
                return new Step("narrow(" + d + ", " + startArg + ", " + length + ")", t.narrow(d, startArg, length),
                        m.map(shape, idx -> add(idx, d, start)));
            }
            case 3 -> { // slice, Python semantics
                if (rank == 0) {
                    return null;
                }
                int d = op.a % rank;
                long size = m.shape[d];
                long start = op.b % (2 * size + 3) - (size + 1);
                long end = op.c % (2 * size + 3) - (size + 1);
                long step = 1 + (op.a / 10) % 3;
                long from = pythonBound(start, size);
                long to = pythonBound(end, size);
                long length = to > from ? (to - from + step - 1) / step : 0;
                long[] shape = m.shape.clone();
                shape[d] = length;
                return new Step("slice(" + d + ", " + start + ", " + end + ", " + step + ")", t.slice(d, start, end, step),
                        m.map(shape, idx -> {
                            long[] old = idx.clone();
                            old[d] = from + idx[d] * step;
                            return old;
                        }));
            }
            case 4 -> { // select
                if (rank == 0) {
                    return null;
                }
                int d = op.a % rank;
                long size = m.shape[d];
                if (size == 0) {
                    return null;
                }
                long index = op.b % size;
                long indexArg = op.c % 2 == 1 ? index - size : index;
                long[] shape = remove(m.shape, d);
                return new Step("select(" + d + ", " + indexArg + ")", t.select(d, indexArg),
                        m.map(shape, idx -> insert(idx, d, index)));
            }
            case 5 -> { // expand
                if (rank >= 5) {
                    return null;
                }
                int lead = op.a % 2 == 1 ? 1 : 0;
                long[] sizes = new long[rank + lead];
                long[] shape = new long[rank + lead];
                if (lead == 1) {
                    sizes[0] = 1 + op.c % 2;
                    shape[0] = sizes[0];
                }
                for (int d = 0; d < rank; d++) {
                    if (m.shape[d] == 1) {
                        shape[d + lead] = 1 + (op.b + d) % 3;
                        sizes[d + lead] = shape[d + lead];
                    } else {
                        shape[d + lead] = m.shape[d];
                        sizes[d + lead] = op.c % 3 == 0 ? -1 : m.shape[d];
                    }
                }
                return new Step("expand" + Arrays.toString(sizes), t.expand(sizes), m.map(shape, idx -> {
                    long[] old = new long[rank];
                    for (int d = 0; d < rank; d++) {
                        old[d] = m.shape[d] == 1 ? 0 : idx[d + lead];
                    }
                    return old;
                }));
            }
            case 6 -> { // squeeze
                if (op.c % 4 == 0) {
                    List<Integer> kept = new ArrayList<>();
                    for (int d = 0; d < rank; d++) {
                        if (m.shape[d] != 1) {
                            kept.add(d);
                        }
                    }
                    long[] shape = kept.stream().mapToLong(d -> m.shape[d]).toArray();
                    return new Step("squeeze()", t.squeeze(), m.map(shape, idx -> {
                        long[] old = new long[rank];
                        for (int i = 0; i < kept.size(); i++) {
                            old[kept.get(i)] = idx[i];
                        }
                        return old;
                    }));
                }
                if (rank == 0) {
                    return null;
                }
                int d = op.a % rank;
                int arg = signed(d, rank, op.b % 2 == 1);
                if (m.shape[d] != 1) {
                    return new Step("squeeze(" + arg + ")", t.squeeze(arg), m.map(m.shape.clone(), idx -> idx));
                }
                return new Step("squeeze(" + arg + ")", t.squeeze(arg), m.map(remove(m.shape, d), idx -> insert(idx, d, 0)));
            }
            case 7 -> { // unsqueeze
                if (rank >= 5) {
                    return null;
                }
                int d = op.a % (rank + 1);
                int arg = op.b % 2 == 1 ? d - (rank + 1) : d;
                return new Step("unsqueeze(" + arg + ")", t.unsqueeze(arg), m.map(insert(m.shape, d, 1), idx -> remove(idx, d)));
            }
            case 8, 9 -> { // reshape, or view when the tensor is contiguous
                long[] target;
                long[] args;
                if (numel == 0) {
                    target = new long[] {0};
                    args = new long[] {-1};
                } else {
                    List<Long> divisors = new ArrayList<>();
                    for (long x = 1; x <= numel; x++) {
                        if (numel % x == 0) {
                            divisors.add(x);
                        }
                    }
                    long x = divisors.get(op.b % divisors.size());
                    target = new long[] {x, numel / x};
                    args = op.c % 2 == 0 ? new long[] {x, -1} : target;
                }
                boolean view = op.kind == 9 && t.isContiguous();
                Tensor result = view ? t.view(args) : t.reshape(args);
                if (view) {
                    assertTrue(result.sharesMemoryWith(t), "view() of a contiguous tensor shares its memory");
                }
                if (t.isContiguous()) {
                    assertTrue(result.sharesMemoryWith(t), "reshape() of a contiguous tensor copies nothing");
                }
                return new Step((view ? "view" : "reshape") + Arrays.toString(args), result, m.map(target, idx -> null));
            }
            case 10 -> { // flatten
                if (rank == 0) {
                    return new Step("flatten()", t.flatten(), m.map(new long[] {1}, idx -> null));
                }
                int start = op.a % rank;
                int end = start + op.b % (rank - start);
                long merged = 1;
                for (int d = start; d <= end; d++) {
                    merged *= m.shape[d];
                }
                long[] shape = new long[rank - (end - start)];
                for (int d = 0, j = 0; d < rank; d++) {
                    if (d < start || d > end) {
                        shape[j++] = m.shape[d];
                    } else if (d == start) {
                        shape[j++] = merged;
                    }
                }
                return new Step("flatten(" + start + ", " + end + ")", t.flatten(start, end), m.map(shape, idx -> null));
            }
            case 11 -> { // t
                if (rank > 2) {
                    return null;
                }
                if (rank < 2) {
                    return new Step("t()", t.t(), m.map(m.shape.clone(), idx -> idx));
                }
                return new Step("t()", t.t(), m.map(new long[] {m.shape[1], m.shape[0]}, idx -> swap(idx, 0, 1)));
            }
            default -> { // contiguous
                Tensor result = t.contiguous();
                assertEquals(t.isContiguous(), result.sharesMemoryWith(t), "contiguous() copies exactly when needed");
                assertTrue(result.isContiguous());
                return new Step("contiguous()", result, m.map(m.shape.clone(), idx -> idx));
            }
        }
    }

    private static int signed(int dim, int rank, boolean negative) {
        return negative ? dim - rank : dim;
    }

    /** Python's clamping of a slice bound for a positive step. */
    private static long pythonBound(long bound, long size) {
        if (bound < 0) {
            bound += size;
            return bound < 0 ? 0 : bound;
        }
        return Math.min(bound, size);
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    private static long[] swap(long[] idx, int a, int b) {
        long[] out = idx.clone();
        out[a] = idx[b];
        out[b] = idx[a];
        return out;
    }

    private static long[] add(long[] idx, int d, long delta) {
        long[] out = idx.clone();
        out[d] += delta;
        return out;
    }

    private static long[] remove(long[] values, int index) {
        long[] out = new long[values.length - 1];
        for (int i = 0, j = 0; i < values.length; i++) {
            if (i != index) {
                out[j++] = values[i];
            }
        }
        return out;
    }

    private static long[] insert(long[] values, int index, long value) {
        long[] out = new long[values.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == index ? value : values[j++];
        }
        return out;
    }

    /**
     * The model of a view: its shape and, in row-major order, the base element each of its elements
     * is. It knows nothing of strides.
     */
    record Model(long[] shape, long[] ids) {

        static Model of(long[] shape) {
            long[] ids = new long[Math.toIntExact(Reference.numel(shape))];
            Arrays.setAll(ids, i -> i);
            return new Model(shape, ids);
        }

        /**
         * The model of a new view: element {@code idx} of the new shape is element {@code toOld(idx)} of
         * this one; a null mapping keeps the row-major order (a reshape).
         */
        Model map(long[] newShape, Function<long[], long[]> toOld) {
            long[] ids = new long[Math.toIntExact(Reference.numel(newShape))];
            for (int i = 0; i < ids.length; i++) {
                long[] old = toOld.apply(Reference.unravel(i, newShape));
                ids[i] = old == null ? this.ids[i] : this.ids[Math.toIntExact(Reference.ravel(old, shape))];
            }
            return new Model(newShape, ids);
        }

        boolean hasRepeats() {
            Set<Long> seen = new HashSet<>();
            for (long id : ids) {
                if (!seen.add(id)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the elements are consecutive elements of the base, in order. */
        boolean isDenseRun() {
            for (int i = 1; i < ids.length; i++) {
                if (ids[i] != ids[0] + i) {
                    return false;
                }
            }
            return true;
        }
    }
}
