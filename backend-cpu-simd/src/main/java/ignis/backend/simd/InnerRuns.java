package ignis.backend.simd;

import ignis.tensor.spi.TensorView;
import java.util.Arrays;

/**
 * Walks a shape shared by several operands as a sequence of runs along the innermost dimension: each
 * run gives every operand's start offset, and all runs share one length and one stride per operand.
 * Kernels loop over a run with plain strided code, or with vectors where the strides are 1 (or 0 for a
 * broadcast operand).
 *
 * <p>Before walking, dimensions of size 1 are dropped and neighbouring dimensions that every operand
 * lays out as one (outer stride = inner stride x inner size) are merged, so that a contiguous tensor of
 * any rank is one long run, and {@code [2, 67]} with a row-major output and a stepped input is two runs
 * of 67. The runs come in row-major order of the shape, so run {@code r}, element {@code j} is element
 * {@code r * length() + j} in row-major order. A shape of rank 0 (or of all ones) is one run of length 1
 * with strides 1; a shape with a 0 has no runs.
 *
 * <pre>{@code
 * InnerRuns runs = InnerRuns.over(out.shape(), out, in);
 * long n = runs.length();
 * while (runs.next()) {
 *     long o = runs.offset(0), x = runs.offset(1);   // element offsets of this run
 *     ... loop j < n over o + j * runs.stride(0), x + j * runs.stride(1)
 * }
 * }</pre>
 *
 * Not thread-safe; {@link #copy} gives each worker its own walker, and {@link #seek} or {@link #range}
 * lets several workers each walk their own range of runs or of elements. A range walks <em>spans</em>:
 * the pieces of runs that lie in {@code [from, to)} of the row-major order, so that a range may start
 * and end in the middle of a run (a contiguous tensor, one run, is split this way among threads).
 *
 * <pre>{@code
 * InnerRuns mine = runs.copy();
 * mine.range(from, to);
 * while (mine.nextSpan()) {
 *     long n = mine.spanLength(), o = mine.spanOffset(0), x = mine.spanOffset(1);
 *     ...
 * }
 * }</pre>
 */
final class InnerRuns {

    private final int operands;
    /** Sizes of the outer (merged) dimensions, outermost first. */
    private final long[] outer;
    /** outerStrides[k][d]: operand k's stride along outer dimension d. */
    private final long[][] outerStrides;
    private final long length;
    private final long[] innerStrides;
    private final long[] base;
    private final long[] offsets;
    private final long[] counter;
    private final long runs;
    private long next;
    /** The range of row-major elements that {@link #nextSpan} walks, and where it is. */
    private long position;
    private long end;
    private long spanLength;
    private final long[] spanOffsets;

    private InnerRuns(long[] outer, long[][] outerStrides, long length, long[] innerStrides, long[] base) {
        this.operands = base.length;
        this.outer = outer;
        this.outerStrides = outerStrides;
        this.length = length;
        this.innerStrides = innerStrides;
        this.base = base;
        this.offsets = new long[operands];
        this.counter = new long[outer.length];
        long count = length == 0 ? 0 : 1;
        for (long size : outer) {
            count *= size;
        }
        this.runs = count;
        this.spanOffsets = new long[operands];
        this.end = count * length;
    }

    /** A walker of the same runs from the start, for another thread. */
    InnerRuns copy() {
        return new InnerRuns(outer, outerStrides, length, innerStrides, base.clone());
    }

    /** The runs of {@code shape} over views that have it (their own shapes are not read). */
    static InnerRuns over(long[] shape, TensorView... views) {
        long[][] strides = new long[views.length][];
        long[] offsets = new long[views.length];
        for (int k = 0; k < views.length; k++) {
            strides[k] = views[k].strides();
            offsets[k] = views[k].offset();
        }
        return over(shape, offsets, strides);
    }

    /**
     * The runs of an elementwise map, whose order does not matter: {@link #over} with the dimensions
     * ordered by the first view's strides, outermost (largest) first, so that a result laid out like its
     * transposed or permuted operands (see the core's OutputLayout) is walked in memory order, as dense
     * runs where they are dense. Row-major views keep their order.
     */
    static InnerRuns inMemoryOrder(long[] shape, TensorView... views) {
        long[] first = views[0].strides();
        boolean rowMajor = true;
        for (int d = 1; d < first.length && rowMajor; d++) {
            rowMajor = first[d - 1] >= first[d];
        }
        if (rowMajor) {
            return over(shape, views);
        }
        Integer[] order = new Integer[shape.length];
        for (int d = 0; d < order.length; d++) {
            order[d] = d;
        }
        // Stable: equal strides (dimensions of size 1 among them) keep their order.
        Arrays.sort(order, (p, q) -> Long.compare(first[q], first[p]));
        long[] ordered = new long[shape.length];
        long[][] strides = new long[views.length][shape.length];
        long[] offsets = new long[views.length];
        for (int k = 0; k < views.length; k++) {
            offsets[k] = views[k].offset();
            for (int d = 0; d < order.length; d++) {
                ordered[d] = shape[order[d]];
                strides[k][d] = views[k].strides()[order[d]];
            }
        }
        return over(ordered, offsets, strides);
    }

    /** The runs of {@code shape} for operands at element offsets {@code offsets} with {@code strides[k]}. */
    static InnerRuns over(long[] shape, long[] offsets, long[]... strides) {
        int operands = offsets.length;
        int rank = shape.length;
        long[] sizes = new long[rank];
        long[][] merged = new long[operands][rank];
        int dims = 0;
        boolean empty = false;
        for (int d = 0; d < rank; d++) {
            long size = shape[d];
            if (size == 0) {
                empty = true;
            }
            if (size == 1) {
                continue;
            }
            if (dims > 0 && mergeable(merged, dims - 1, strides, d, size)) {
                sizes[dims - 1] *= size;
                for (int k = 0; k < operands; k++) {
                    merged[k][dims - 1] = strides[k][d];
                }
                continue;
            }
            sizes[dims] = size;
            for (int k = 0; k < operands; k++) {
                merged[k][dims] = strides[k][d];
            }
            dims++;
        }
        if (empty) {
            return new InnerRuns(new long[0], new long[operands][0], 0, ones(operands), offsets.clone());
        }
        if (dims == 0) {
            return new InnerRuns(new long[0], new long[operands][0], 1, ones(operands), offsets.clone());
        }
        long[] inner = new long[operands];
        long[][] outerStrides = new long[operands][];
        for (int k = 0; k < operands; k++) {
            inner[k] = merged[k][dims - 1];
            outerStrides[k] = Arrays.copyOf(merged[k], dims - 1);
        }
        return new InnerRuns(Arrays.copyOf(sizes, dims - 1), outerStrides, sizes[dims - 1], inner, offsets.clone());
    }

    /** Whether dimension {@code d} continues the merged dimension {@code last} for every operand. */
    private static boolean mergeable(long[][] merged, int last, long[][] strides, int d, long size) {
        for (int k = 0; k < merged.length; k++) {
            if (merged[k][last] != strides[k][d] * size) {
                return false;
            }
        }
        return true;
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1);
        return a;
    }

    /** The length of every run. */
    long length() {
        return length;
    }

    /** Operand k's stride within a run. */
    long stride(int k) {
        return innerStrides[k];
    }

    /** How many runs there are. */
    long runs() {
        return runs;
    }

    /** How many elements the runs hold together. */
    long elements() {
        return runs * length;
    }

    /** Whether the walk is one run whose operands all have stride 1: contiguous tensors of any rank. */
    boolean dense() {
        if (runs != 1) {
            return false;
        }
        for (long s : innerStrides) {
            if (s != 1) {
                return false;
            }
        }
        return true;
    }

    /** Makes {@link #nextSpan} walk the row-major elements {@code [from, to)}; the whole walk until called. */
    void range(long from, long to) {
        if (from < 0 || to < from || to > elements()) {
            throw new IndexOutOfBoundsException("elements [" + from + ", " + to + ") of " + elements());
        }
        position = from;
        end = to;
        spanLength = 0;
        if (from < to) {
            seek(from / length);
        }
    }

    /**
     * Moves to the next span of the range set by {@link #range} (the piece of a run that lies in it);
     * false when the range is done.
     */
    boolean nextSpan() {
        if (position >= end) {
            return false;
        }
        long within = position % length;
        if (within == 0 || spanLength == 0) {
            next();
        }
        spanLength = Math.min(length - within, end - position);
        for (int k = 0; k < operands; k++) {
            spanOffsets[k] = offsets[k] + within * innerStrides[k];
        }
        position += spanLength;
        return true;
    }

    /** The number of elements of the current span. */
    long spanLength() {
        return spanLength;
    }

    /** Operand k's element offset at the start of the current span. */
    long spanOffset(int k) {
        return spanOffsets[k];
    }

    /** The index of the run that the last {@link #next} moved to. */
    long run() {
        return next - 1;
    }

    /** Moves to the next run (the first on the first call); false when none is left. */
    boolean next() {
        if (next >= runs) {
            return false;
        }
        if (next == 0) {
            System.arraycopy(base, 0, offsets, 0, operands);
        } else {
            for (int d = outer.length - 1; d >= 0; d--) {
                if (++counter[d] < outer[d]) {
                    for (int k = 0; k < operands; k++) {
                        offsets[k] += outerStrides[k][d];
                    }
                    break;
                }
                counter[d] = 0;
                for (int k = 0; k < operands; k++) {
                    offsets[k] -= outerStrides[k][d] * (outer[d] - 1);
                }
            }
        }
        next++;
        return true;
    }

    /** Makes the following {@link #next} move to run {@code run} (0 restarts the walk). */
    void seek(long run) {
        if (run < 0 || run > runs) {
            throw new IndexOutOfBoundsException("run " + run + " of " + runs);
        }
        next = run;
        if (run == 0 || run == runs) {
            Arrays.fill(counter, 0);
            return;
        }
        // Position on run - 1, so that next() advances onto run.
        long rest = run - 1;
        System.arraycopy(base, 0, offsets, 0, operands);
        for (int d = outer.length - 1; d >= 0; d--) {
            counter[d] = rest % outer[d];
            rest /= outer[d];
            for (int k = 0; k < operands; k++) {
                offsets[k] += counter[d] * outerStrides[k][d];
            }
        }
    }

    /** Restarts the walk from new base offsets (same shape and strides), as a reduction does per output element. */
    void restart(long... offsets) {
        System.arraycopy(offsets, 0, base, 0, operands);
        Arrays.fill(counter, 0);
        next = 0;
    }

    /** Operand k's element offset at the start of the current run. */
    long offset(int k) {
        return offsets[k];
    }

    @Override
    public String toString() {
        return "InnerRuns[" + runs + " runs of " + length + ", inner strides " + Arrays.toString(innerStrides) + "]";
    }
}
