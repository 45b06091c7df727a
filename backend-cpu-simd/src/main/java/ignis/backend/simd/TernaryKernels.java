package ignis.backend.simd;

import static ignis.backend.simd.Elements.BYTE;
import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise functions of three operands: WHERE ({@code a ? b : c}, moving the chosen element bit for
 * bit, so any dtype works) and CLAMP ({@code min(max(a, b), c)}, NaN if any operand is NaN).
 *
 * <p>Vectorized: WHERE with a bool condition and float32 or float64 branches (ReLU's backward,
 * {@code where(y > 0, g, 0)}) on runs whose output and condition have stride 1 and whose branches
 * have stride 1 or 0 (a broadcast scalar, copied bit for bit into {@link BroadcastScratch} and
 * reloaded from there). The condition's bytes are loaded as a byte vector with the float lane count and
 * compared with zero (so any non-zero byte is true, as in the scalar code); the mask, cast to the
 * float species (for float64: its bits, as the masks of two double vectors), blends the branches, so a
 * lane moves its chosen element's bits unchanged (NaN payloads, -0.0). A byte species of the float
 * lane count exists from 8 lanes (64 bits) on: 256- and 512-bit vectors. With 128-bit vectors, in the
 * tails, and for every other layout or dtype the scalar loops run. Large walks are split among the
 * compute pool's threads ({@link Parallel}).
 */
final class TernaryKernels {

    private final Lanes lanes;
    /** Bytes with the float lane count, or null where no such species exists (fewer than 8 lanes: 128-bit vectors). */
    private final VectorSpecies<Byte> bools;

    TernaryKernels(Lanes lanes) {
        this.lanes = lanes;
        this.bools = lanes.boolsOfFloats();
    }

    void apply(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        InnerRuns runs = InnerRuns.inMemoryOrder(out.shape(), out, a, b, c);
        DType floatBranches = floatBranches(op, out, a, b, c);
        Parallel.spans(runs, floatBranches != null ? Parallel.CHEAP_GRAIN : Parallel.COSTLY_GRAIN, r -> {
            while (r.nextSpan()) {
                span(op, floatBranches, out, a, b, c, r.spanOffset(0), runs.stride(0), r.spanOffset(1), runs.stride(1),
                        r.spanOffset(2), runs.stride(2), r.spanOffset(3), runs.stride(3), r.spanLength());
            }
        });
    }

    /**
     * FLOAT32 or FLOAT64 for a WHERE with a bool condition whose branches and output all have that dtype
     * (the typed, vectorized case: ReLU's backward), else null.
     */
    private static DType floatBranches(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        DType type = out.dtype();
        boolean typed = op == TernaryOp.WHERE && a.dtype() == DType.BOOL && b.dtype() == type && c.dtype() == type;
        return typed && (type == DType.FLOAT32 || type == DType.FLOAT64) ? type : null;
    }

    /** One span of {@link #apply}: n elements, operand i from offset i with stride i; {@code floatBranches} as {@link #floatBranches}. */
    private void span(TernaryOp op, DType floatBranches, TensorView out, TensorView a, TensorView b, TensorView c, long oo, long os,
                      long xo, long xs, long yo, long ys, long zo, long zs, long n) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(a);
        MemorySegment y = Elements.segment(b);
        MemorySegment z = Elements.segment(c);
        DType type = out.dtype();
        boolean sameTypes = a.dtype() == type && b.dtype() == type && c.dtype() == type;
        if (op == TernaryOp.WHERE) {
            DType cond = a.dtype();
            if (floatBranches == DType.FLOAT32) {
                // The common case (ReLU's backward: where(x > 0, g, 0)), without a dtype switch per element.
                long j = vectorizable(bools, os, xs, ys, zs) ? floatWhere(o, oo, x, xo, y, yo, ys, z, zo, zs, n) : 0;
                for (; j < n; j++) {
                    o.setAtIndex(FLOAT, oo + j * os, x.get(BYTE, xo + j * xs) != 0
                            ? y.getAtIndex(FLOAT, yo + j * ys) : z.getAtIndex(FLOAT, zo + j * zs));
                }
                return;
            }
            if (floatBranches == DType.FLOAT64) {
                long j = vectorizable(bools, os, xs, ys, zs) ? doubleWhere(o, oo, x, xo, y, yo, ys, z, zo, zs, n) : 0;
                for (; j < n; j++) {
                    o.setAtIndex(DOUBLE, oo + j * os, x.get(BYTE, xo + j * xs) != 0
                            ? y.getAtIndex(DOUBLE, yo + j * ys) : z.getAtIndex(DOUBLE, zo + j * zs));
                }
                return;
            }
            for (long j = 0; j < n; j++) {
                long bits = Elements.readTruth(x, cond, xo + j * xs)
                        ? Elements.readBits(y, b.dtype(), yo + j * ys)
                        : Elements.readBits(z, c.dtype(), zo + j * zs);
                Elements.writeBits(o, type, oo + j * os, bits);
            }
            return;
        }
        switch (sameTypes ? type : DType.BOOL) {
            case FLOAT32 -> {
                for (long j = 0; j < n; j++) {
                    float v = Math.min(Math.max(x.getAtIndex(FLOAT, xo + j * xs), y.getAtIndex(FLOAT, yo + j * ys)),
                            z.getAtIndex(FLOAT, zo + j * zs));
                    o.setAtIndex(FLOAT, oo + j * os, v);
                }
            }
            case FLOAT64 -> {
                for (long j = 0; j < n; j++) {
                    double v = Math.min(Math.max(x.getAtIndex(DOUBLE, xo + j * xs), y.getAtIndex(DOUBLE, yo + j * ys)),
                            z.getAtIndex(DOUBLE, zo + j * zs));
                    o.setAtIndex(DOUBLE, oo + j * os, v);
                }
            }
            case INT32 -> {
                for (long j = 0; j < n; j++) {
                    int v = Math.min(Math.max(x.getAtIndex(INT, xo + j * xs), y.getAtIndex(INT, yo + j * ys)),
                            z.getAtIndex(INT, zo + j * zs));
                    o.setAtIndex(INT, oo + j * os, v);
                }
            }
            case INT64 -> {
                for (long j = 0; j < n; j++) {
                    long v = Math.min(Math.max(x.getAtIndex(LONG, xo + j * xs), y.getAtIndex(LONG, yo + j * ys)),
                            z.getAtIndex(LONG, zo + j * zs));
                    o.setAtIndex(LONG, oo + j * os, v);
                }
            }
            default -> {
                // Mixed dtypes: in double if any operand is floating, else in long, converted on the way out.
                boolean floating = a.dtype().isFloatingPoint();
                for (long j = 0; j < n; j++) {
                    long p = xo + j * xs;
                    long q = yo + j * ys;
                    long r = zo + j * zs;
                    if (floating) {
                        Elements.writeDouble(o, type, oo + j * os, Math.min(Math.max(Elements.readDouble(x, a.dtype(), p),
                                Elements.readDouble(y, b.dtype(), q)), Elements.readDouble(z, c.dtype(), r)));
                    } else {
                        Elements.writeLong(o, type, oo + j * os, Math.min(Math.max(Elements.readLong(x, a.dtype(), p),
                                Elements.readLong(y, b.dtype(), q)), Elements.readLong(z, c.dtype(), r)));
                    }
                }
            }
        }
    }

    /** Whether a WHERE run can take the vector path: a byte species, dense output and condition, dense or broadcast branches. */
    private static boolean vectorizable(VectorSpecies<Byte> bools, long os, long xs, long ys, long zs) {
        return bools != null && os == 1 && xs == 1 && (ys == 1 || ys == 0) && (zs == 1 || zs == 0);
    }

    /**
     * WHERE over the longest prefix of a run that is a multiple of the float lane count, with vectors;
     * returns how many elements it took. A broadcast branch is read from this thread's scratch vector,
     * which holds its element's bits in every lane.
     */
    private long floatWhere(MemorySegment o, long oo, MemorySegment x, long xo, MemorySegment y, long yo, long ys,
            MemorySegment z, long zo, long zs, long n) {
        VectorSpecies<Float> s = lanes.floats();
        VectorSpecies<Byte> bs = bools;
        int step = s.length();
        long bound = s.loopBound(n);
        if (bound == 0) {
            return 0;
        }
        MemorySegment ym = BroadcastScratch.source(y, yo, ys, Float.BYTES, step, BroadcastScratch.FIRST);
        MemorySegment zm = BroadcastScratch.source(z, zo, zs, Float.BYTES, step, BroadcastScratch.SECOND);
        long yb = BroadcastScratch.offset(yo, ys, Float.BYTES, BroadcastScratch.FIRST);
        long zb = BroadcastScratch.offset(zo, zs, Float.BYTES, BroadcastScratch.SECOND);
        long yStep = ys * step * Float.BYTES;
        long zStep = zs * step * Float.BYTES;
        ByteVector zeros = ByteVector.fromMemorySegment(bs, Lanes.ZEROS, 0, ORDER);
        long ob = oo * Float.BYTES;
        for (long j = 0; j < bound; j += step, ob += (long) step * Float.BYTES, yb += yStep, zb += zStep) {
            FloatVector no = FloatVector.fromMemorySegment(s, zm, zb, ORDER);
            // Cast to the loaded vector's species, a constant once inlined (the field's species is not: see Lanes).
            VectorMask<Float> chosen = ByteVector.fromMemorySegment(bs, x, xo + j, ORDER).compare(VectorOperators.NE, zeros)
                    .cast(no.species());
            no.blend(FloatVector.fromMemorySegment(s, ym, yb, ORDER), chosen).intoMemorySegment(o, ob, ORDER);
        }
        return bound;
    }

    /**
     * {@link #floatWhere} for float64, in steps of the float lane count: one load of the condition (with
     * the float path's byte species, so that the JVM sees one byte vector shape) gives the masks of two
     * double vectors, through the mask's bits.
     */
    private long doubleWhere(MemorySegment o, long oo, MemorySegment x, long xo, MemorySegment y, long yo, long ys,
            MemorySegment z, long zo, long zs, long n) {
        VectorSpecies<Double> s = lanes.doubles();
        VectorSpecies<Byte> bs = bools;
        int half = s.length();
        int step = bs.length();
        long bound = bs.loopBound(n);
        if (bound == 0) {
            return 0;
        }
        MemorySegment ym = BroadcastScratch.source(y, yo, ys, Double.BYTES, half, BroadcastScratch.FIRST);
        MemorySegment zm = BroadcastScratch.source(z, zo, zs, Double.BYTES, half, BroadcastScratch.SECOND);
        long yb = BroadcastScratch.offset(yo, ys, Double.BYTES, BroadcastScratch.FIRST);
        long zb = BroadcastScratch.offset(zo, zs, Double.BYTES, BroadcastScratch.SECOND);
        long yHalf = ys * half * Double.BYTES;
        long zHalf = zs * half * Double.BYTES;
        ByteVector zeros = ByteVector.fromMemorySegment(bs, Lanes.ZEROS, 0, ORDER);
        long ob = oo * Double.BYTES;
        for (long j = 0; j < bound; j += step, ob += (long) step * Double.BYTES, yb += 2 * yHalf, zb += 2 * zHalf) {
            long chosen = ByteVector.fromMemorySegment(bs, x, xo + j, ORDER).compare(VectorOperators.NE, zeros).toLong();
            DoubleVector no = DoubleVector.fromMemorySegment(s, zm, zb, ORDER);
            // Masks of the loaded vector's species, a constant once inlined (the field's species is not: see Lanes).
            no.blend(DoubleVector.fromMemorySegment(s, ym, yb, ORDER), VectorMask.fromLong(no.species(), chosen))
                    .intoMemorySegment(o, ob, ORDER);
            DoubleVector no1 = DoubleVector.fromMemorySegment(s, zm, zb + zHalf, ORDER);
            no1.blend(DoubleVector.fromMemorySegment(s, ym, yb + yHalf, ORDER), VectorMask.fromLong(no1.species(), chosen >>> half))
                    .intoMemorySegment(o, ob + (long) half * Double.BYTES, ORDER);
        }
        return bound;
    }
}
