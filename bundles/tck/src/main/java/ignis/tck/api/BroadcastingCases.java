package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** NumPy's broadcasting rule, as PyTorch applies it to every elementwise op; errors name both shapes. */
abstract class BroadcastingCases extends KitArea {

    /**
     * NumPy's rule, written independently: pad the shorter shape with leading 1s; in each dimension
     * the sizes other than 1 must all be equal, and the result is that size (or 1 if there is none).
     * Null when the shapes do not broadcast.
     */
    static long[] numpyBroadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] pa = padded(a, rank);
        long[] pb = padded(b, rank);
        long[] out = new long[rank];
        for (int d = 0; d < rank; d++) {
            List<Long> notOne = new ArrayList<>();
            for (long s : new long[] {pa[d], pb[d]}) {
                if (s != 1 && !notOne.contains(s)) {
                    notOne.add(s);
                }
            }
            if (notOne.size() > 1) {
                return null;
            }
            out[d] = notOne.isEmpty() ? 1 : notOne.get(0);
        }
        return out;
    }

    private static long[] padded(long[] shape, int rank) {
        long[] out = new long[rank];
        java.util.Arrays.fill(out, 1);
        System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
        return out;
    }

    /** The row-major position in {@code shape} of the element that output index {@code out} reads. */
    private static int sourceOf(long[] out, long[] shape) {
        long[] idx = new long[shape.length];
        int lead = out.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            idx[d] = shape[d] == 1 ? 0 : out[d + lead];
        }
        return Math.toIntExact(Reference.ravel(idx, shape));
    }

    @Test
    void handWorkedShapes() {
        Tensor column = f64(new double[] {1, 2, 3}, 3, 1);
        Tensor row = f64(10, 20, 30, 40);
        Tensor sum = column.add(row);
        assertShape(sum, 3, 4);
        assertExactly(new double[] {11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43}, sum);
        assertShape(range64(5, 1, 4).mul(range64(3, 1)), 5, 3, 4);
        assertShape(scalarOf(ignis.tensor.DType.FLOAT64, 2).mul(range64(2, 3)), 2, 3);
        assertShape(range64(0, 1).add(range64(3)), 0, 3);
        assertShape(range64(1).add(range64(0)), 0);
        assertExactly(new double[] {0, 2, 4, 3, 5, 7}, range64(2, 3).add(range64(3)));
    }

    @Test
    void incompatibleShapesAreRejectedNamingBoth() {
        assertThrowsMentioning(IllegalArgumentException.class, () -> range64(2, 3).add(range64(4)), "[2, 3]", "[4]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> range64(3, 1, 2).mul(range64(4, 3)), "[3, 1, 2]", "[4, 3]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(0), Shape.of(3)), "[0]", "[3]");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> Tensors.where(bools(true, false), range64(3), range64(2)), "[2]", "[3]");
    }

    @Test
    void everyOpBroadcasts() {
        Tensor a = f64(new double[] {1, 2}, 2, 1);
        Tensor b = f64(1, 2, 4);
        assertExactly(new double[] {0, -1, -3, 1, 0, -2}, a.sub(b));
        assertExactly(new double[] {1, 0.5, 0.25, 2, 1, 0.5}, a.div(b));
        assertExactly(new double[] {1, 2, 4, 2, 2, 4}, a.maximum(b));
        assertBools(new boolean[] {true, false, false, false, true, false}, a.eq(b));
        assertExactly(new double[] {1, 1, 1, 1, 2, 2}, a.clamp(f64(new double[] {1}), b));
        assertExactly(new double[] {1, 1, 1, 0, 1, 2}, Tensors.where(bools(new boolean[] {true, false}, 2, 1), a, range64(3)));
    }

    @Provide
    Arbitrary<List<Integer>> shapes() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)), Tuple.of(6, Arbitraries.just(1)), Tuple.of(8, Arbitraries.integers().between(2, 3)));
        return size.list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> mutations() {
        return Arbitraries.integers().between(0, 9).list().ofSize(6);
    }

    /**
     * Pairs of shapes: the second is derived from the first (dims dropped from the front, sizes made 1
     * or changed) so that about half of the pairs broadcast.
     */
    @Property(tries = 300)
    void broadcastingMatchesNumPysRule(@ForAll("shapes") List<Integer> first, @ForAll("mutations") List<Integer> mutation) {
        long[] a = first.stream().mapToLong(Integer::longValue).toArray();
        int drop = Math.min(a.length, mutation.get(0) % 3);
        List<Long> bList = new ArrayList<>();
        for (int d = drop; d < a.length; d++) {
            int m = mutation.get(1 + (d % 5));
            bList.add(m < 3 ? 1L : m < 8 ? a[d] : (long) (m - 6)); // 1, the same size, or 2 or 3
        }
        if (mutation.get(5) == 9) {
            bList.add(0, 2L); // a leading dimension of its own
        }
        long[] b = bList.stream().mapToLong(Long::longValue).toArray();
        long[] expected = numpyBroadcast(a, b);
        Shape sa = Shape.of(a);
        Shape sb = Shape.of(b);
        Tensor x = on(Tensors.arange(sa.numel())).view(a);
        Tensor y = on(Tensors.arange(sb.numel())).view(b).mul(1000);
        if (expected == null) {
            assertThrowsMentioning(IllegalArgumentException.class, () -> Shape.broadcast(sa, sb), sa.toString(), sb.toString());
            assertThrowsMentioning(IllegalArgumentException.class, () -> x.add(y), sa.toString(), sb.toString());
            return;
        }
        assertEquals(Shape.of(expected), Shape.broadcast(sa, sb));
        assertEquals(Shape.of(expected), Shape.broadcast(sb, sa));
        Tensor sum = x.add(y);
        assertEquals(Shape.of(expected), sum.shape());
        long[] want = new long[Math.toIntExact(Reference.numel(expected))];
        for (int i = 0; i < want.length; i++) {
            long[] out = Reference.unravel(i, expected);
            want[i] = sourceOf(out, a) + 1000L * sourceOf(out, b);
        }
        assertArrayEquals(want, sum.toLongArray(), sa + " + " + sb);
        assertArrayEquals(want, y.add(x).toLongArray(), sb + " + " + sa);
    }

    @Test
    void theIndependentRuleAgreesOnKnownCases() {
        assertArrayEquals(new long[] {3, 4}, numpyBroadcast(new long[] {3, 1}, new long[] {4}));
        assertArrayEquals(new long[] {0}, numpyBroadcast(new long[] {0}, new long[] {1}));
        assertArrayEquals(new long[0], numpyBroadcast(new long[0], new long[0]));
        assertNull(numpyBroadcast(new long[] {0}, new long[] {2}));
    }
}
