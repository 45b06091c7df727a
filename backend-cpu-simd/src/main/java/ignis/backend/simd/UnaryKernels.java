package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
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
 * {@link ElementMath}'s semantics. exp and tanh (and sigmoid and tanh-GELU through them) are
 * {@link VectorMath}'s, within 1-2 ulps and the same bits compiled or not (float32 computed in float32,
 * as PyTorch's vectorized kernels do); the other transcendental functions are scalar {@link Math}
 * calls, because the Vector API's versions change their last bit when HotSpot compiles them. A
 * strided run of a vectorized op (a transposed or column view) is gathered in chunks into per-thread
 * buffers for the same vector loop.
 *
 * <p>Contiguous operands below two grains ({@link Parallel}) run at once on the caller's thread with
 * nothing allocated; larger walks are split among the compute pool's threads.
 */
final class UnaryKernels {

    private final Lanes lanes;

    UnaryKernels(Lanes lanes) {
        this.lanes = lanes;
    }

    /** Whether float32 and float64 runs of {@code op} have a vector path. */
    static boolean vectorized(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU, SQRT, RSQRT, RECIPROCAL, EXP, TANH, SIGMOID, GELU_TANH -> true;
            default -> false;
        };
    }

    void apply(UnaryOp op, TensorView out, TensorView in) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(in);
        long[] shape = out.shape();
        DType type = in.dtype();
        DType outType = out.dtype();
        boolean boolResult = op == UnaryOp.LOGICAL_NOT || op == UnaryOp.ISNAN;
        boolean typed = !boolResult && type == outType;
        long grain = grain(op, type);
        if (typed && Elements.contiguous(shape, out) && Elements.contiguous(shape, in)) {
            // The common small case: one dense run, on this thread, with nothing allocated.
            long n = Elements.numel(shape);
            if (n < 2 * grain || ComputePool.threads() == 1) {
                span(op, type, o, out.offset(), 1, x, in.offset(), 1, n);
                return;
            }
        }
        InnerRuns runs = InnerRuns.inMemoryOrder(shape, out, in);
        long os = runs.stride(0);
        long xs = runs.stride(1);
        if (boolResult) {
            Parallel.spans(runs, Parallel.COSTLY_GRAIN, r -> {
                while (r.nextSpan()) {
                    boolResultRun(op, o, outType, r.spanOffset(0), os, x, type, r.spanOffset(1), xs, r.spanLength());
                }
            });
        } else if (!typed) {
            Parallel.spans(runs, Parallel.COSTLY_GRAIN, r -> {
                while (r.nextSpan()) {
                    generalRun(op, o, outType, r.spanOffset(0), os, x, type, r.spanOffset(1), xs, r.spanLength());
                }
            });
        } else {
            Parallel.spans(runs, grain, r -> {
                while (r.nextSpan()) {
                    span(op, type, o, r.spanOffset(0), os, x, r.spanOffset(1), xs, r.spanLength());
                }
            });
        }
    }

    /** Elements per thread: the vectorized ops that cost about a cycle an element get the large grain. */
    private static long grain(UnaryOp op, DType type) {
        boolean cheap = (type == DType.FLOAT32 || type == DType.FLOAT64) && switch (op) {
            case NEG, ABS, SIGN, RELU, SQRT, RSQRT, RECIPROCAL -> true;
            default -> false;
        };
        return cheap ? Parallel.CHEAP_GRAIN : Parallel.COSTLY_GRAIN;
    }

    /** One span with the output in the input's dtype. */
    private void span(UnaryOp op, DType type, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
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
            default -> generalRun(op, o, type, oo, os, x, type, xo, xs, n);
        }
    }

    /** Whether a strided run is worth gathering into buffers for the vector loop. */
    private boolean gatherable(UnaryOp op, long os, long xs, long n) {
        return vectorized(op) && (os != 1 || xs != 1) && xs != 0 && n >= 2L * lanes.floats().length();
    }

    /** A strided run in chunks gathered into this thread's buffers, computed by the dense vector loop, scattered back. */
    private void gatheredFloatRun(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        MemorySegment buffers = Elements.gatherBuffers();
        long oBuf = Elements.GATHER_BYTES;
        for (long c = 0; c < n; c += Elements.GATHER_CHUNK) {
            int m = (int) Math.min(Elements.GATHER_CHUNK, n - c);
            MemorySegment xm = x;
            long xAt = xo + c * xs;
            if (xs != 1) {
                Elements.gatherFloats(x, xAt, xs, buffers, 0, m);
                xm = buffers;
                xAt = 0;
            }
            if (os == 1) {
                floatRunDirect(op, o, oo + c, 1, xm, xAt, 1, m);
            } else {
                floatRunDirect(op, buffers, oBuf / Float.BYTES, 1, xm, xAt, 1, m);
                Elements.scatterFloats(buffers, oBuf, o, oo + c * os, os, m);
            }
        }
    }

    private void gatheredDoubleRun(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        MemorySegment buffers = Elements.gatherBuffers();
        long oBuf = Elements.GATHER_BYTES;
        for (long c = 0; c < n; c += Elements.GATHER_CHUNK) {
            int m = (int) Math.min(Elements.GATHER_CHUNK, n - c);
            MemorySegment xm = x;
            long xAt = xo + c * xs;
            if (xs != 1) {
                Elements.gatherDoubles(x, xAt, xs, buffers, 0, m);
                xm = buffers;
                xAt = 0;
            }
            if (os == 1) {
                doubleRunDirect(op, o, oo + c, 1, xm, xAt, 1, m);
            } else {
                doubleRunDirect(op, buffers, oBuf / Double.BYTES, 1, xm, xAt, 1, m);
                Elements.scatterDoubles(buffers, oBuf, o, oo + c * os, os, m);
            }
        }
    }

    /** A run: gathered in chunks when strided and worth it, else directly. */
    private void floatRun(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        if (gatherable(op, os, xs, n)) {
            gatheredFloatRun(op, o, oo, os, x, xo, xs, n);
        } else {
            floatRunDirect(op, o, oo, os, x, xo, xs, n);
        }
    }

    /** A run as it lies: the vector loop where dense, then the scalar tail (never gathers, so never recurses). */
    private void floatRunDirect(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        long j = 0;
        if (os == 1 && xs == 1 && vectorized(op)) {
            VectorSpecies<Float> s = lanes.floats();
            j = floatMapVectors(s, op, o, oo, x, xo, s.loopBound(n));
        }
        for (; j < n; j++) {
            o.setAtIndex(FLOAT, oo + j * os, (float) ElementMath.unary(op, x.getAtIndex(FLOAT, xo + j * xs)));
        }
    }

    /** {@link #floatMapLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long floatMapVectors(VectorSpecies<Float> s, UnaryOp op, MemorySegment o, long oo,
            MemorySegment x, long xo, long bound) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        return s == chosen ? floatMapLoop(chosen, op, o, oo, x, xo, bound) : floatMapLoop(s, op, o, oo, x, xo, bound);
    }

    /**
     * The dense vector loop of {@link #floatRunDirect}: {@code bound} elements, a multiple of the lane count;
     * returns {@code bound}.
     */
    private static long floatMapLoop(VectorSpecies<Float> s, UnaryOp op, MemorySegment o, long oo, MemorySegment x,
            long xo, long bound) {
        for (long j = 0; j < bound; j += s.length()) {
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
                case EXP -> VectorMath.exp(v);
                case TANH -> VectorMath.tanh(v);
                case SIGMOID -> v.broadcast(1f).div(VectorMath.exp(v.neg()).add(1f));
                case GELU_TANH -> {
                    FloatVector inner = v.mul(v).mul(v).mul((float) ElementMath.GELU_TANH_CUBIC).add(v)
                            .mul((float) ElementMath.SQRT_2_OVER_PI);
                    // (0.5 x) first, so that x near the largest float does not overflow on the way.
                    yield v.mul(0.5f).mul(VectorMath.tanh(inner).add(1f));
                }
                default -> throw new IllegalArgumentException(op + " has no vector form");
            };
            r.intoMemorySegment(o, (oo + j) * Float.BYTES, ORDER);
        }
        return bound;
    }

    /** A run: gathered in chunks when strided and worth it, else directly. */
    private void doubleRun(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        if (gatherable(op, os, xs, n)) {
            gatheredDoubleRun(op, o, oo, os, x, xo, xs, n);
        } else {
            doubleRunDirect(op, o, oo, os, x, xo, xs, n);
        }
    }

    /** A run as it lies: the vector loop where dense, then the scalar tail (never gathers, so never recurses). */
    private void doubleRunDirect(UnaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs, long n) {
        long j = 0;
        if (os == 1 && xs == 1 && vectorized(op)) {
            VectorSpecies<Double> s = lanes.doubles();
            j = doubleMapVectors(s, op, o, oo, x, xo, s.loopBound(n));
        }
        for (; j < n; j++) {
            o.setAtIndex(DOUBLE, oo + j * os, ElementMath.unary(op, x.getAtIndex(DOUBLE, xo + j * xs)));
        }
    }

    /** {@link #doubleMapLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long doubleMapVectors(VectorSpecies<Double> s, UnaryOp op, MemorySegment o, long oo,
            MemorySegment x, long xo, long bound) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        return s == chosen ? doubleMapLoop(chosen, op, o, oo, x, xo, bound) : doubleMapLoop(s, op, o, oo, x, xo, bound);
    }

    /**
     * The dense vector loop of {@link #doubleRunDirect}: {@code bound} elements, a multiple of the lane count;
     * returns {@code bound}.
     */
    private static long doubleMapLoop(VectorSpecies<Double> s, UnaryOp op, MemorySegment o, long oo, MemorySegment x,
            long xo, long bound) {
        for (long j = 0; j < bound; j += s.length()) {
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
                case EXP -> VectorMath.exp(v);
                case TANH -> VectorMath.tanh(v);
                case SIGMOID -> v.broadcast(1d).div(VectorMath.exp(v.neg()).add(1d));
                case GELU_TANH -> {
                    DoubleVector inner = v.mul(v).mul(v).mul(ElementMath.GELU_TANH_CUBIC).add(v).mul(ElementMath.SQRT_2_OVER_PI);
                    yield v.mul(0.5d).mul(VectorMath.tanh(inner).add(1d));
                }
                default -> throw new IllegalArgumentException(op + " has no vector form");
            };
            r.intoMemorySegment(o, (oo + j) * Double.BYTES, ORDER);
        }
        return bound;
    }

    /** LOGICAL_NOT and ISNAN: any dtype in, bool (or any dtype) out. */
    private static void boolResultRun(UnaryOp op, MemorySegment o, DType outType, long oo, long os, MemorySegment x, DType type,
            long xo, long xs, long n) {
        for (long j = 0; j < n; j++) {
            long at = xo + j * xs;
            boolean r = op == UnaryOp.LOGICAL_NOT
                    ? !Elements.readTruth(x, type, at)
                    : type.isFloatingPoint() && Double.isNaN(Elements.readDouble(x, type, at));
            Elements.writeTruth(o, outType, oo + j * os, r);
        }
    }

    /** Any other combination of dtypes: floats in double, integers in long, converted on the way out. */
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
