package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
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
 * <li>SUM of floats: in double with Neumaier's compensation (float32 lanes widened to double), rounded
 *     once; vectorized on dense runs, one compensated pair per lane.</li>
 * <li>MAX and MIN of floats: vectorized on dense runs; NaN propagates (as {@link Math#max}).</li>
 * <li>PROD of floats: in double, in row-major order, rounded once.</li>
 * <li>Integers and bool: in long, wrapping; SUM and PROD write int64 (the core allocates it), MAX and
 *     MIN keep the dtype.</li>
 * <li>ARGMAX and ARGMIN: one axis, the first index of the extreme, the first NaN counting as the extreme.</li>
 * </ul>
 */
final class ReduceKernels {

    private final Lanes lanes;

    ReduceKernels(Lanes lanes) {
        this.lanes = lanes;
    }

    void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(in);
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
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            if (axes.length != 1) {
                throw new IllegalArgumentException(op + " reduces exactly one axis, not " + Arrays.toString(axes));
            }
            argExtreme(op == ReduceOp.ARGMAX, o, out.dtype(), x, in.dtype(), outer, in.shape()[axes[0]], in.strides()[axes[0]]);
            return;
        }
        InnerRuns within = InnerRuns.over(block, new long[] {0}, in.strides());
        DType type = in.dtype();
        long n = outer.length();
        long os = outer.stride(0);
        long xs = outer.stride(1);
        while (outer.next()) {
            for (long j = 0; j < n; j++) {
                within.restart(outer.offset(1) + j * xs);
                long to = outer.offset(0) + j * os;
                if (type.isFloatingPoint()) {
                    Elements.writeDouble(o, out.dtype(), to, foldFloating(op, x, type, within));
                } else {
                    Elements.writeLong(o, out.dtype(), to, foldIntegral(op, x, type, within));
                }
            }
        }
    }

    private double foldFloating(ReduceOp op, MemorySegment x, DType type, InnerRuns runs) {
        long n = runs.length();
        long stride = runs.stride(0);
        boolean dense = stride == 1 && (type == DType.FLOAT32 || type == DType.FLOAT64);
        switch (op) {
            case SUM -> {
                NeumaierSum sum = new NeumaierSum();
                while (runs.next()) {
                    long j = dense ? denseSum(sum, x, type, runs.offset(0), n) : 0;
                    for (; j < n; j++) {
                        sum.add(Elements.readDouble(x, type, runs.offset(0) + j * stride));
                    }
                }
                return sum.value();
            }
            case PROD -> {
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
                while (runs.next()) {
                    long j = 0;
                    if (dense) {
                        boolean single = type == DType.FLOAT32;
                        j = single ? lanes.floats().loopBound(n) : lanes.doubles().loopBound(n);
                        if (j > 0) {
                            double e = single ? denseFloatExtreme(max, x, runs.offset(0), j)
                                    : denseDoubleExtreme(max, x, runs.offset(0), j);
                            extreme = max ? Math.max(extreme, e) : Math.min(extreme, e);
                        }
                    }
                    for (; j < n; j++) {
                        double v = Elements.readDouble(x, type, runs.offset(0) + j * stride);
                        extreme = max ? Math.max(extreme, v) : Math.min(extreme, v);
                    }
                }
                return extreme;
            }
            default -> throw new IllegalArgumentException(op + " is not a fold");
        }
    }

    /**
     * Adds the longest vector-sized prefix of a dense run into {@code sum}, one compensated pair per
     * double lane (float32 lanes widened to double first); returns how many elements it took.
     */
    private long denseSum(NeumaierSum sum, MemorySegment x, DType type, long offset, long n) {
        VectorSpecies<Double> ds = lanes.doubles();
        DoubleVector s = DoubleVector.fromMemorySegment(ds, Lanes.ZEROS, 0, ORDER);
        DoubleVector c = s;
        long bound;
        if (type == DType.FLOAT32) {
            VectorSpecies<Float> fs = lanes.floats();
            bound = fs.loopBound(n);
            // Two pairs: the low and the high half of each float vector.
            DoubleVector s1 = s;
            DoubleVector c1 = s;
            for (long j = 0; j < bound; j += fs.length()) {
                FloatVector v = FloatVector.fromMemorySegment(fs, x, (offset + j) * Float.BYTES, ORDER);
                DoubleVector lo = (DoubleVector) v.convert(VectorOperators.F2D, 0);
                DoubleVector hi = (DoubleVector) v.convert(VectorOperators.F2D, 1);
                DoubleVector t = s.add(lo);
                c = c.add(s.sub(t).add(lo).blend(lo.sub(t).add(s), s.abs().compare(VectorOperators.LT, lo.abs())));
                s = t;
                DoubleVector t1 = s1.add(hi);
                c1 = c1.add(s1.sub(t1).add(hi).blend(hi.sub(t1).add(s1), s1.abs().compare(VectorOperators.LT, hi.abs())));
                s1 = t1;
            }
            merge(sum, s1.toArray(), c1.toArray());
        } else {
            bound = ds.loopBound(n);
            for (long j = 0; j < bound; j += ds.length()) {
                DoubleVector v = DoubleVector.fromMemorySegment(ds, x, (offset + j) * Double.BYTES, ORDER);
                DoubleVector t = s.add(v);
                // Neumaier: keep what the addition rounded away, from whichever operand is smaller.
                c = c.add(s.sub(t).add(v).blend(v.sub(t).add(s), s.abs().compare(VectorOperators.LT, v.abs())));
                s = t;
            }
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

    private static void argExtreme(boolean max, MemorySegment o, DType outType, MemorySegment x, DType type,
            InnerRuns outer, long length, long stride) {
        long n = outer.length();
        long os = outer.stride(0);
        long xs = outer.stride(1);
        while (outer.next()) {
            for (long j = 0; j < n; j++) {
                long first = outer.offset(1) + j * xs;
                long best = type.isFloatingPoint()
                        ? argExtremeFloating(max, x, type, first, stride, length)
                        : argExtremeIntegral(max, x, type, first, stride, length);
                Elements.writeLong(o, outType, outer.offset(0) + j * os, best);
            }
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
