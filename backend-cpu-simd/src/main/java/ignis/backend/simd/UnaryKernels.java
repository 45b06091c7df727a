package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise functions of one operand, {@code out[i] = f(in[i])}.
 *
 * <p>Vectorized: float32 and float64 runs where input and output both have stride 1, for every op with
 * a vector form ({@link #vectorized}); the tail of such a run and every other run are scalar, with
 * {@link ScalarMath}'s semantics. The transcendental functions of the vector path are the Vector API's
 * (within 1 ulp of {@link Math}'s; float32 computed in float32, as PyTorch's vectorized kernels do);
 * FLOOR, CEIL, ROUND, TRUNC, ERF and GELU are scalar.
 */
final class UnaryKernels {

    private final Lanes lanes;

    UnaryKernels(Lanes lanes) {
        this.lanes = lanes;
    }

    /** Whether float32 and float64 runs of {@code op} have a vector path. */
    static boolean vectorized(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU, SQRT, RSQRT, RECIPROCAL, EXP, EXPM1, LOG, LOG1P, SIN, COS, TANH, SIGMOID,
                    GELU_TANH -> true;
            default -> false;
        };
    }

    void apply(UnaryOp op, TensorView out, TensorView in) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(in);
        InnerRuns runs = InnerRuns.over(out.shape(), out, in);
        DType type = in.dtype();
        if (op == UnaryOp.LOGICAL_NOT || op == UnaryOp.ISNAN) {
            boolResult(op, o, out.dtype(), x, type, runs);
            return;
        }
        if (type != out.dtype()) {
            general(op, o, out.dtype(), x, type, runs);
            return;
        }
        long n = runs.length();
        long os = runs.stride(0);
        long xs = runs.stride(1);
        while (runs.next()) {
            long oo = runs.offset(0);
            long xo = runs.offset(1);
            switch (type) {
                case FLOAT32 -> floatRun(op, o, oo, os, x, xo, xs, n);
                case FLOAT64 -> doubleRun(op, o, oo, os, x, xo, xs, n);
                case INT32 -> {
                    for (long j = 0; j < n; j++) {
                        o.setAtIndex(INT, oo + j * os, (int) ElementMath.unary(op, (long) x.getAtIndex(INT, xo + j * xs)));
                    }
                }
                case INT64 -> {
                    for (long j = 0; j < n; j++) {
                        o.setAtIndex(LONG, oo + j * os, ElementMath.unary(op, x.getAtIndex(LONG, xo + j * xs)));
                    }
                }
                default -> generalRun(op, o, out.dtype(), oo, os, x, type, xo, xs, n);
            }
        }
    }

    private void floatRun(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        long j = 0;
        if (os == 1 && xs == 1 && vectorized(op)) {
            VectorSpecies<Float> s = lanes.floats();
            long bound = s.loopBound(n);
            for (; j < bound; j += s.length()) {
                FloatVector v = FloatVector.fromMemorySegment(s, x, (xo + j) * Float.BYTES, ORDER);
                // The switch sits in the loop so that each branch's operator is a constant the JIT intrinsifies.
                FloatVector r = switch (op) {
                    case NEG -> v.neg();
                    case ABS -> v.abs();
                    case SIGN -> v.broadcast(0f).blend(1f, v.compare(VectorOperators.GT, 0f))
                            .blend(-1f, v.compare(VectorOperators.LT, 0f));
                    case RELU -> v.blend(0f, v.compare(VectorOperators.LT, 0f));
                    case SQRT -> v.sqrt();
                    case RSQRT -> v.broadcast(1f).div(v.sqrt());
                    case RECIPROCAL -> v.broadcast(1f).div(v);
                    case EXP -> v.lanewise(VectorOperators.EXP);
                    case EXPM1 -> v.lanewise(VectorOperators.EXPM1);
                    case LOG -> v.lanewise(VectorOperators.LOG);
                    case LOG1P -> v.lanewise(VectorOperators.LOG1P);
                    case SIN -> v.lanewise(VectorOperators.SIN);
                    case COS -> v.lanewise(VectorOperators.COS);
                    case TANH -> v.lanewise(VectorOperators.TANH);
                    case SIGMOID -> v.broadcast(1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
                    case GELU_TANH -> {
                        FloatVector inner = v.mul(v).mul(v).mul((float) ElementMath.GELU_TANH_CUBIC).add(v)
                                .mul((float) ElementMath.SQRT_2_OVER_PI);
                        // (0.5 x) first, so that x near the largest float does not overflow on the way.
                        yield v.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
                    }
                    default -> throw new IllegalArgumentException(op + " has no vector form");
                };
                r.intoMemorySegment(o, (oo + j) * Float.BYTES, ORDER);
            }
        }
        for (; j < n; j++) {
            o.setAtIndex(FLOAT, oo + j * os, (float) ElementMath.unary(op, x.getAtIndex(FLOAT, xo + j * xs)));
        }
    }

    private void doubleRun(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        long j = 0;
        if (os == 1 && xs == 1 && vectorized(op)) {
            VectorSpecies<Double> s = lanes.doubles();
            long bound = s.loopBound(n);
            for (; j < bound; j += s.length()) {
                DoubleVector v = DoubleVector.fromMemorySegment(s, x, (xo + j) * Double.BYTES, ORDER);
                DoubleVector r = switch (op) {
                    case NEG -> v.neg();
                    case ABS -> v.abs();
                    case SIGN -> v.broadcast(0d).blend(1d, v.compare(VectorOperators.GT, 0d))
                            .blend(-1d, v.compare(VectorOperators.LT, 0d));
                    case RELU -> v.blend(0d, v.compare(VectorOperators.LT, 0d));
                    case SQRT -> v.sqrt();
                    case RSQRT -> v.broadcast(1d).div(v.sqrt());
                    case RECIPROCAL -> v.broadcast(1d).div(v);
                    case EXP -> v.lanewise(VectorOperators.EXP);
                    case EXPM1 -> v.lanewise(VectorOperators.EXPM1);
                    case LOG -> v.lanewise(VectorOperators.LOG);
                    case LOG1P -> v.lanewise(VectorOperators.LOG1P);
                    case SIN -> v.lanewise(VectorOperators.SIN);
                    case COS -> v.lanewise(VectorOperators.COS);
                    case TANH -> v.lanewise(VectorOperators.TANH);
                    case SIGMOID -> v.broadcast(1d).div(v.neg().lanewise(VectorOperators.EXP).add(1d));
                    case GELU_TANH -> {
                        DoubleVector inner = v.mul(v).mul(v).mul(ElementMath.GELU_TANH_CUBIC).add(v).mul(ElementMath.SQRT_2_OVER_PI);
                        yield v.mul(0.5d).mul(inner.lanewise(VectorOperators.TANH).add(1d));
                    }
                    default -> throw new IllegalArgumentException(op + " has no vector form");
                };
                r.intoMemorySegment(o, (oo + j) * Double.BYTES, ORDER);
            }
        }
        for (; j < n; j++) {
            o.setAtIndex(DOUBLE, oo + j * os, ElementMath.unary(op, x.getAtIndex(DOUBLE, xo + j * xs)));
        }
    }

    /** LOGICAL_NOT and ISNAN: any dtype in, bool (or any dtype) out. */
    private static void boolResult(UnaryOp op, MemorySegment o, DType outType, MemorySegment x, DType type, InnerRuns runs) {
        long n = runs.length();
        long os = runs.stride(0);
        long xs = runs.stride(1);
        while (runs.next()) {
            long oo = runs.offset(0);
            long xo = runs.offset(1);
            for (long j = 0; j < n; j++) {
                long at = xo + j * xs;
                boolean r = op == UnaryOp.LOGICAL_NOT
                        ? !Elements.readTruth(x, type, at)
                        : type.isFloatingPoint() && Double.isNaN(Elements.readDouble(x, type, at));
                Elements.writeTruth(o, outType, oo + j * os, r);
            }
        }
    }

    /** Any other combination of dtypes: floats in double, integers in long, converted on the way out. */
    private static void general(UnaryOp op, MemorySegment o, DType outType, MemorySegment x, DType type, InnerRuns runs) {
        long n = runs.length();
        long os = runs.stride(0);
        long xs = runs.stride(1);
        while (runs.next()) {
            generalRun(op, o, outType, runs.offset(0), os, x, type, runs.offset(1), xs, n);
        }
    }

    private static void generalRun(UnaryOp op, MemorySegment o, DType outType, long oo, long os,
            MemorySegment x, DType type, long xo, long xs, long n) {
        for (long j = 0; j < n; j++) {
            long at = xo + j * xs;
            long to = oo + j * os;
            if (type.isFloatingPoint()) {
                Elements.writeDouble(o, outType, to, ElementMath.unary(op, Elements.readDouble(x, type, at)));
            } else {
                Elements.writeLong(o, outType, to, ElementMath.unary(op, Elements.readLong(x, type, at)));
            }
        }
    }
}
