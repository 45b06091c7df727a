package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.AdamCoefficients;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.OptimizerKernels;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused Adam step over dense operands: one pass that reads the parameter, gradient and state and
 * writes them back, instead of the dozen passes of the composed step (measured in an MLP epoch: a
 * third of the training thread's time went to those). Vectors through the bulk, scalars for the rest,
 * both with the operations and roundings {@link OptimizerKernels#adam} lists; parts of at least
 * {@link Parallel#STEP_GRAIN} elements go to the compute pool's threads.
 */
final class OptimizerKernelsSimd implements OptimizerKernels {

    private final Lanes lanes;

    OptimizerKernelsSimd(Lanes lanes) {
        this.lanes = lanes;
    }

    /** The element offsets of the five operands (the last is unused without AMSGrad). */
    private record Operands(MemorySegment p, long po, MemorySegment g, long go, MemorySegment m, long mo,
                            MemorySegment v, long vo, MemorySegment x, long xo) {

        static Operands of(TensorView param, TensorView grad, TensorView expAvg, TensorView expAvgSq, TensorView max) {
            return new Operands(Elements.segment(param), param.offset(), Elements.segment(grad), grad.offset(),
                    Elements.segment(expAvg), expAvg.offset(), Elements.segment(expAvgSq), expAvgSq.offset(),
                    max == null ? null : Elements.segment(max), max == null ? 0 : max.offset());
        }
    }

    @Override
    public void adam(TensorView param, TensorView grad, TensorView expAvg, TensorView expAvgSq, TensorView maxExpAvgSq,
                     AdamCoefficients c) {
        Operands o = Operands.of(param, grad, expAvg, expAvgSq, maxExpAvgSq);
        boolean amsgrad = maxExpAvgSq != null;
        if (param.dtype() == DType.FLOAT64) {
            ComputePool.forRange(param.numel(), Parallel.STEP_GRAIN,
                    (from, to) -> doubleAdamVectors(lanes.doubles(), o, amsgrad, c, from, to));
        } else if (param.dtype() == DType.FLOAT32) {
            ComputePool.forRange(param.numel(), Parallel.STEP_GRAIN,
                    (from, to) -> floatAdamVectors(lanes.floats(), o, amsgrad, c, from, to));
        } else {
            throw new IllegalArgumentException("adam: expected float32 or float64 operands, got " + param.dtype());
        }
    }

    /**
     * {@link #floatAdamLoop} on a constant species where {@code s} is the JVM's (see Lanes). Other widths go through a
     * method of their own: with the loop inlined here twice, C1 gave up on this method (out of virtual registers in
     * linear scan), which then ran in the interpreter until C2 compiled it, during the MLP's first epoch.
     */
    private static void floatAdamVectors(VectorSpecies<Float> s, Operands o, boolean amsgrad,
            AdamCoefficients c, long from, long to) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        if (s == chosen) {
            floatAdamLoop(chosen, o, amsgrad, c, from, to);
        } else {
            floatAdamOtherWidthVectors(s, o, amsgrad, c, from, to);
        }
    }

    private static void floatAdamOtherWidthVectors(VectorSpecies<Float> s, Operands o, boolean amsgrad,
            AdamCoefficients c, long from, long to) {
        floatAdamLoop(s, o, amsgrad, c, from, to);
    }

    private static void floatAdamLoop(VectorSpecies<Float> s, Operands o, boolean amsgrad,
            AdamCoefficients c, long from, long to) {
        float beta1 = (float) c.beta1();
        float rest1 = (float) (1 - c.beta1());
        float beta2 = (float) c.beta2();
        float rest2 = (float) (1 - c.beta2());
        float correction = (float) c.biasCorrection2Sqrt();
        float eps = (float) c.eps();
        float descent = (float) -c.stepSize();
        long j = from;
        for (long bound = from + s.loopBound(to - from); j < bound; j += s.length()) {
            FloatVector g = FloatVector.fromMemorySegment(s, o.g, (o.go + j) * Float.BYTES, ORDER);
            FloatVector m = FloatVector.fromMemorySegment(s, o.m, (o.mo + j) * Float.BYTES, ORDER).mul(beta1).add(g.mul(rest1));
            FloatVector v = FloatVector.fromMemorySegment(s, o.v, (o.vo + j) * Float.BYTES, ORDER).mul(beta2).add(g.mul(g).mul(rest2));
            m.intoMemorySegment(o.m, (o.mo + j) * Float.BYTES, ORDER);
            v.intoMemorySegment(o.v, (o.vo + j) * Float.BYTES, ORDER);
            if (amsgrad) {
                v = FloatVector.fromMemorySegment(s, o.x, (o.xo + j) * Float.BYTES, ORDER).max(v);
                v.intoMemorySegment(o.x, (o.xo + j) * Float.BYTES, ORDER);
            }
            FloatVector denom = v.lanewise(VectorOperators.SQRT).div(correction).add(eps);
            FloatVector.fromMemorySegment(s, o.p, (o.po + j) * Float.BYTES, ORDER).add(m.div(denom).mul(descent))
                    .intoMemorySegment(o.p, (o.po + j) * Float.BYTES, ORDER);
        }
        for (; j < to; j++) {
            float g = o.g.getAtIndex(FLOAT, o.go + j);
            float m = o.m.getAtIndex(FLOAT, o.mo + j) * beta1 + g * rest1;
            float v = o.v.getAtIndex(FLOAT, o.vo + j) * beta2 + g * g * rest2;
            o.m.setAtIndex(FLOAT, o.mo + j, m);
            o.v.setAtIndex(FLOAT, o.vo + j, v);
            if (amsgrad) {
                v = Math.max(o.x.getAtIndex(FLOAT, o.xo + j), v);
                o.x.setAtIndex(FLOAT, o.xo + j, v);
            }
            float denom = (float) Math.sqrt(v) / correction + eps;
            o.p.setAtIndex(FLOAT, o.po + j, o.p.getAtIndex(FLOAT, o.po + j) + m / denom * descent);
        }
    }

    /** {@link #doubleAdamLoop} on a constant species where {@code s} is the JVM's, inlined once as in {@link #floatAdamVectors}. */
    private static void doubleAdamVectors(VectorSpecies<Double> s, Operands o, boolean amsgrad,
            AdamCoefficients c, long from, long to) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        if (s == chosen) {
            doubleAdamLoop(chosen, o, amsgrad, c, from, to);
        } else {
            doubleAdamOtherWidthVectors(s, o, amsgrad, c, from, to);
        }
    }

    private static void doubleAdamOtherWidthVectors(VectorSpecies<Double> s, Operands o, boolean amsgrad,
            AdamCoefficients c, long from, long to) {
        doubleAdamLoop(s, o, amsgrad, c, from, to);
    }

    private static void doubleAdamLoop(VectorSpecies<Double> s, Operands o, boolean amsgrad,
            AdamCoefficients c, long from, long to) {
        double beta1 = c.beta1();
        double rest1 = 1 - c.beta1();
        double beta2 = c.beta2();
        double rest2 = 1 - c.beta2();
        double correction = c.biasCorrection2Sqrt();
        double eps = c.eps();
        double descent = -c.stepSize();
        long j = from;
        for (long bound = from + s.loopBound(to - from); j < bound; j += s.length()) {
            DoubleVector g = DoubleVector.fromMemorySegment(s, o.g, (o.go + j) * Double.BYTES, ORDER);
            DoubleVector m = DoubleVector.fromMemorySegment(s, o.m, (o.mo + j) * Double.BYTES, ORDER).mul(beta1).add(g.mul(rest1));
            DoubleVector v = DoubleVector.fromMemorySegment(s, o.v, (o.vo + j) * Double.BYTES, ORDER).mul(beta2).add(g.mul(g).mul(rest2));
            m.intoMemorySegment(o.m, (o.mo + j) * Double.BYTES, ORDER);
            v.intoMemorySegment(o.v, (o.vo + j) * Double.BYTES, ORDER);
            if (amsgrad) {
                v = DoubleVector.fromMemorySegment(s, o.x, (o.xo + j) * Double.BYTES, ORDER).max(v);
                v.intoMemorySegment(o.x, (o.xo + j) * Double.BYTES, ORDER);
            }
            DoubleVector denom = v.lanewise(VectorOperators.SQRT).div(correction).add(eps);
            DoubleVector.fromMemorySegment(s, o.p, (o.po + j) * Double.BYTES, ORDER).add(m.div(denom).mul(descent))
                    .intoMemorySegment(o.p, (o.po + j) * Double.BYTES, ORDER);
        }
        for (; j < to; j++) {
            double g = o.g.getAtIndex(DOUBLE, o.go + j);
            double m = o.m.getAtIndex(DOUBLE, o.mo + j) * beta1 + g * rest1;
            double v = o.v.getAtIndex(DOUBLE, o.vo + j) * beta2 + g * g * rest2;
            o.m.setAtIndex(DOUBLE, o.mo + j, m);
            o.v.setAtIndex(DOUBLE, o.vo + j, v);
            if (amsgrad) {
                v = Math.max(o.x.getAtIndex(DOUBLE, o.xo + j), v);
                o.x.setAtIndex(DOUBLE, o.xo + j, v);
            }
            double denom = Math.sqrt(v) / correction + eps;
            o.p.setAtIndex(DOUBLE, o.po + j, o.p.getAtIndex(DOUBLE, o.po + j) + m / denom * descent);
        }
    }
}
