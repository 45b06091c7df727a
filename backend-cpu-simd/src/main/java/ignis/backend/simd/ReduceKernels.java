package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over axes. The output has the input's rank with size 1 on the reduced axes; each output
 * element reduces the block of input elements that shares its index on the other axes, walked as
 * {@link InnerRuns} (so a reduction over the innermost axis of a dense tensor is one dense run).
 *
 * <ul>
 * <li>SUM of floats: in double, rounded once. A block is folded in chunks of {@link #CHUNK} elements
 *     whose partial sums are combined with Neumaier's compensation. Within a chunk, dense float64 runs
 *     keep one compensated pair per lane; dense float32 runs are widened to double (exactly) and added in
 *     double lanes, which go into the compensated sum at the end of the chunk. A float32 sum over
 *     leading axes (consecutive outputs whose blocks start at consecutive elements, such as a bias
 *     gradient) keeps a double sum per output instead, a band of outputs at a time, so that each step
 *     reads a few whole cache lines of a row.</li>
 * <li>MAX and MIN of floats: vectorized on dense runs; NaN propagates (as {@link Math#max}).</li>
 * <li>PROD of floats: in double, in row-major order, rounded once.</li>
 * <li>Integers and bool: in long, wrapping; SUM and PROD write int64 (the core allocates it), MAX and
 *     MIN keep the dtype.</li>
 * <li>ARGMAX and ARGMIN: one axis, the first index of the extreme, the first NaN counting as the extreme.</li>
 * </ul>
 *
 * <p>Threads: outputs are shared among the compute pool's threads when there are enough of them;
 * fewer outputs than threads with long blocks (a full sum) share each block's chunks instead. Either
 * way every output is the same fold of the same chunks, combined in the same order, so results are
 * bit for bit the same for any number of threads.
 */
final class ReduceKernels {

    /*
     * The float32 sums widen each float vector to two double vectors. Species as constants of the
     * process's width, as MaxPool2x2's: with species held in fields HotSpot compiles the conversion to
     * calls (measured: 5x slower than the float pairs it replaced), and a second vector width (half-width
     * float vectors, to convert whole) makes the Vector API's shared call sites polymorphic, which
     * slowed every other kernel (an add of 64x256 floats took 23 us instead of 2.5).
     */
    private static final VectorSpecies<Float> FLOATS = VectorSupport.lanes().floats();
    private static final VectorSpecies<Double> WIDE = VectorSupport.lanes().doubles();
    /** Float vectors of outputs that {@link #columnSums} sums in one walk of the block. */
    private static final int COLUMN_BAND = 2;

    private final Lanes lanes;

    ReduceKernels(Lanes lanes) {
        this.lanes = lanes;
    }

    /**
     * Elements of a block per chunk. A floating SUM, MAX or MIN folds its block chunk by chunk and
     * combines the chunks' partials in order; since the chunks are fixed by the block's shape alone, the
     * result is the same bit for bit whether one thread folds them all or several share them.
     */
    static final long CHUNK = 1 << 14;

    void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(in);
        DType type = in.dtype();
        DType outType = out.dtype();
        boolean floatFold = (type == DType.FLOAT32 || type == DType.FLOAT64)
                && (op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.MIN);
        if (floatFold && Elements.numel(out.shape()) == 1 && Elements.contiguous(in.shape(), in)
                && (in.numel() < 2 * CHUNK || ComputePool.threads() == 1)) {
            // A small dense tensor reduced whole: its one span, with nothing allocated for walks; the
            // same computation as the general path's for this layout.
            long at = in.offset();
            long blockSize = in.numel();
            double value;
            if (op == ReduceOp.SUM && type == DType.FLOAT32 && blockSize >= 2 * CHUNK) {
                value = denseFloatBlockSum(x, at, blockSize);
            } else if (op == ReduceOp.SUM) {
                NeumaierSum total = new NeumaierSum();
                for (long c = 0; c < blockSize; c += CHUNK) {
                    NeumaierSum partial = new NeumaierSum();
                    double[] laneSums = floatLaneSums(type);
                    sumSpan(partial, laneSums, x, type, at + c, 1, Math.min(CHUNK, blockSize - c));
                    mergeLaneSums(partial, laneSums);
                    total.add(partial);
                }
                value = total.value();
            } else {
                value = extremeSpan(op == ReduceOp.MAX, x, type, at, 1, blockSize);
            }
            Elements.writeDouble(o, outType, out.offset(), value);
            return;
        }
        int rank = in.rank();
        long[] block = new long[rank];
        Arrays.fill(block, 1);
        long[] outerStrides = in.strides().clone();
        for (int axis : axes) {
            block[axis] = in.shape()[axis];
            outerStrides[axis] = 0;
        }
        // The outer walk visits the output elements together with the corner of each one's block.
        InnerRuns outer = InnerRuns.over(out.shape(), new long[] {out.offset(), in.offset()}, out.strides(), outerStrides);
        long os = outer.stride(0);
        long xs = outer.stride(1);
        long blockSize = Elements.numel(block);
        // Outputs per thread at least: enough that a thread reads a grain of elements.
        long grain = Math.max(1, Parallel.CHEAP_GRAIN / Math.max(1, blockSize));
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            if (axes.length != 1) {
                throw new IllegalArgumentException(op + " reduces exactly one axis, not " + Arrays.toString(axes));
            }
            boolean max = op == ReduceOp.ARGMAX;
            long length = in.shape()[axes[0]];
            long stride = in.strides()[axes[0]];
            Parallel.spans(outer, grain, 1, r -> {
                while (r.nextSpan()) {
                    argExtreme(max, o, outType, r.spanOffset(0), os, x, type, r.spanOffset(1), xs, r.spanLength(), length, stride);
                }
            });
            return;
        }
        // PROD keeps the row-major order it promises; the other folds walk the block in memory order.
        InnerRuns within = op == ReduceOp.PROD ? InnerRuns.over(block, new long[] {0}, in.strides()) : blockWalk(block, in.strides(), axes);
        boolean chunked = type.isFloatingPoint() && op != ReduceOp.PROD;
        if (chunked && blockSize >= 2 * CHUNK && outer.elements() < ComputePool.threads()) {
            // Few outputs with long blocks: the chunks of each block are shared among the threads.
            while (outer.nextSpan()) {
                for (long j = 0; j < outer.spanLength(); j++) {
                    long corner = outer.spanOffset(1) + j * xs;
                    Elements.writeDouble(o, outType, outer.spanOffset(0) + j * os, sharedFold(op, x, type, within, corner, blockSize));
                }
            }
            return;
        }
        // A float32 sum over leading axes (a bias gradient): consecutive outputs whose blocks start at
        // consecutive elements, summed a vector of outputs at a time.
        boolean columns = op == ReduceOp.SUM && type == DType.FLOAT32 && os == 1 && xs == 1;
        Parallel.spans(outer, grain, 1, r -> {
            InnerRuns mine = within.copy();
            while (r.nextSpan()) {
                if (columns) {
                    columnSums(o, outType, r.spanOffset(0), x, r.spanOffset(1), r.spanLength(), mine);
                    continue;
                }
                for (long j = 0; j < r.spanLength(); j++) {
                    mine.restart(r.spanOffset(1) + j * xs);
                    long to = r.spanOffset(0) + j * os;
                    if (type.isFloatingPoint()) {
                        Elements.writeDouble(o, outType, to, foldFloating(op, x, type, mine, blockSize));
                    } else {
                        Elements.writeLong(o, outType, to, foldIntegral(op, x, type, mine));
                    }
                }
            }
        });
    }

    /**
     * The float32 sums of {@code n} consecutive outputs from {@code to} whose blocks start at consecutive
     * elements from {@code corner}: each a double sum of its block in walk order, rounded once. The
     * block is walked once per band of {@link #COLUMN_BAND} float vectors of outputs, then once per
     * vector, then once per output for the last few; each output is the same sequence of double
     * additions wherever it falls, so its value does not depend on where a thread's share of the
     * outputs starts.
     */
    private static void columnSums(MemorySegment o, DType outType, long to, MemorySegment x, long corner, long n, InnerRuns within) {
        int step = FLOATS.length();
        int half = WIDE.length();
        long width = (long) step * Float.BYTES;
        double[] sums = new double[COLUMN_BAND * step];
        long j = 0;
        for (; j + COLUMN_BAND * step <= n; j += COLUMN_BAND * step) {
            DoubleVector a0 = DoubleVector.zero(WIDE);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            within.restart(corner + j);
            while (within.next()) {
                long at = within.offset(0);
                long stride = within.stride(0);
                for (long q = 0; q < within.length(); q++) {
                    long b = (at + q * stride) * Float.BYTES;
                    FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, b, ORDER);
                    FloatVector w = FloatVector.fromMemorySegment(FLOATS, x, b + width, ORDER);
                    a0 = addWidened(a0, v, 0);
                    a1 = addWidened(a1, v, 1);
                    a2 = addWidened(a2, w, 0);
                    a3 = addWidened(a3, w, 1);
                }
            }
            a0.intoArray(sums, 0);
            a1.intoArray(sums, half);
            a2.intoArray(sums, 2 * half);
            a3.intoArray(sums, 3 * half);
            writeSums(o, outType, to + j, sums, 4 * half);
        }
        for (; j + step <= n; j += step) {
            DoubleVector a0 = DoubleVector.zero(WIDE);
            DoubleVector a1 = a0;
            within.restart(corner + j);
            while (within.next()) {
                long at = within.offset(0);
                long stride = within.stride(0);
                for (long q = 0; q < within.length(); q++) {
                    FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, (at + q * stride) * Float.BYTES, ORDER);
                    a0 = addWidened(a0, v, 0);
                    a1 = addWidened(a1, v, 1);
                }
            }
            a0.intoArray(sums, 0);
            a1.intoArray(sums, half);
            writeSums(o, outType, to + j, sums, step);
        }
        for (; j < n; j++) {
            double s = 0;
            within.restart(corner + j);
            while (within.next()) {
                long at = within.offset(0);
                long stride = within.stride(0);
                for (long q = 0; q < within.length(); q++) {
                    s += x.getAtIndex(FLOAT, at + q * stride);
                }
            }
            Elements.writeDouble(o, outType, to + j, s);
        }
    }

    /**
     * {@code sum} plus part {@code part} of {@code v} widened to doubles. It calls {@code lanewise} itself rather than
     * {@code DoubleVector.add}, whose own call of it HotSpot resolves from add's type profile. The Vector API's methods
     * are compiled by C1 without profiling (see cnf/compiler-directives.json), and in some runs add had no profile yet
     * when C2 compiled a sum: C2 then compiled that call to the API's Java fallback, for good. In 4 MLP runs of 7,
     * {@link #columnSums} took 15-20% of every warm epoch's samples, against under 1% in the others. This call site
     * has the kernel's own profile.
     */
    private static DoubleVector addWidened(DoubleVector sum, FloatVector v, int part) {
        return sum.lanewise(VectorOperators.ADD, v.convert(VectorOperators.F2D, part));
    }

    private static void writeSums(MemorySegment o, DType outType, long to, double[] sums, int count) {
        for (int k = 0; k < count; k++) {
            Elements.writeDouble(o, outType, to + k, sums[k]);
        }
    }

    /**
     * The walk of a block: its reduced axes ordered by decreasing stride, so that a block that is dense
     * in any order (a transposed or column-major tensor summed whole) is one dense run. The order
     * depends on the layout only, never on the threads.
     */
    private static InnerRuns blockWalk(long[] block, long[] strides, int[] axes) {
        Integer[] order = new Integer[axes.length];
        for (int k = 0; k < axes.length; k++) {
            order[k] = axes[k];
        }
        // Stable: equal strides keep their order.
        Arrays.sort(order, (p, q) -> Long.compare(strides[q], strides[p]));
        long[] shape = new long[axes.length];
        long[] ordered = new long[axes.length];
        for (int k = 0; k < axes.length; k++) {
            shape[k] = block[order[k]];
            ordered[k] = strides[order[k]];
        }
        return InnerRuns.over(shape, new long[] {0}, ordered);
    }

    /** A floating SUM, MAX or MIN of one block whose chunks the threads share; the same value as {@link #foldFloating}. */
    private double sharedFold(ReduceOp op, MemorySegment x, DType type, InnerRuns within, long corner, long blockSize) {
        if (op == ReduceOp.SUM && type == DType.FLOAT32 && within.dense()) {
            return denseFloatBlockSum(x, corner, blockSize);
        }
        int chunks = (int) ((blockSize + CHUNK - 1) / CHUNK);
        double[] sums = new double[chunks];
        double[] lost = new double[chunks];
        ComputePool.forRange(chunks, 1, (from, to) -> {
            InnerRuns mine = within.copy();
            mine.restart(corner);
            for (long c = from; c < to; c++) {
                long end = Math.min(blockSize, (c + 1) * CHUNK);
                if (op == ReduceOp.SUM) {
                    NeumaierSum partial = sumChunk(x, type, mine, c * CHUNK, end);
                    sums[(int) c] = partial.sum();
                    lost[(int) c] = partial.compensation();
                } else {
                    sums[(int) c] = extremeChunk(op == ReduceOp.MAX, x, type, mine, c * CHUNK, end);
                }
            }
        });
        if (op == ReduceOp.SUM) {
            return combine(sums, lost);
        }
        boolean max = op == ReduceOp.MAX;
        double extreme = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double e : sums) {
            extreme = max ? Math.max(extreme, e) : Math.min(extreme, e);
        }
        return extreme;
    }

    /**
     * The SUM of a dense float32 block of {@code size} elements from {@code at}, its chunks shared among the
     * threads: each chunk's partial sum as {@link #sumChunk} gives it, so the same value as {@link #foldFloating}.
     */
    private double denseFloatBlockSum(MemorySegment x, long at, long size) {
        int chunks = (int) ((size + CHUNK - 1) / CHUNK);
        double[] sums = new double[chunks];
        double[] lost = new double[chunks];
        ComputePool.forRange(chunks, 1, (from, to) -> denseFloatChunkSums(x, at, size, from, to, sums, lost));
        return combine(sums, lost);
    }

    /** The compensated sum of the chunks' partial sums and lost bits, in order. */
    private static double combine(double[] sums, double[] lost) {
        NeumaierSum total = new NeumaierSum();
        for (int c = 0; c < sums.length; c++) {
            total.add(sums[c]);
            total.compensate(lost[c]);
        }
        return total.value();
    }

    /**
     * The partial sums and lost bits of chunks {@code [from, to)} of a dense float32 block of {@code size}
     * elements from {@code at}, each chunk's the same as {@link #sumChunk} gives. Whole chunks go two at a
     * time, the first half of the range beside the second: one core reads memory faster from two streams
     * far apart than from one (a sum of 16M floats in ignis bench: 1.92 -> 1.64 ms at 1 thread, 1.25 ->
     * 1.08 ms at 2; the two halves of each chunk, 64 KiB apart, were slower than one stream).
     */
    private void denseFloatChunkSums(MemorySegment x, long at, long size, long from, long to, double[] sums, double[] lost) {
        long pairs = (Math.min(to, size / CHUNK) - from) / 2;
        double[] first = floatLaneSums(DType.FLOAT32);
        double[] second = floatLaneSums(DType.FLOAT32);
        for (long c = from; c < from + pairs; c++) {
            Arrays.fill(first, 0);
            Arrays.fill(second, 0);
            denseFloatSumPair(first, second, x, at + c * CHUNK, at + (c + pairs) * CHUNK, CHUNK);
            NeumaierSum one = new NeumaierSum();
            NeumaierSum other = new NeumaierSum();
            mergeLaneSums(one, first);
            mergeLaneSums(other, second);
            keep(one, sums, lost, c);
            keep(other, sums, lost, c + pairs);
        }
        for (long c = from + 2 * pairs; c < to; c++) {
            NeumaierSum partial = new NeumaierSum();
            Arrays.fill(first, 0);
            sumSpan(partial, first, x, DType.FLOAT32, at + c * CHUNK, 1, Math.min(CHUNK, size - c * CHUNK));
            mergeLaneSums(partial, first);
            keep(partial, sums, lost, c);
        }
    }

    private static void keep(NeumaierSum partial, double[] sums, double[] lost, long c) {
        sums[(int) c] = partial.sum();
        lost[(int) c] = partial.compensation();
    }

    /** One block, on this thread; {@code runs} restarted at the block's corner. */
    private double foldFloating(ReduceOp op, MemorySegment x, DType type, InnerRuns runs, long blockSize) {
        switch (op) {
            case SUM -> {
                NeumaierSum total = new NeumaierSum();
                for (long c = 0; c < blockSize; c += CHUNK) {
                    total.add(sumChunk(x, type, runs, c, Math.min(blockSize, c + CHUNK)));
                }
                return total.value();
            }
            case PROD -> {
                long n = runs.length();
                long stride = runs.stride(0);
                double product = 1;
                while (runs.next()) {
                    for (long j = 0; j < n; j++) {
                        product *= Elements.readDouble(x, type, runs.offset(0) + j * stride);
                    }
                }
                return product;
            }
            case MAX, MIN -> {
                boolean max = op == ReduceOp.MAX;
                double extreme = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (long c = 0; c < blockSize; c += CHUNK) {
                    double e = extremeChunk(max, x, type, runs, c, Math.min(blockSize, c + CHUNK));
                    extreme = max ? Math.max(extreme, e) : Math.min(extreme, e);
                }
                return extreme;
            }
            default -> throw new IllegalArgumentException(op + " is not a fold");
        }
    }

    /** The compensated sum of the block's row-major elements {@code [from, to)}. */
    private NeumaierSum sumChunk(MemorySegment x, DType type, InnerRuns runs, long from, long to) {
        NeumaierSum sum = new NeumaierSum();
        double[] laneSums = floatLaneSums(type);
        long stride = runs.stride(0);
        runs.range(from, to);
        while (runs.nextSpan()) {
            sumSpan(sum, laneSums, x, type, runs.spanOffset(0), stride, runs.spanLength());
        }
        mergeLaneSums(sum, laneSums);
        return sum;
    }

    /**
     * Adds {@code n} elements from {@code at} with {@code stride}: dense float32 runs into the double
     * {@code laneSums} (see {@link #denseFloatSum}), everything else into {@code sum}.
     */
    private void sumSpan(NeumaierSum sum, double[] laneSums, MemorySegment x, DType type, long at, long stride, long n) {
        boolean dense = stride == 1 && (type == DType.FLOAT32 || type == DType.FLOAT64);
        long j = !dense ? 0 : type == DType.FLOAT32 ? denseFloatSum(laneSums, x, at, n) : denseSum(sum, x, at, n);
        if (type == DType.FLOAT32) {
            for (; j < n; j++) {
                sum.add(x.getAtIndex(FLOAT, at + j * stride));
            }
        } else {
            for (; j < n; j++) {
                sum.add(Elements.readDouble(x, type, at + j * stride));
            }
        }
    }

    /** The MAX or MIN of the block's row-major elements {@code [from, to)}; NaN if one is. */
    private double extremeChunk(boolean max, MemorySegment x, DType type, InnerRuns runs, long from, long to) {
        long stride = runs.stride(0);
        double extreme = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        runs.range(from, to);
        while (runs.nextSpan()) {
            double e = extremeSpan(max, x, type, runs.spanOffset(0), stride, runs.spanLength());
            extreme = max ? Math.max(extreme, e) : Math.min(extreme, e);
        }
        return extreme;
    }

    /** The MAX or MIN of {@code n} elements from {@code at} with {@code stride}: vectors where dense. */
    private double extremeSpan(boolean max, MemorySegment x, DType type, long at, long stride, long n) {
        boolean dense = stride == 1 && (type == DType.FLOAT32 || type == DType.FLOAT64);
        double extreme = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        long j = 0;
        if (dense) {
            boolean single = type == DType.FLOAT32;
            j = single ? lanes.floats().loopBound(n) : lanes.doubles().loopBound(n);
            if (j > 0) {
                double e = single ? denseFloatExtreme(max, x, at, j) : denseDoubleExtreme(max, x, at, j);
                extreme = max ? Math.max(extreme, e) : Math.min(extreme, e);
            }
        }
        for (; j < n; j++) {
            double v = Elements.readDouble(x, type, at + j * stride);
            extreme = max ? Math.max(extreme, v) : Math.min(extreme, v);
        }
        return extreme;
    }

    /** The double lane sums of {@link #denseFloatSum} for a float32 chunk, all zero; null for other types. */
    private static double[] floatLaneSums(DType type) {
        return type == DType.FLOAT32 ? new double[4 * WIDE.length()] : null;
    }

    /**
     * Adds the longest prefix of a dense float32 span that is a multiple of the lane count into
     * {@code laneSums}: each float vector widened to two double vectors (exactly), added into four
     * double vectors of lane sums. The sums carry on from span to span of a chunk, so that short spans
     * (the planes of a per-channel sum) pay no merge each, and then go into the compensated sum
     * ({@link #mergeLaneSums}). A lane adds at most {@link #CHUNK} / 8 terms, so its rounding errors stay
     * below 2^-42 of their magnitudes: the sum is as accurate as a double one. Returns how many elements
     * it took.
     */
    private static long denseFloatSum(double[] laneSums, MemorySegment x, long offset, long n) {
        int half = WIDE.length();
        long bound = FLOATS.loopBound(n);
        if (bound == 0) {
            return 0;
        }
        DoubleVector a0 = DoubleVector.fromArray(WIDE, laneSums, 0);
        DoubleVector a1 = DoubleVector.fromArray(WIDE, laneSums, half);
        DoubleVector a2 = DoubleVector.fromArray(WIDE, laneSums, 2 * half);
        DoubleVector a3 = DoubleVector.fromArray(WIDE, laneSums, 3 * half);
        long width = (long) FLOATS.length() * Float.BYTES;
        long b = offset * Float.BYTES;
        long end = b + bound * Float.BYTES;
        for (; b + 2 * width <= end; b += 2 * width) {
            FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, b, ORDER);
            FloatVector w = FloatVector.fromMemorySegment(FLOATS, x, b + width, ORDER);
            a0 = addWidened(a0, v, 0);
            a1 = addWidened(a1, v, 1);
            a2 = addWidened(a2, w, 0);
            a3 = addWidened(a3, w, 1);
        }
        if (b < end) {
            FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, b, ORDER);
            a0 = addWidened(a0, v, 0);
            a1 = addWidened(a1, v, 1);
        }
        a0.intoArray(laneSums, 0);
        a1.intoArray(laneSums, half);
        a2.intoArray(laneSums, 2 * half);
        a3.intoArray(laneSums, 3 * half);
        return bound;
    }

    /**
     * {@link #denseFloatSum} of {@code n} (a multiple of two vectors) elements from {@code a} into
     * {@code aSums} and as many from {@code b} into {@code bSums}, the loads of both interleaved; each the
     * same additions in the same order as alone.
     */
    private static void denseFloatSumPair(double[] aSums, double[] bSums, MemorySegment x, long a, long b, long n) {
        int half = WIDE.length();
        DoubleVector a0 = DoubleVector.fromArray(WIDE, aSums, 0);
        DoubleVector a1 = DoubleVector.fromArray(WIDE, aSums, half);
        DoubleVector a2 = DoubleVector.fromArray(WIDE, aSums, 2 * half);
        DoubleVector a3 = DoubleVector.fromArray(WIDE, aSums, 3 * half);
        DoubleVector b0 = DoubleVector.fromArray(WIDE, bSums, 0);
        DoubleVector b1 = DoubleVector.fromArray(WIDE, bSums, half);
        DoubleVector b2 = DoubleVector.fromArray(WIDE, bSums, 2 * half);
        DoubleVector b3 = DoubleVector.fromArray(WIDE, bSums, 3 * half);
        long width = (long) FLOATS.length() * Float.BYTES;
        long apart = (b - a) * Float.BYTES;
        long end = (a + n) * Float.BYTES;
        for (long p = a * Float.BYTES; p < end; p += 2 * width) {
            FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, p, ORDER);
            FloatVector w = FloatVector.fromMemorySegment(FLOATS, x, p + width, ORDER);
            FloatVector y = FloatVector.fromMemorySegment(FLOATS, x, p + apart, ORDER);
            FloatVector z = FloatVector.fromMemorySegment(FLOATS, x, p + apart + width, ORDER);
            a0 = addWidened(a0, v, 0);
            a1 = addWidened(a1, v, 1);
            a2 = addWidened(a2, w, 0);
            a3 = addWidened(a3, w, 1);
            b0 = addWidened(b0, y, 0);
            b1 = addWidened(b1, y, 1);
            b2 = addWidened(b2, z, 0);
            b3 = addWidened(b3, z, 1);
        }
        a0.intoArray(aSums, 0);
        a1.intoArray(aSums, half);
        a2.intoArray(aSums, 2 * half);
        a3.intoArray(aSums, 3 * half);
        b0.intoArray(bSums, 0);
        b1.intoArray(bSums, half);
        b2.intoArray(bSums, 2 * half);
        b3.intoArray(bSums, 3 * half);
    }

    /**
     * Adds the lane sums of {@link #denseFloatSum} into {@code sum}, as one term: their plain double sum,
     * whose rounding errors (below 2^-48 of their magnitudes) are far under a float's; nothing for null.
     */
    private static void mergeLaneSums(NeumaierSum sum, double[] laneSums) {
        if (laneSums == null) {
            return;
        }
        double total = 0;
        for (double laneSum : laneSums) {
            total += laneSum;
        }
        sum.add(total);
    }

    /** Adds the longest vector-sized prefix of a dense float64 run into {@code sum}, one compensated pair per lane; returns how many elements it took. */
    private long denseSum(NeumaierSum sum, MemorySegment x, long offset, long n) {
        VectorSpecies<Double> ds = lanes.doubles();
        DoubleVector s = DoubleVector.fromMemorySegment(ds, Lanes.ZEROS, 0, ORDER);
        DoubleVector c = s;
        long bound = ds.loopBound(n);
        for (long j = 0; j < bound; j += ds.length()) {
            DoubleVector v = DoubleVector.fromMemorySegment(ds, x, (offset + j) * Double.BYTES, ORDER);
            DoubleVector t = s.add(v);
            // Neumaier: keep what the addition rounded away, from whichever operand is smaller.
            c = c.add(s.sub(t).add(v).blend(v.sub(t).add(s), s.abs().compare(VectorOperators.LT, v.abs())));
            s = t;
        }
        merge(sum, s.toArray(), c.toArray());
        return bound;
    }

    private static void merge(NeumaierSum sum, double[] sums, double[] lost) {
        for (int lane = 0; lane < sums.length; lane++) {
            sum.add(sums[lane]);
            sum.compensate(lost[lane]);
        }
    }

    /** The MAX or MIN of the first {@code bound} (a multiple of the lane count, > 0) elements of a dense run. */
    private double denseFloatExtreme(boolean max, MemorySegment x, long offset, long bound) {
        VectorSpecies<Float> s = lanes.floats();
        FloatVector m = FloatVector.fromMemorySegment(s, x, offset * Float.BYTES, ORDER);
        // One loop per op: a vector chosen by a branch would defeat the JIT's register allocation of vectors.
        if (max) {
            for (long j = s.length(); j < bound; j += s.length()) {
                m = m.max(FloatVector.fromMemorySegment(s, x, (offset + j) * Float.BYTES, ORDER));
            }
            return m.reduceLanes(VectorOperators.MAX);
        }
        for (long j = s.length(); j < bound; j += s.length()) {
            m = m.min(FloatVector.fromMemorySegment(s, x, (offset + j) * Float.BYTES, ORDER));
        }
        return m.reduceLanes(VectorOperators.MIN);
    }

    private double denseDoubleExtreme(boolean max, MemorySegment x, long offset, long bound) {
        VectorSpecies<Double> s = lanes.doubles();
        DoubleVector m = DoubleVector.fromMemorySegment(s, x, offset * Double.BYTES, ORDER);
        if (max) {
            for (long j = s.length(); j < bound; j += s.length()) {
                m = m.max(DoubleVector.fromMemorySegment(s, x, (offset + j) * Double.BYTES, ORDER));
            }
            return m.reduceLanes(VectorOperators.MAX);
        }
        for (long j = s.length(); j < bound; j += s.length()) {
            m = m.min(DoubleVector.fromMemorySegment(s, x, (offset + j) * Double.BYTES, ORDER));
        }
        return m.reduceLanes(VectorOperators.MIN);
    }

    /** Integers and bool (read as 0 or 1), in long with wrap-around. */
    private static long foldIntegral(ReduceOp op, MemorySegment x, DType type, InnerRuns runs) {
        long n = runs.length();
        long stride = runs.stride(0);
        long result = switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
            default -> throw new IllegalArgumentException(op + " is not a fold");
        };
        while (runs.next()) {
            long at = runs.offset(0);
            for (long j = 0; j < n; j++) {
                long v = switch (type) {
                    case INT32 -> x.getAtIndex(INT, at + j * stride);
                    case INT64 -> x.getAtIndex(LONG, at + j * stride);
                    default -> Elements.readLong(x, type, at + j * stride);
                };
                result = switch (op) {
                    case SUM -> result + v;
                    case PROD -> result * v;
                    case MAX -> Math.max(result, v);
                    default -> Math.min(result, v);
                };
            }
        }
        return result;
    }

    /** One span of outputs of ARGMAX or ARGMIN: {@code n} outputs from {@code oo}, their rows from {@code xo}. */
    private static void argExtreme(boolean max, MemorySegment o, DType outType, long oo, long os, MemorySegment x, DType type,
            long xo, long xs, long n, long length, long stride) {
        for (long j = 0; j < n; j++) {
            long first = xo + j * xs;
            long best = type.isFloatingPoint()
                    ? argExtremeFloating(max, x, type, first, stride, length)
                    : argExtremeIntegral(max, x, type, first, stride, length);
            Elements.writeLong(o, outType, oo + j * os, best);
        }
    }

    private static long argExtremeFloating(boolean max, MemorySegment x, DType type, long first, long stride, long length) {
        long best = 0;
        double bestValue = type == DType.FLOAT32 ? x.getAtIndex(FLOAT, first) : Elements.readDouble(x, type, first);
        for (long k = 1; k < length && bestValue == bestValue; k++) {
            long at = first + k * stride;
            double v = type == DType.FLOAT32 ? x.getAtIndex(FLOAT, at)
                    : type == DType.FLOAT64 ? x.getAtIndex(DOUBLE, at) : Elements.readDouble(x, type, at);
            if (v != v || (max ? v > bestValue : v < bestValue)) {
                best = k;
                bestValue = v;
            }
        }
        return best;
    }

    private static long argExtremeIntegral(boolean max, MemorySegment x, DType type, long first, long stride, long length) {
        long best = 0;
        long bestValue = Elements.readLong(x, type, first);
        for (long k = 1; k < length; k++) {
            long v = Elements.readLong(x, type, first + k * stride);
            if (max ? v > bestValue : v < bestValue) {
                best = k;
                bestValue = v;
            }
        }
        return best;
    }
}
