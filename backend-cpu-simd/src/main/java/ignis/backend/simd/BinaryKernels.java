package ignis.backend.simd;

import static ignis.backend.simd.Elements.BYTE;
import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.DTypeRule;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise functions of two operands, {@code out[i] = f(a[i], b[i])}.
 *
 * <p>Vectorized: float32 and float64 runs whose output has stride 1 and whose inputs have stride 1 or
 * 0 (a broadcast operand, filled once into a per-thread vector and reloaded from there), for the
 * arithmetic ops with a vector form ({@link #vectorized}; not POW and ATAN2, whose Vector API versions
 * change their last bit when HotSpot compiles them) and for the comparisons (mask
 * bits spread into bool bytes). A run of those ops with a strided operand (a transposed view, a
 * column) is computed in chunks gathered into per-thread buffers and handed to the same vector loop,
 * its output scattered back when strided. Tails and all other runs are scalar with
 * {@link ElementMath}'s semantics; so are FLOOR_DIVIDE, REMAINDER, the integer, bool and mixed-dtype
 * cases. Integer division by zero and integer powers with negative exponents throw
 * {@link ArithmeticException}.
 *
 * <p>Contiguous operands below two grains ({@link Parallel}) run at once on the caller's thread with
 * nothing allocated; larger walks are split among the compute pool's threads.
 */
final class BinaryKernels {

    private final Lanes lanes;
    /** Bytes with the float lane count (the bools of one float vector's comparison), or null under 8 lanes. */
    private final VectorSpecies<Byte> bools;

    BinaryKernels(Lanes lanes) {
        this.lanes = lanes;
        this.bools = lanes.boolsOfFloats();
    }

    /** Whether float32 and float64 runs of an arithmetic {@code op} have a vector path. */
    static boolean vectorized(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    void apply(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(a);
        MemorySegment y = Elements.segment(b);
        long[] shape = out.shape();
        DType type = a.dtype();
        boolean sameInputs = type == b.dtype();
        DTypeRule rule = op.rule();
        boolean typed = switch (rule) {
            case ARITHMETIC, FLOATING -> sameInputs && out.dtype() == type && type != DType.BOOL && type.isComputeType();
            case COMPARISON -> sameInputs && out.dtype() == DType.BOOL;
            case LOGICAL -> false;
        };
        boolean compare = rule == DTypeRule.COMPARISON;
        long grain = grain(op, type);
        long n = Elements.numel(shape);
        if (typed && (n < 2 * grain || ComputePool.threads() == 1) && Elements.contiguous(shape, out)) {
            // The common small cases, on this thread with nothing allocated: each operand dense, or repeating one row (a
            // bias over a batch) of the other's rows. A run per row; one run where the operands are dense, or where the
            // row is one value (its stride 0).
            long xRow = Elements.repeatedRow(shape, a);
            long yRow = Elements.repeatedRow(shape, b);
            long row = Math.min(xRow, yRow);
            if (row > 0 && Math.max(xRow, yRow) == n) {
                if (row == 1) {
                    span(op, compare, type, o, out.offset(), 1, x, a.offset(), xRow == 1 ? 0 : 1, y, b.offset(), yRow == 1 ? 0 : 1, n);
                    return;
                }
                long xStep = xRow == n ? row : 0;
                long yStep = yRow == n ? row : 0;
                for (long r = 0, xo = a.offset(), yo = b.offset(); r < n; r += row, xo += xStep, yo += yStep) {
                    span(op, compare, type, o, out.offset() + r, 1, x, xo, 1, y, yo, 1, row);
                }
                return;
            }
        }
        InnerRuns runs = InnerRuns.inMemoryOrder(shape, out, a, b);
        long os = runs.stride(0);
        long xs = runs.stride(1);
        long ys = runs.stride(2);
        if (!typed) {
            DType outType = out.dtype();
            DType yt = b.dtype();
            Parallel.spans(runs, Parallel.COSTLY_GRAIN, r -> {
                while (r.nextSpan()) {
                    generalRun(op, o, outType, r.spanOffset(0), os, x, type, r.spanOffset(1), xs, y, yt, r.spanOffset(2), ys,
                            r.spanLength());
                }
            });
            return;
        }
        Parallel.spans(runs, grain, r -> {
            while (r.nextSpan()) {
                span(op, compare, type, o, r.spanOffset(0), os, x, r.spanOffset(1), xs, y, r.spanOffset(2), ys, r.spanLength());
            }
        });
    }

    /** Elements per thread: the vectorized arithmetic that costs a cycle or less an element gets the large grain. */
    private static long grain(BinaryOp op, DType type) {
        boolean cheap = (type == DType.FLOAT32 || type == DType.FLOAT64)
                && (op.rule() == DTypeRule.COMPARISON || vectorized(op));
        return cheap ? Parallel.CHEAP_GRAIN : Parallel.COSTLY_GRAIN;
    }

    /** One span of a typed op: same input dtypes, output in that dtype (or bool for a comparison). */
    private void span(BinaryOp op, boolean compare, DType type, MemorySegment o, long oo, long os,
            MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys, long n) {
        switch (type) {
            case FLOAT32 -> {
                if (compare) {
                    floatCompareRun(op, o, oo, os, x, xo, xs, y, yo, ys, n);
                } else {
                    floatRun(op, o, oo, os, x, xo, xs, y, yo, ys, n);
                }
            }
            case FLOAT64 -> {
                if (compare) {
                    doubleCompareRun(op, o, oo, os, x, xo, xs, y, yo, ys, n);
                } else {
                    doubleRun(op, o, oo, os, x, xo, xs, y, yo, ys, n);
                }
            }
            case INT32 -> {
                for (long j = 0; j < n; j++) {
                    long p = x.getAtIndex(INT, xo + j * xs);
                    long q = y.getAtIndex(INT, yo + j * ys);
                    if (compare) {
                        o.set(BYTE, oo + j * os, ElementMath.compare(op, p, q) ? (byte) 1 : (byte) 0);
                    } else {
                        o.setAtIndex(INT, oo + j * os, (int) ElementMath.binary(op, p, q));
                    }
                }
            }
            case INT64 -> {
                for (long j = 0; j < n; j++) {
                    long p = x.getAtIndex(LONG, xo + j * xs);
                    long q = y.getAtIndex(LONG, yo + j * ys);
                    if (compare) {
                        o.set(BYTE, oo + j * os, ElementMath.compare(op, p, q) ? (byte) 1 : (byte) 0);
                    } else {
                        o.setAtIndex(LONG, oo + j * os, ElementMath.binary(op, p, q));
                    }
                }
            }
            default -> generalRun(op, o, DType.BOOL, oo, os, x, type, xo, xs, y, type, yo, ys, n);
        }
    }

    /** The ops with a one-instruction vector form. */
    private static boolean cheap(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    /** Whether a strided run is worth gathering into buffers for the vector loop: long enough, and not a constant. */
    private boolean gatherable(BinaryOp op, long os, long xs, long ys, long n) {
        return vectorized(op) && !dense(os, xs, ys) && (xs | ys) != 0 && n >= 2L * lanes.floats().length();
    }

    /**
     * A run with a strided operand, in chunks: each strided input is gathered into this thread's buffers,
     * the dense vector loop computes the chunk (into a buffer when the output is strided) and a strided
     * output is scattered back. A broadcast input (stride 0) stays where it is.
     */
    private void gatheredFloatRun(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        MemorySegment buffers = Elements.gatherBuffers();
        long xBuf = 0;
        long yBuf = Elements.GATHER_BYTES;
        long oBuf = 2 * Elements.GATHER_BYTES;
        for (long c = 0; c < n; c += Elements.GATHER_CHUNK) {
            int m = (int) Math.min(Elements.GATHER_CHUNK, n - c);
            MemorySegment xm = x;
            long xAt = xo + c * xs;
            long xStride = xs;
            if (xs > 1) {
                Elements.gatherFloats(x, xAt, xs, buffers, xBuf, m);
                xm = buffers;
                xAt = xBuf / Float.BYTES;
                xStride = 1;
            }
            MemorySegment ym = y;
            long yAt = yo + c * ys;
            long yStride = ys;
            if (ys > 1) {
                Elements.gatherFloats(y, yAt, ys, buffers, yBuf, m);
                ym = buffers;
                yAt = yBuf / Float.BYTES;
                yStride = 1;
            }
            if (os == 1) {
                floatRunDirect(op, o, oo + c, 1, xm, xAt, xStride, ym, yAt, yStride, m);
            } else {
                floatRunDirect(op, buffers, oBuf / Float.BYTES, 1, xm, xAt, xStride, ym, yAt, yStride, m);
                Elements.scatterFloats(buffers, oBuf, o, oo + c * os, os, m);
            }
        }
    }

    private void gatheredDoubleRun(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        MemorySegment buffers = Elements.gatherBuffers();
        long xBuf = 0;
        long yBuf = Elements.GATHER_BYTES;
        long oBuf = 2 * Elements.GATHER_BYTES;
        for (long c = 0; c < n; c += Elements.GATHER_CHUNK) {
            int m = (int) Math.min(Elements.GATHER_CHUNK, n - c);
            MemorySegment xm = x;
            long xAt = xo + c * xs;
            long xStride = xs;
            if (xs > 1) {
                Elements.gatherDoubles(x, xAt, xs, buffers, xBuf, m);
                xm = buffers;
                xAt = xBuf / Double.BYTES;
                xStride = 1;
            }
            MemorySegment ym = y;
            long yAt = yo + c * ys;
            long yStride = ys;
            if (ys > 1) {
                Elements.gatherDoubles(y, yAt, ys, buffers, yBuf, m);
                ym = buffers;
                yAt = yBuf / Double.BYTES;
                yStride = 1;
            }
            if (os == 1) {
                doubleRunDirect(op, o, oo + c, 1, xm, xAt, xStride, ym, yAt, yStride, m);
            } else {
                doubleRunDirect(op, buffers, oBuf / Double.BYTES, 1, xm, xAt, xStride, ym, yAt, yStride, m);
                Elements.scatterDoubles(buffers, oBuf, o, oo + c * os, os, m);
            }
        }
    }

    /** Whether a run can take the vector path: a dense output and dense or broadcast inputs, not both broadcast. */
    private static boolean dense(long os, long xs, long ys) {
        return os == 1 && (xs == 1 || xs == 0) && (ys == 1 || ys == 0) && (xs | ys) != 0;
    }

    /** A run: gathered in chunks when strided and worth it, else directly. */
    private void floatRun(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        if (gatherable(op, os, xs, ys, n)) {
            gatheredFloatRun(op, o, oo, os, x, xo, xs, y, yo, ys, n);
        } else {
            floatRunDirect(op, o, oo, os, x, xo, xs, y, yo, ys, n);
        }
    }

    /** {@link #floatDenseLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long floatDenseVectors(VectorSpecies<Float> s, BinaryOp op, MemorySegment o, long ob, MemorySegment x, long xb,
            MemorySegment y, long yb, long bound) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        return s == chosen ? floatDenseLoop(chosen, op, o, ob, x, xb, y, yb, bound)
                : floatDenseLoop(s, op, o, ob, x, xb, y, yb, bound);
    }

    /**
     * The cheap arithmetic over dense operands, {@code bound} elements (a multiple of the lane count):
     * one loop per op, so that no switch runs per vector (measured: MUL, a later case of the switch,
     * ran at two thirds of ADD's speed with the switch in the loop). Returns {@code bound}.
     */
    private static long floatDenseLoop(VectorSpecies<Float> s, BinaryOp op, MemorySegment o, long ob, MemorySegment x, long xb,
            MemorySegment y, long yb, long bound) {
        long vector = (long) s.length() * Float.BYTES;
        long bytes = bound * Float.BYTES;
        long k = 0;
        switch (op) {
            case ADD -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).add(FloatVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case SUB -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).sub(FloatVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MUL -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).mul(FloatVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case DIV -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).div(FloatVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MAXIMUM -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).max(FloatVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MINIMUM -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).min(FloatVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            default -> throw new IllegalArgumentException(op + " is not cheap arithmetic");
        }
        return bound;
    }

    /** {@link #floatScalarLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long floatScalarVectors(VectorSpecies<Float> s, BinaryOp op, MemorySegment o, long ob, MemorySegment x, long xb,
            float scalar, long bound) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        return s == chosen ? floatScalarLoop(chosen, op, o, ob, x, xb, scalar, bound)
                : floatScalarLoop(s, op, o, ob, x, xb, scalar, bound);
    }

    /**
     * The cheap arithmetic of a dense operand and a scalar (an optimizer's {@code mul_(beta)}), {@code bound}
     * elements: one loop per op with the scalar's vector held in a register, as {@link #floatDenseLoop}.
     * Not folded into that method with a masked offset for {@code y}: measured, the mask made both loops
     * slower (mul_ of a scalar and add_ of a tensor over 235k floats: 21 and 24 us became 38 and 40 us).
     */
    private static long floatScalarLoop(VectorSpecies<Float> s, BinaryOp op, MemorySegment o, long ob, MemorySegment x, long xb,
            float scalar, long bound) {
        // From a loaded vector, not FloatVector.broadcast(species, x): see Lanes (measured in training: the
        // factory's untyped result kept mul_ of a scalar out of the intrinsics, 17% of an MLP epoch).
        FloatVector q = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER).broadcast(scalar);
        long vector = (long) s.length() * Float.BYTES;
        long bytes = bound * Float.BYTES;
        long k = 0;
        switch (op) {
            case ADD -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).add(q).intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case SUB -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).sub(q).intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MUL -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).mul(q).intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case DIV -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).div(q).intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MAXIMUM -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).max(q).intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MINIMUM -> {
                for (; k < bytes; k += vector) {
                    FloatVector.fromMemorySegment(s, x, xb + k, ORDER).min(q).intoMemorySegment(o, ob + k, ORDER);
                }
            }
            default -> throw new IllegalArgumentException(op + " is not cheap arithmetic");
        }
        return bound;
    }

    /** A run as it lies: the vector loop where dense, then the scalar tail (never gathers, so never recurses). */
    private void floatRunDirect(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        long j = 0;
        if (dense(os, xs, ys) && vectorized(op)) {
            VectorSpecies<Float> s = lanes.floats();
            int step = s.length();
            long bound = s.loopBound(n);
            long xb = xo * Float.BYTES;
            long yb = yo * Float.BYTES;
            long xStep = xs * step * Float.BYTES;
            long yStep = ys * step * Float.BYTES;
            MemorySegment xm = x;
            MemorySegment ym = y;
            if (xs == 0 || ys == 0) {
                MemorySegment scratch = BroadcastScratch.current();
                FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
                if (xs == 0) {
                    zero.broadcast(x.getAtIndex(FLOAT, xo)).intoMemorySegment(scratch, 0, ORDER);
                    xm = scratch;
                    xb = 0;
                } else {
                    zero.broadcast(y.getAtIndex(FLOAT, yo)).intoMemorySegment(scratch, BroadcastScratch.SECOND, ORDER);
                    ym = scratch;
                    yb = BroadcastScratch.SECOND;
                }
            }
            if (xs == 1 && ys == 1 && j < bound && cheap(op)) {
                j = floatDenseVectors(s, op, o, oo * Float.BYTES, x, xb, y, yb, bound);
            } else if (xs == 1 && ys == 0 && j < bound && cheap(op)) {
                j = floatScalarVectors(s, op, o, oo * Float.BYTES, x, xb, y.getAtIndex(FLOAT, yo), bound);
            }
            for (long ob = oo * Float.BYTES; j < bound; j += step, ob += (long) step * Float.BYTES, xb += xStep, yb += yStep) {
                FloatVector p = FloatVector.fromMemorySegment(s, xm, xb, ORDER);
                FloatVector q = FloatVector.fromMemorySegment(s, ym, yb, ORDER);
                // The switch sits in the loop so that each branch's operator is a constant the JIT intrinsifies.
                FloatVector r = switch (op) {
                    case ADD -> p.add(q);
                    case SUB -> p.sub(q);
                    case MUL -> p.mul(q);
                    case DIV -> p.div(q);
                    // As Math.max and Math.min: NaN if either is NaN, and -0.0 below 0.0.
                    case MAXIMUM -> p.max(q);
                    case MINIMUM -> p.min(q);
                    default -> throw new IllegalArgumentException(op + " has no vector form");
                };
                r.intoMemorySegment(o, ob, ORDER);
            }
        }
        for (; j < n; j++) {
            double p = x.getAtIndex(FLOAT, xo + j * xs);
            double q = y.getAtIndex(FLOAT, yo + j * ys);
            o.setAtIndex(FLOAT, oo + j * os, (float) ElementMath.binary(op, p, q));
        }
    }

    /** A run: gathered in chunks when strided and worth it, else directly. */
    private void doubleRun(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        if (gatherable(op, os, xs, ys, n)) {
            gatheredDoubleRun(op, o, oo, os, x, xo, xs, y, yo, ys, n);
        } else {
            doubleRunDirect(op, o, oo, os, x, xo, xs, y, yo, ys, n);
        }
    }

    /** {@link #doubleDenseLoop} on a constant species where {@code s} is the JVM's (see Lanes). */
    private static long doubleDenseVectors(VectorSpecies<Double> s, BinaryOp op, MemorySegment o, long ob, MemorySegment x, long xb,
            MemorySegment y, long yb, long bound) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
        return s == chosen ? doubleDenseLoop(chosen, op, o, ob, x, xb, y, yb, bound)
                : doubleDenseLoop(s, op, o, ob, x, xb, y, yb, bound);
    }

    /** As {@link #floatDenseLoop}, for float64. */
    private static long doubleDenseLoop(VectorSpecies<Double> s, BinaryOp op, MemorySegment o, long ob, MemorySegment x, long xb,
            MemorySegment y, long yb, long bound) {
        long vector = (long) s.length() * Double.BYTES;
        long bytes = bound * Double.BYTES;
        long k = 0;
        switch (op) {
            case ADD -> {
                for (; k < bytes; k += vector) {
                    DoubleVector.fromMemorySegment(s, x, xb + k, ORDER).add(DoubleVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case SUB -> {
                for (; k < bytes; k += vector) {
                    DoubleVector.fromMemorySegment(s, x, xb + k, ORDER).sub(DoubleVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MUL -> {
                for (; k < bytes; k += vector) {
                    DoubleVector.fromMemorySegment(s, x, xb + k, ORDER).mul(DoubleVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case DIV -> {
                for (; k < bytes; k += vector) {
                    DoubleVector.fromMemorySegment(s, x, xb + k, ORDER).div(DoubleVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MAXIMUM -> {
                for (; k < bytes; k += vector) {
                    DoubleVector.fromMemorySegment(s, x, xb + k, ORDER).max(DoubleVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            case MINIMUM -> {
                for (; k < bytes; k += vector) {
                    DoubleVector.fromMemorySegment(s, x, xb + k, ORDER).min(DoubleVector.fromMemorySegment(s, y, yb + k, ORDER))
                            .intoMemorySegment(o, ob + k, ORDER);
                }
            }
            default -> throw new IllegalArgumentException(op + " is not cheap arithmetic");
        }
        return bound;
    }

    /** A run as it lies: the vector loop where dense, then the scalar tail (never gathers, so never recurses). */
    private void doubleRunDirect(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        long j = 0;
        if (dense(os, xs, ys) && vectorized(op)) {
            VectorSpecies<Double> s = lanes.doubles();
            int step = s.length();
            long bound = s.loopBound(n);
            long xb = xo * Double.BYTES;
            long yb = yo * Double.BYTES;
            long xStep = xs * step * Double.BYTES;
            long yStep = ys * step * Double.BYTES;
            MemorySegment xm = x;
            MemorySegment ym = y;
            if (xs == 0 || ys == 0) {
                MemorySegment scratch = BroadcastScratch.current();
                DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
                if (xs == 0) {
                    zero.broadcast(x.getAtIndex(DOUBLE, xo)).intoMemorySegment(scratch, 0, ORDER);
                    xm = scratch;
                    xb = 0;
                } else {
                    zero.broadcast(y.getAtIndex(DOUBLE, yo)).intoMemorySegment(scratch, BroadcastScratch.SECOND, ORDER);
                    ym = scratch;
                    yb = BroadcastScratch.SECOND;
                }
            }
            if (xs == 1 && ys == 1 && j < bound && cheap(op)) {
                j = doubleDenseVectors(s, op, o, oo * Double.BYTES, x, xb, y, yb, bound);
            }
            for (long ob = oo * Double.BYTES; j < bound; j += step, ob += (long) step * Double.BYTES, xb += xStep, yb += yStep) {
                DoubleVector p = DoubleVector.fromMemorySegment(s, xm, xb, ORDER);
                DoubleVector q = DoubleVector.fromMemorySegment(s, ym, yb, ORDER);
                DoubleVector r = switch (op) {
                    case ADD -> p.add(q);
                    case SUB -> p.sub(q);
                    case MUL -> p.mul(q);
                    case DIV -> p.div(q);
                    case MAXIMUM -> p.max(q);
                    case MINIMUM -> p.min(q);
                    default -> throw new IllegalArgumentException(op + " has no vector form");
                };
                r.intoMemorySegment(o, ob, ORDER);
            }
        }
        for (; j < n; j++) {
            double p = x.getAtIndex(DOUBLE, xo + j * xs);
            double q = y.getAtIndex(DOUBLE, yo + j * ys);
            o.setAtIndex(DOUBLE, oo + j * os, ElementMath.binary(op, p, q));
        }
    }

    /** A comparison into bool bytes, with Java's semantics: false with NaN, except NE. */
    private void floatCompareRun(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        long j = 0;
        if (dense(os, xs, ys)) {
            VectorSpecies<Float> s = lanes.floats();
            int step = s.length();
            long bound = s.loopBound(n);
            long xb = xo * Float.BYTES;
            long yb = yo * Float.BYTES;
            long xStep = xs * step * Float.BYTES;
            long yStep = ys * step * Float.BYTES;
            MemorySegment xm = x;
            MemorySegment ym = y;
            if (xs == 0 || ys == 0) {
                MemorySegment scratch = BroadcastScratch.current();
                FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
                if (xs == 0) {
                    zero.broadcast(x.getAtIndex(FLOAT, xo)).intoMemorySegment(scratch, 0, ORDER);
                    xm = scratch;
                    xb = 0;
                } else {
                    zero.broadcast(y.getAtIndex(FLOAT, yo)).intoMemorySegment(scratch, BroadcastScratch.SECOND, ORDER);
                    ym = scratch;
                    yb = BroadcastScratch.SECOND;
                }
            }
            j = floatDenseCompare(op, o, oo, xm, xb, xStep, ym, yb, yStep, bound);
        }
        for (; j < n; j++) {
            boolean r = ElementMath.compare(op, x.getAtIndex(FLOAT, xo + j * xs), y.getAtIndex(FLOAT, yo + j * ys));
            o.set(BYTE, oo + j * os, r ? (byte) 1 : (byte) 0);
        }
    }

    /**
     * The vector part of {@link #floatCompareRun}, {@code bound} elements: one loop per comparison, as
     * {@link #floatDenseLoop} has one per op. With the switch inside one loop, C2 gave up on the
     * method under lower JIT thresholds ("Bad graph detected in build_loop_late") and left it to C1, whose
     * Vector API code is about 100x slower: a CNN epoch took 69 s instead of 14. Returns {@code bound}.
     */
    private long floatDenseCompare(BinaryOp op, MemorySegment o, long oo, MemorySegment x, long xb, long xStep, MemorySegment y,
            long yb, long yStep, long bound) {
        VectorSpecies<Float> s = lanes.floats();
        int step = s.length();
        ByteVector falses = bools == null ? null : ByteVector.fromMemorySegment(bools, Lanes.ZEROS, 0, ORDER);
        ByteVector trues = falses == null ? null : falses.broadcast(1);
        long j = 0;
        switch (op) {
            case EQ -> {
                for (; j < bound; j += step, xb += xStep, yb += yStep) {
                    storeBools(FloatVector.fromMemorySegment(s, x, xb, ORDER).compare(VectorOperators.EQ,
                            FloatVector.fromMemorySegment(s, y, yb, ORDER)), falses, trues, o, oo + j);
                }
            }
            case NE -> {
                for (; j < bound; j += step, xb += xStep, yb += yStep) {
                    storeBools(FloatVector.fromMemorySegment(s, x, xb, ORDER).compare(VectorOperators.NE,
                            FloatVector.fromMemorySegment(s, y, yb, ORDER)), falses, trues, o, oo + j);
                }
            }
            case LT -> {
                for (; j < bound; j += step, xb += xStep, yb += yStep) {
                    storeBools(FloatVector.fromMemorySegment(s, x, xb, ORDER).compare(VectorOperators.LT,
                            FloatVector.fromMemorySegment(s, y, yb, ORDER)), falses, trues, o, oo + j);
                }
            }
            case LE -> {
                for (; j < bound; j += step, xb += xStep, yb += yStep) {
                    storeBools(FloatVector.fromMemorySegment(s, x, xb, ORDER).compare(VectorOperators.LE,
                            FloatVector.fromMemorySegment(s, y, yb, ORDER)), falses, trues, o, oo + j);
                }
            }
            case GT -> {
                for (; j < bound; j += step, xb += xStep, yb += yStep) {
                    storeBools(FloatVector.fromMemorySegment(s, x, xb, ORDER).compare(VectorOperators.GT,
                            FloatVector.fromMemorySegment(s, y, yb, ORDER)), falses, trues, o, oo + j);
                }
            }
            case GE -> {
                for (; j < bound; j += step, xb += xStep, yb += yStep) {
                    storeBools(FloatVector.fromMemorySegment(s, x, xb, ORDER).compare(VectorOperators.GE,
                            FloatVector.fromMemorySegment(s, y, yb, ORDER)), falses, trues, o, oo + j);
                }
            }
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        }
        return bound;
    }

    /**
     * A float comparison's lanes as bools at {@code at}: one store of a byte per lane where the byte species
     * exists ({@code falses} and {@code trues} its vectors), else the mask's bits spread out as bytes.
     */
    private static void storeBools(VectorMask<Float> r, ByteVector falses, ByteVector trues, MemorySegment o, long at) {
        if (falses == null) {
            Elements.writeMaskBits(o, at, r.toLong(), r.length());
        } else {
            // Cast to the loaded vector's species, a constant once inlined (the field's species is not: see Lanes).
            falses.blend(trues, r.cast(falses.species())).intoMemorySegment(o, at, ORDER);
        }
    }

    private void doubleCompareRun(BinaryOp op, MemorySegment o, long oo, long os, MemorySegment x, long xo, long xs,
            MemorySegment y, long yo, long ys, long n) {
        long j = 0;
        if (dense(os, xs, ys)) {
            VectorSpecies<Double> s = lanes.doubles();
            int step = s.length();
            long bound = s.loopBound(n);
            long xb = xo * Double.BYTES;
            long yb = yo * Double.BYTES;
            long xStep = xs * step * Double.BYTES;
            long yStep = ys * step * Double.BYTES;
            MemorySegment xm = x;
            MemorySegment ym = y;
            if (xs == 0 || ys == 0) {
                MemorySegment scratch = BroadcastScratch.current();
                DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
                if (xs == 0) {
                    zero.broadcast(x.getAtIndex(DOUBLE, xo)).intoMemorySegment(scratch, 0, ORDER);
                    xm = scratch;
                    xb = 0;
                } else {
                    zero.broadcast(y.getAtIndex(DOUBLE, yo)).intoMemorySegment(scratch, BroadcastScratch.SECOND, ORDER);
                    ym = scratch;
                    yb = BroadcastScratch.SECOND;
                }
            }
            for (; j < bound; j += step, xb += xStep, yb += yStep) {
                DoubleVector p = DoubleVector.fromMemorySegment(s, xm, xb, ORDER);
                DoubleVector q = DoubleVector.fromMemorySegment(s, ym, yb, ORDER);
                VectorMask<Double> r = switch (op) {
                    case EQ -> p.compare(VectorOperators.EQ, q);
                    case NE -> p.compare(VectorOperators.NE, q);
                    case LT -> p.compare(VectorOperators.LT, q);
                    case LE -> p.compare(VectorOperators.LE, q);
                    case GT -> p.compare(VectorOperators.GT, q);
                    case GE -> p.compare(VectorOperators.GE, q);
                    default -> throw new IllegalArgumentException(op + " is not a comparison");
                };
                Elements.writeMaskBits(o, oo + j, r.toLong(), step);
            }
        }
        for (; j < n; j++) {
            boolean r = ElementMath.compare(op, x.getAtIndex(DOUBLE, xo + j * xs), y.getAtIndex(DOUBLE, yo + j * ys));
            o.set(BYTE, oo + j * os, r ? (byte) 1 : (byte) 0);
        }
    }

    /** Every other case, as the reference computes it: floats in double, else integers and bool in long. */
    private static void generalRun(BinaryOp op, MemorySegment o, DType outType, long oo, long os,
            MemorySegment x, DType xt, long xo, long xs, MemorySegment y, DType yt, long yo, long ys, long n) {
        boolean floating = xt.isFloatingPoint() || yt.isFloatingPoint();
        for (long j = 0; j < n; j++) {
            long p = xo + j * xs;
            long q = yo + j * ys;
            long to = oo + j * os;
            switch (op.rule()) {
                case ARITHMETIC, FLOATING -> {
                    if (floating) {
                        Elements.writeDouble(o, outType, to,
                                ElementMath.binary(op, Elements.readDouble(x, xt, p), Elements.readDouble(y, yt, q)));
                    } else {
                        Elements.writeLong(o, outType, to,
                                ElementMath.binary(op, Elements.readLong(x, xt, p), Elements.readLong(y, yt, q)));
                    }
                }
                case COMPARISON -> Elements.writeTruth(o, outType, to, floating
                        ? ElementMath.compare(op, Elements.readDouble(x, xt, p), Elements.readDouble(y, yt, q))
                        : ElementMath.compare(op, Elements.readLong(x, xt, p), Elements.readLong(y, yt, q)));
                case LOGICAL -> Elements.writeTruth(o, outType, to,
                        ElementMath.logical(op, Elements.readTruth(x, xt, p), Elements.readTruth(y, yt, q)));
            }
        }
    }
}
