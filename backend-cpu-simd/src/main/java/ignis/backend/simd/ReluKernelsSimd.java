package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.ReluKernels;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ReLU's gradient in one pass: each vector of the gradient kept where the output is positive, zero
 * elsewhere (a NaN output compares false). The composed form writes a bool tensor and reads it back, in
 * two kernels. Operands that are not dense are copied first; parts of at least
 * {@link Parallel#CHEAP_GRAIN} elements go to the compute pool's threads.
 */
final class ReluKernelsSimd implements ReluKernels {

    private final Lanes lanes;

    ReluKernelsSimd(Lanes lanes) {
        this.lanes = lanes;
    }

    @Override
    public void reluBackward(TensorView gradIn, TensorView gradOut, TensorView out) {
        DenseViews.In g = DenseViews.in(gradOut);
        DenseViews.In y = DenseViews.in(out);
        DenseViews.Out r = DenseViews.out(gradIn);
        if (gradIn.dtype() == DType.FLOAT64) {
            ComputePool.forRange(gradIn.numel(), Parallel.CHEAP_GRAIN, (from, to) -> doubles(r, g, y, from, to));
        } else if (gradIn.dtype() == DType.FLOAT32) {
            ComputePool.forRange(gradIn.numel(), Parallel.CHEAP_GRAIN, (from, to) -> floats(r, g, y, from, to));
        } else {
            throw new IllegalArgumentException("relu backward: expected float32 or float64 operands, got " + gradIn.dtype());
        }
        r.finish();
    }

    private void floats(DenseViews.Out r, DenseViews.In g, DenseViews.In y, long from, long to) {
        long j = floatVectors(lanes.floats(), r, g, y, from, to);
        for (; j < to; j++) {
            float grad = g.segment().getAtIndex(FLOAT, g.offset() + j);
            r.segment().setAtIndex(FLOAT, r.offset() + j, y.segment().getAtIndex(FLOAT, y.offset() + j) > 0 ? grad : 0f);
        }
    }

    /** {@link #floatLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long floatVectors(VectorSpecies<Float> s, DenseViews.Out r, DenseViews.In g, DenseViews.In y,
            long from, long to) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        return s == chosen ? floatLoop(chosen, r, g, y, from, to) : floatLoop(s, r, g, y, from, to);
    }

    /** The vector part of {@link #floats}: returns where it stopped, the start of the tail of fewer than a vector. */
    private static long floatLoop(VectorSpecies<Float> s, DenseViews.Out r, DenseViews.In g, DenseViews.In y, long from, long to) {
        FloatVector zero = FloatVector.zero(s);
        long j = from;
        for (long bound = from + s.loopBound(to - from); j < bound; j += s.length()) {
            FloatVector positive = FloatVector.fromMemorySegment(s, y.segment(), (y.offset() + j) * Float.BYTES, ORDER);
            FloatVector grad = FloatVector.fromMemorySegment(s, g.segment(), (g.offset() + j) * Float.BYTES, ORDER);
            zero.blend(grad, positive.compare(VectorOperators.GT, 0f))
                    .intoMemorySegment(r.segment(), (r.offset() + j) * Float.BYTES, ORDER);
        }
        return j;
    }

    private void doubles(DenseViews.Out r, DenseViews.In g, DenseViews.In y, long from, long to) {
        long j = doubleVectors(lanes.doubles(), r, g, y, from, to);
        for (; j < to; j++) {
            double grad = g.segment().getAtIndex(DOUBLE, g.offset() + j);
            r.segment().setAtIndex(DOUBLE, r.offset() + j, y.segment().getAtIndex(DOUBLE, y.offset() + j) > 0 ? grad : 0d);
        }
    }

    /** {@link #doubleLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long doubleVectors(VectorSpecies<Double> s, DenseViews.Out r, DenseViews.In g, DenseViews.In y,
            long from, long to) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        return s == chosen ? doubleLoop(chosen, r, g, y, from, to) : doubleLoop(s, r, g, y, from, to);
    }

    /** The vector part of {@link #doubles}: returns where it stopped, the start of the tail of fewer than a vector. */
    private static long doubleLoop(VectorSpecies<Double> s, DenseViews.Out r, DenseViews.In g, DenseViews.In y,
            long from, long to) {
        DoubleVector zero = DoubleVector.zero(s);
        long j = from;
        for (long bound = from + s.loopBound(to - from); j < bound; j += s.length()) {
            DoubleVector positive = DoubleVector.fromMemorySegment(s, y.segment(), (y.offset() + j) * Double.BYTES, ORDER);
            DoubleVector grad = DoubleVector.fromMemorySegment(s, g.segment(), (g.offset() + j) * Double.BYTES, ORDER);
            zero.blend(grad, positive.compare(VectorOperators.GT, 0d))
                    .intoMemorySegment(r.segment(), (r.offset() + j) * Double.BYTES, ORDER);
        }
        return j;
    }
}
