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
        VectorSpecies<Float> s = lanes.floats();
        // The loop with the species as a constant where it is the JVM's (see Lanes).
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        long j = s == chosen ? floatsLoop(chosen, r, g, y, from, to) : floatsLoop(s, r, g, y, from, to);
        for (; j < to; j++) {
            float grad = g.segment().getAtIndex(FLOAT, g.offset() + j);
            r.segment().setAtIndex(FLOAT, r.offset() + j, y.segment().getAtIndex(FLOAT, y.offset() + j) > 0 ? grad : 0f);
        }
    }

    /** The vector part of {@link #floats}: returns where it stopped, the start of the tail of fewer than a vector. */
    private static long floatsLoop(VectorSpecies<Float> s, DenseViews.Out r, DenseViews.In g, DenseViews.In y, long from, long to) {
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
        VectorSpecies<Double> s = lanes.doubles();
        // The loop with the species as a constant where it is the JVM's (see Lanes).
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        long j = s == chosen ? doublesLoop(chosen, r, g, y, from, to) : doublesLoop(s, r, g, y, from, to);
        for (; j < to; j++) {
            double grad = g.segment().getAtIndex(DOUBLE, g.offset() + j);
            r.segment().setAtIndex(DOUBLE, r.offset() + j, y.segment().getAtIndex(DOUBLE, y.offset() + j) > 0 ? grad : 0d);
        }
    }

    /** The vector part of {@link #doubles}: returns where it stopped, the start of the tail of fewer than a vector. */
    private static long doublesLoop(VectorSpecies<Double> s, DenseViews.Out r, DenseViews.In g, DenseViews.In y, long from, long to) {
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
