package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.LogSumExpKernels;
import ignis.tensor.spi.SoftmaxKernels;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax along one dim, their gradients, and log-sum-exp (float32 and float64), one line along the
 * dim at a time, the lines split over the {@link ComputePool}. Numerically stable as PyTorch computes
 * them: {@code softmax = exp(x - max) / sum(exp(x - max))} and {@code logSoftmax = (x - max) -
 * log(sum(exp(x - max)))}, where log-softmax takes an infinite max as 0 (as the core's composite does)
 * so that a line holding +inf gives NaN there and -inf elsewhere. Lines dense along the dim (a softmax
 * over the last dim of a dense tensor) run with vectors, exp from {@link VectorMath} (within 1 ulp, the
 * same bits compiled or interpreted), sums in the element type; other lines are scalar, through their
 * strides.
 */
final class SoftmaxKernelsSimd implements SoftmaxKernels, LogSumExpKernels {

    private final Lanes lanes;

    SoftmaxKernelsSimd(Lanes lanes) {
        this.lanes = lanes;
    }

    /** The lines along one dim of some views of one shape: their count, length, and each view's line offsets. */
    private record Lines(long count, long length, long[] outer, long[][] outerStrides, long[] offsets, long[] strides) {

        static Lines of(int dim, TensorView... views) {
            long[] shape = views[0].shape();
            int rank = shape.length;
            long[] outer = new long[rank - 1];
            long[][] outerStrides = new long[views.length][rank - 1];
            long[] offsets = new long[views.length];
            long[] strides = new long[views.length];
            long count = 1;
            for (int d = 0, e = 0; d < rank; d++) {
                if (d == dim) {
                    continue;
                }
                outer[e] = shape[d];
                count *= shape[d];
                for (int v = 0; v < views.length; v++) {
                    outerStrides[v][e] = views[v].strides()[d];
                }
                e++;
            }
            for (int v = 0; v < views.length; v++) {
                offsets[v] = views[v].offset();
                strides[v] = views[v].strides()[dim];
            }
            return new Lines(count, shape[dim], outer, outerStrides, offsets, strides);
        }

        /** The offset of line {@code line} (row-major over the other dims) in view {@code v}. */
        long offset(int v, long line) {
            long at = offsets[v];
            long[] st = outerStrides[v];
            for (int d = outer.length - 1; d >= 0 && line > 0; d--) {
                at += (line % outer[d]) * st[d];
                line /= outer[d];
            }
            return at;
        }

        long grain() {
            return Math.max(1, 16384 / Math.max(1, length));
        }
    }

    @Override
    public void softmax(TensorView out, TensorView in, int dim) {
        forward(out, in, dim, false);
    }

    @Override
    public void logSoftmax(TensorView out, TensorView in, int dim) {
        forward(out, in, dim, true);
    }

    private void forward(TensorView out, TensorView in, int dim, boolean log) {
        Lines lines = Lines.of(dim, out, in);
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(in);
        boolean wide = in.dtype() == DType.FLOAT64;
        long os = lines.strides()[0];
        long xs = lines.strides()[1];
        long n = lines.length();
        ComputePool.forRange(lines.count(), lines.grain(), (from, to) -> {
            for (long line = from; line < to; line++) {
                long oo = lines.offset(0, line);
                long xo = lines.offset(1, line);
                if (wide) {
                    doubleForward(o, oo, os, x, xo, xs, n, log);
                } else {
                    floatForward(o, oo, os, x, xo, xs, n, log);
                }
            }
        });
    }

    @Override
    public void logSumExp(TensorView out, TensorView in, int dim) {
        Lines lines = Lines.of(dim, in, out);
        MemorySegment x = Elements.segment(in);
        MemorySegment o = Elements.segment(out);
        boolean wide = in.dtype() == DType.FLOAT64;
        long xs = lines.strides()[0];
        long n = lines.length();
        ComputePool.forRange(lines.count(), lines.grain(), (from, to) -> {
            for (long line = from; line < to; line++) {
                long xo = lines.offset(0, line);
                long oo = lines.offset(1, line);
                if (wide) {
                    o.setAtIndex(DOUBLE, oo, doubleLogSumExp(x, xo, xs, n));
                } else {
                    o.setAtIndex(FLOAT, oo, floatLogSumExp(x, xo, xs, n));
                }
            }
        });
    }

    @Override
    public void softmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        backward(gradIn, gradOut, out, dim, false);
    }

    @Override
    public void logSoftmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim) {
        backward(gradIn, gradOut, out, dim, true);
    }

    private void backward(TensorView gradIn, TensorView gradOut, TensorView out, int dim, boolean log) {
        Lines lines = Lines.of(dim, gradIn, gradOut, out);
        MemorySegment gi = Elements.segment(gradIn);
        MemorySegment g = Elements.segment(gradOut);
        MemorySegment y = Elements.segment(out);
        boolean wide = out.dtype() == DType.FLOAT64;
        long is = lines.strides()[0];
        long gs = lines.strides()[1];
        long ys = lines.strides()[2];
        long n = lines.length();
        ComputePool.forRange(lines.count(), lines.grain(), (from, to) -> {
            for (long line = from; line < to; line++) {
                long io = lines.offset(0, line);
                long go = lines.offset(1, line);
                long yo = lines.offset(2, line);
                if (wide) {
                    doubleBackward(gi, io, is, g, go, gs, y, yo, ys, n, log);
                } else {
                    floatBackward(gi, io, is, g, go, gs, y, yo, ys, n, log);
                }
            }
        });
    }

    // ---- Float ----------------------------------------------------------------------------------

    private void floatForward(MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n, boolean log) {
        if (os == 1 && xs == 1) {
            floatForwardVectors(lanes.floats(), o, oo, x, xo, n, log);
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (long j = 0; j < n; j++) {
            max = Math.max(max, x.getAtIndex(FLOAT, xo + j * xs));
        }
        float shift = log && Float.isInfinite(max) ? 0f : max;
        float sum = 0;
        for (long j = 0; j < n; j++) {
            float e = (float) Math.exp(x.getAtIndex(FLOAT, xo + j * xs) - shift);
            if (!log) {
                o.setAtIndex(FLOAT, oo + j * os, e);
            }
            sum += e;
        }
        float ls = (float) Math.log(sum);
        for (long j = 0; j < n; j++) {
            if (log) {
                o.setAtIndex(FLOAT, oo + j * os, (x.getAtIndex(FLOAT, xo + j * xs) - shift) - ls);
            } else {
                o.setAtIndex(FLOAT, oo + j * os, o.getAtIndex(FLOAT, oo + j * os) / sum);
            }
        }
    }

    /** {@link #floatForwardLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static void floatForwardVectors(VectorSpecies<Float> s, MemorySegment o, long oo, MemorySegment x,
            long xo, long n, boolean log) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        if (s == chosen) {
            floatForwardLoop(chosen, o, oo, x, xo, n, log);
        } else {
            floatForwardLoop(s, o, oo, x, xo, n, log);
        }
    }

    /** {@link #floatMaxLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static float floatMaxVectors(VectorSpecies<Float> s, MemorySegment x, long xo, long n) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        return s == chosen ? floatMaxLoop(chosen, x, xo, n) : floatMaxLoop(s, x, xo, n);
    }

    /**
     * The maximum of a dense line, over four vectors at a time into four running maxima: with one, each step
     * waited on the last (Java's max is a chain of five instructions; [512, 1000] log-softmax at 1 thread: 339 us
     * with one, 255-272 with four).
     */
    private static float floatMaxLoop(VectorSpecies<Float> s, MemorySegment x, long xo, long n) {
        int step = s.length();
        long bound = s.loopBound(n);
        float max = Float.NEGATIVE_INFINITY;
        long j = 0;
        if (bound > 0) {
            FloatVector m0 = FloatVector.fromMemorySegment(s, x, xo * Float.BYTES, ORDER);
            FloatVector m1 = m0;
            FloatVector m2 = m0;
            FloatVector m3 = m0;
            for (long limit = bound - 3L * step; j < limit; j += 4L * step) {
                long at = (xo + j) * Float.BYTES;
                m0 = m0.max(FloatVector.fromMemorySegment(s, x, at, ORDER));
                m1 = m1.max(FloatVector.fromMemorySegment(s, x, at + (long) step * Float.BYTES, ORDER));
                m2 = m2.max(FloatVector.fromMemorySegment(s, x, at + 2L * step * Float.BYTES, ORDER));
                m3 = m3.max(FloatVector.fromMemorySegment(s, x, at + 3L * step * Float.BYTES, ORDER));
            }
            for (; j < bound; j += step) {
                m0 = m0.max(FloatVector.fromMemorySegment(s, x, (xo + j) * Float.BYTES, ORDER));
            }
            max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        }
        for (; j < n; j++) {
            max = Math.max(max, x.getAtIndex(FLOAT, xo + j));
        }
        return max;
    }

    /**
     * A line dense along the dim, with vectors of {@code s}; its maximum from {@link #floatMaxVectors}, a
     * compilation of its own: with the maximum's loop inlined here too, C1 ran out of virtual registers on
     * floatForwardVectors, which then ran in the interpreter and in on-stack-replaced loops until C2 compiled it,
     * from a profile those left behind (cross-entropy [512, 1000] forward at 1 thread: 390 us or 8 ms in some runs,
     * against 290). The exponentials stay one vector a step with a scalar tail: a second exp in the method made C2
     * give up inlining VectorMath.exp (376 us), and a masked tail vector sometimes compiled to the Vector API's
     * allocating fallback (824 us, a young GC every 0.1 s).
     */
    private static void floatForwardLoop(VectorSpecies<Float> s, MemorySegment o, long oo, MemorySegment x, long xo, long n,
            boolean log) {
        int step = s.length();
        long bound = s.loopBound(n);
        FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        float max = floatMaxVectors(s, x, xo, n);
        long j;
        float shift = log && Float.isInfinite(max) ? 0f : max;
        FloatVector shiftV = zero.broadcast(shift);
        FloatVector total = zero;
        for (j = 0; j < bound; j += step) {
            FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(s, x, (xo + j) * Float.BYTES, ORDER).sub(shiftV));
            if (!log) {
                e.intoMemorySegment(o, (oo + j) * Float.BYTES, ORDER);
            }
            total = total.add(e);
        }
        float sum = VectorMath.sum(total);
        for (; j < n; j++) {
            float e = (float) Math.exp(x.getAtIndex(FLOAT, xo + j) - shift);
            if (!log) {
                o.setAtIndex(FLOAT, oo + j, e);
            }
            sum += e;
        }
        if (log) {
            FloatVector logSum = zero.broadcast((float) Math.log(sum));
            for (j = 0; j < bound; j += step) {
                FloatVector.fromMemorySegment(s, x, (xo + j) * Float.BYTES, ORDER).sub(shiftV).sub(logSum)
                        .intoMemorySegment(o, (oo + j) * Float.BYTES, ORDER);
            }
            float ls = (float) Math.log(sum);
            for (; j < n; j++) {
                o.setAtIndex(FLOAT, oo + j, (x.getAtIndex(FLOAT, xo + j) - shift) - ls);
            }
        } else {
            FloatVector sumV = zero.broadcast(sum);
            for (j = 0; j < bound; j += step) {
                FloatVector.fromMemorySegment(s, o, (oo + j) * Float.BYTES, ORDER).div(sumV)
                        .intoMemorySegment(o, (oo + j) * Float.BYTES, ORDER);
            }
            for (; j < n; j++) {
                o.setAtIndex(FLOAT, oo + j, o.getAtIndex(FLOAT, oo + j) / sum);
            }
        }
    }

    /** {@code shift + log(sum(exp(x - shift)))} of a line, shift its maximum (0 where infinite). */
    private float floatLogSumExp(MemorySegment x, long xo, long xs, long n) {
        if (xs == 1) {
            return floatLogSumExpVectors(lanes.floats(), x, xo, n);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (long j = 0; j < n; j++) {
            max = Math.max(max, x.getAtIndex(FLOAT, xo + j * xs));
        }
        float shift = Float.isInfinite(max) ? 0f : max;
        float sum = 0;
        for (long j = 0; j < n; j++) {
            sum += (float) Math.exp(x.getAtIndex(FLOAT, xo + j * xs) - shift);
        }
        return (float) Math.log(sum) + shift;
    }

    /** {@link #floatLogSumExpLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static float floatLogSumExpVectors(VectorSpecies<Float> s, MemorySegment x, long xo, long n) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        return s == chosen ? floatLogSumExpLoop(chosen, x, xo, n) : floatLogSumExpLoop(s, x, xo, n);
    }

    /** A line dense along the dim, with vectors of {@code s}: the sum pass of {@link #floatForwardLoop}, without a store. */
    private static float floatLogSumExpLoop(VectorSpecies<Float> s, MemorySegment x, long xo, long n) {
        int step = s.length();
        long bound = s.loopBound(n);
        FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        float max = floatMaxVectors(s, x, xo, n);
        float shift = Float.isInfinite(max) ? 0f : max;
        FloatVector shiftV = zero.broadcast(shift);
        FloatVector total = zero;
        long j;
        for (j = 0; j < bound; j += step) {
            total = total.add(VectorMath.exp(FloatVector.fromMemorySegment(s, x, (xo + j) * Float.BYTES, ORDER).sub(shiftV)));
        }
        float sum = VectorMath.sum(total);
        for (; j < n; j++) {
            sum += (float) Math.exp(x.getAtIndex(FLOAT, xo + j) - shift);
        }
        return (float) Math.log(sum) + shift;
    }

    /**
     * softmax: {@code gi = y * (g - sum(g * y))}; log-softmax: {@code gi = g - exp(y) * sum(g)}; y is the
     * forward's output.
     */
    private void floatBackward(MemorySegment gi, long io, long is, MemorySegment g, long go, long gs, MemorySegment y, long yo, long ys,
                               long n, boolean log) {
        if (is == 1 && gs == 1 && ys == 1) {
            floatBackwardVectors(lanes.floats(), gi, io, g, go, y, yo, n, log);
            return;
        }
        float sum = 0;
        for (long j = 0; j < n; j++) {
            float gj = g.getAtIndex(FLOAT, go + j * gs);
            sum += log ? gj : gj * y.getAtIndex(FLOAT, yo + j * ys);
        }
        for (long j = 0; j < n; j++) {
            float gj = g.getAtIndex(FLOAT, go + j * gs);
            float yj = y.getAtIndex(FLOAT, yo + j * ys);
            gi.setAtIndex(FLOAT, io + j * is, log ? gj - (float) Math.exp(yj) * sum : yj * (gj - sum));
        }
    }

    /** {@link #floatBackwardLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static void floatBackwardVectors(VectorSpecies<Float> s, MemorySegment gi, long io, MemorySegment g,
            long go, MemorySegment y, long yo, long n, boolean log) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        if (s == chosen) {
            floatBackwardLoop(chosen, gi, io, g, go, y, yo, n, log);
        } else {
            floatBackwardLoop(s, gi, io, g, go, y, yo, n, log);
        }
    }

    /** A line dense along the dim, with vectors of {@code s}. */
    private static void floatBackwardLoop(VectorSpecies<Float> s, MemorySegment gi, long io, MemorySegment g,
            long go, MemorySegment y, long yo, long n, boolean log) {
        int step = s.length();
        long bound = s.loopBound(n);
        FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        FloatVector total = zero;
        long j = 0;
        for (; j < bound; j += step) {
            FloatVector gv = FloatVector.fromMemorySegment(s, g, (go + j) * Float.BYTES, ORDER);
            total = log ? total.add(gv) : gv.fma(FloatVector.fromMemorySegment(s, y, (yo + j) * Float.BYTES, ORDER), total);
        }
        float sum = VectorMath.sum(total);
        for (; j < n; j++) {
            float gj = g.getAtIndex(FLOAT, go + j);
            sum += log ? gj : gj * y.getAtIndex(FLOAT, yo + j);
        }
        FloatVector sumV = zero.broadcast(sum);
        for (j = 0; j < bound; j += step) {
            FloatVector gv = FloatVector.fromMemorySegment(s, g, (go + j) * Float.BYTES, ORDER);
            FloatVector yv = FloatVector.fromMemorySegment(s, y, (yo + j) * Float.BYTES, ORDER);
            FloatVector r = log ? gv.sub(VectorMath.exp(yv).mul(sumV)) : yv.mul(gv.sub(sumV));
            r.intoMemorySegment(gi, (io + j) * Float.BYTES, ORDER);
        }
        for (; j < n; j++) {
            float gj = g.getAtIndex(FLOAT, go + j);
            float yj = y.getAtIndex(FLOAT, yo + j);
            gi.setAtIndex(FLOAT, io + j, log ? gj - (float) Math.exp(yj) * sum : yj * (gj - sum));
        }
    }

    // ---- Double ----------------------------------------------------------------------------------

    private void doubleForward(MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n, boolean log) {
        if (os == 1 && xs == 1) {
            doubleForwardVectors(lanes.doubles(), o, oo, x, xo, n, log);
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (long j = 0; j < n; j++) {
            max = Math.max(max, x.getAtIndex(DOUBLE, xo + j * xs));
        }
        double shift = log && Double.isInfinite(max) ? 0d : max;
        double sum = 0;
        for (long j = 0; j < n; j++) {
            double e = Math.exp(x.getAtIndex(DOUBLE, xo + j * xs) - shift);
            if (!log) {
                o.setAtIndex(DOUBLE, oo + j * os, e);
            }
            sum += e;
        }
        double ls = Math.log(sum);
        for (long j = 0; j < n; j++) {
            if (log) {
                o.setAtIndex(DOUBLE, oo + j * os, (x.getAtIndex(DOUBLE, xo + j * xs) - shift) - ls);
            } else {
                o.setAtIndex(DOUBLE, oo + j * os, o.getAtIndex(DOUBLE, oo + j * os) / sum);
            }
        }
    }

    /** {@link #doubleForwardLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static void doubleForwardVectors(VectorSpecies<Double> s, MemorySegment o, long oo, MemorySegment x,
            long xo, long n, boolean log) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        if (s == chosen) {
            doubleForwardLoop(chosen, o, oo, x, xo, n, log);
        } else {
            doubleForwardLoop(s, o, oo, x, xo, n, log);
        }
    }

    /** {@link #doubleMaxLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static double doubleMaxVectors(VectorSpecies<Double> s, MemorySegment x, long xo, long n) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        return s == chosen ? doubleMaxLoop(chosen, x, xo, n) : doubleMaxLoop(s, x, xo, n);
    }

    /** The maximum of a dense line. */
    private static double doubleMaxLoop(VectorSpecies<Double> s, MemorySegment x, long xo, long n) {
        int step = s.length();
        long bound = s.loopBound(n);
        double max = Double.NEGATIVE_INFINITY;
        long j = 0;
        if (bound > 0) {
            DoubleVector m = DoubleVector.fromMemorySegment(s, x, xo * Double.BYTES, ORDER);
            for (j = step; j < bound; j += step) {
                m = m.max(DoubleVector.fromMemorySegment(s, x, (xo + j) * Double.BYTES, ORDER));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; j < n; j++) {
            max = Math.max(max, x.getAtIndex(DOUBLE, xo + j));
        }
        return max;
    }

    /** A line dense along the dim, with vectors of {@code s}. */
    private static void doubleForwardLoop(VectorSpecies<Double> s, MemorySegment o, long oo, MemorySegment x,
            long xo, long n, boolean log) {
        int step = s.length();
        long bound = s.loopBound(n);
        DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        double max = doubleMaxVectors(s, x, xo, n);
        long j;
        double shift = log && Double.isInfinite(max) ? 0d : max;
        DoubleVector shiftV = zero.broadcast(shift);
        DoubleVector total = zero;
        for (j = 0; j < bound; j += step) {
            DoubleVector e = VectorMath.exp(DoubleVector.fromMemorySegment(s, x, (xo + j) * Double.BYTES, ORDER).sub(shiftV));
            if (!log) {
                e.intoMemorySegment(o, (oo + j) * Double.BYTES, ORDER);
            }
            total = total.add(e);
        }
        double sum = VectorMath.sum(total);
        for (; j < n; j++) {
            double e = Math.exp(x.getAtIndex(DOUBLE, xo + j) - shift);
            if (!log) {
                o.setAtIndex(DOUBLE, oo + j, e);
            }
            sum += e;
        }
        if (log) {
            DoubleVector logSum = zero.broadcast(Math.log(sum));
            for (j = 0; j < bound; j += step) {
                DoubleVector.fromMemorySegment(s, x, (xo + j) * Double.BYTES, ORDER).sub(shiftV).sub(logSum)
                        .intoMemorySegment(o, (oo + j) * Double.BYTES, ORDER);
            }
            double ls = Math.log(sum);
            for (; j < n; j++) {
                o.setAtIndex(DOUBLE, oo + j, (x.getAtIndex(DOUBLE, xo + j) - shift) - ls);
            }
        } else {
            DoubleVector sumV = zero.broadcast(sum);
            for (j = 0; j < bound; j += step) {
                DoubleVector.fromMemorySegment(s, o, (oo + j) * Double.BYTES, ORDER).div(sumV)
                        .intoMemorySegment(o, (oo + j) * Double.BYTES, ORDER);
            }
            for (; j < n; j++) {
                o.setAtIndex(DOUBLE, oo + j, o.getAtIndex(DOUBLE, oo + j) / sum);
            }
        }
    }

    /** {@code shift + log(sum(exp(x - shift)))} of a line, shift its maximum (0 where infinite). */
    private double doubleLogSumExp(MemorySegment x, long xo, long xs, long n) {
        if (xs == 1) {
            return doubleLogSumExpVectors(lanes.doubles(), x, xo, n);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (long j = 0; j < n; j++) {
            max = Math.max(max, x.getAtIndex(DOUBLE, xo + j * xs));
        }
        double shift = Double.isInfinite(max) ? 0d : max;
        double sum = 0;
        for (long j = 0; j < n; j++) {
            sum += Math.exp(x.getAtIndex(DOUBLE, xo + j * xs) - shift);
        }
        return Math.log(sum) + shift;
    }

    /** {@link #doubleLogSumExpLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static double doubleLogSumExpVectors(VectorSpecies<Double> s, MemorySegment x, long xo, long n) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        return s == chosen ? doubleLogSumExpLoop(chosen, x, xo, n) : doubleLogSumExpLoop(s, x, xo, n);
    }

    /** A line dense along the dim, with vectors of {@code s}: the sum pass of {@link #doubleForwardLoop}, without a store. */
    private static double doubleLogSumExpLoop(VectorSpecies<Double> s, MemorySegment x, long xo, long n) {
        int step = s.length();
        long bound = s.loopBound(n);
        DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        double max = doubleMaxVectors(s, x, xo, n);
        double shift = Double.isInfinite(max) ? 0d : max;
        DoubleVector shiftV = zero.broadcast(shift);
        DoubleVector total = zero;
        long j;
        for (j = 0; j < bound; j += step) {
            total = total.add(VectorMath.exp(DoubleVector.fromMemorySegment(s, x, (xo + j) * Double.BYTES, ORDER).sub(shiftV)));
        }
        double sum = VectorMath.sum(total);
        for (; j < n; j++) {
            sum += Math.exp(x.getAtIndex(DOUBLE, xo + j) - shift);
        }
        return Math.log(sum) + shift;
    }

    /**
     * softmax: {@code gi = y * (g - sum(g * y))}; log-softmax: {@code gi = g - exp(y) * sum(g)}; y is the
     * forward's output.
     */
    private void doubleBackward(MemorySegment gi, long io, long is, MemorySegment g, long go, long gs, MemorySegment y, long yo, long ys,
                               long n, boolean log) {
        if (is == 1 && gs == 1 && ys == 1) {
            doubleBackwardVectors(lanes.doubles(), gi, io, g, go, y, yo, n, log);
            return;
        }
        double sum = 0;
        for (long j = 0; j < n; j++) {
            double gj = g.getAtIndex(DOUBLE, go + j * gs);
            sum += log ? gj : gj * y.getAtIndex(DOUBLE, yo + j * ys);
        }
        for (long j = 0; j < n; j++) {
            double gj = g.getAtIndex(DOUBLE, go + j * gs);
            double yj = y.getAtIndex(DOUBLE, yo + j * ys);
            gi.setAtIndex(DOUBLE, io + j * is, log ? gj - Math.exp(yj) * sum : yj * (gj - sum));
        }
    }

    /** {@link #doubleBackwardLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static void doubleBackwardVectors(VectorSpecies<Double> s, MemorySegment gi, long io, MemorySegment g,
            long go, MemorySegment y, long yo, long n, boolean log) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        if (s == chosen) {
            doubleBackwardLoop(chosen, gi, io, g, go, y, yo, n, log);
        } else {
            doubleBackwardLoop(s, gi, io, g, go, y, yo, n, log);
        }
    }

    /** A line dense along the dim, with vectors of {@code s}. */
    private static void doubleBackwardLoop(VectorSpecies<Double> s, MemorySegment gi, long io, MemorySegment g,
            long go, MemorySegment y, long yo, long n, boolean log) {
        int step = s.length();
        long bound = s.loopBound(n);
        DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        DoubleVector total = zero;
        long j = 0;
        for (; j < bound; j += step) {
            DoubleVector gv = DoubleVector.fromMemorySegment(s, g, (go + j) * Double.BYTES, ORDER);
            total = log ? total.add(gv) : gv.fma(DoubleVector.fromMemorySegment(s, y, (yo + j) * Double.BYTES, ORDER), total);
        }
        double sum = VectorMath.sum(total);
        for (; j < n; j++) {
            double gj = g.getAtIndex(DOUBLE, go + j);
            sum += log ? gj : gj * y.getAtIndex(DOUBLE, yo + j);
        }
        DoubleVector sumV = zero.broadcast(sum);
        for (j = 0; j < bound; j += step) {
            DoubleVector gv = DoubleVector.fromMemorySegment(s, g, (go + j) * Double.BYTES, ORDER);
            DoubleVector yv = DoubleVector.fromMemorySegment(s, y, (yo + j) * Double.BYTES, ORDER);
            DoubleVector r = log ? gv.sub(VectorMath.exp(yv).mul(sumV)) : yv.mul(gv.sub(sumV));
            r.intoMemorySegment(gi, (io + j) * Double.BYTES, ORDER);
        }
        for (; j < n; j++) {
            double gj = g.getAtIndex(DOUBLE, go + j);
            double yj = y.getAtIndex(DOUBLE, yo + j);
            gi.setAtIndex(DOUBLE, io + j, log ? gj - Math.exp(yj) * sum : yj * (gj - sum));
        }
    }
}
