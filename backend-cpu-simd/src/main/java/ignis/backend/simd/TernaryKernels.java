package ignis.backend.simd;

import static ignis.backend.simd.Elements.BYTE;
import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import java.lang.foreign.MemorySegment;

/**
 * Elementwise functions of three operands, scalar: WHERE ({@code a ? b : c}, moving the chosen element
 * bit for bit, so any dtype works) and CLAMP ({@code min(max(a, b), c)}, NaN if any operand is NaN).
 */
final class TernaryKernels {

    private TernaryKernels() {
    }

    static void apply(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(a);
        MemorySegment y = Elements.segment(b);
        MemorySegment z = Elements.segment(c);
        InnerRuns runs = InnerRuns.over(out.shape(), out, a, b, c);
        long n = runs.length();
        long os = runs.stride(0);
        long xs = runs.stride(1);
        long ys = runs.stride(2);
        long zs = runs.stride(3);
        DType type = out.dtype();
        boolean sameTypes = a.dtype() == type && b.dtype() == type && c.dtype() == type;
        while (runs.next()) {
            long oo = runs.offset(0);
            long xo = runs.offset(1);
            long yo = runs.offset(2);
            long zo = runs.offset(3);
            if (op == TernaryOp.WHERE) {
                DType cond = a.dtype();
                if (cond == DType.BOOL && sameBranchTypes(type, b, c, DType.FLOAT32)) {
                    // The common case (ReLU's backward: where(x > 0, g, 0)), without a dtype switch per element.
                    for (long j = 0; j < n; j++) {
                        o.setAtIndex(FLOAT, oo + j * os, x.get(BYTE, xo + j * xs) != 0
                                ? y.getAtIndex(FLOAT, yo + j * ys) : z.getAtIndex(FLOAT, zo + j * zs));
                    }
                    continue;
                }
                if (cond == DType.BOOL && sameBranchTypes(type, b, c, DType.FLOAT64)) {
                    for (long j = 0; j < n; j++) {
                        o.setAtIndex(DOUBLE, oo + j * os, x.get(BYTE, xo + j * xs) != 0
                                ? y.getAtIndex(DOUBLE, yo + j * ys) : z.getAtIndex(DOUBLE, zo + j * zs));
                    }
                    continue;
                }
                for (long j = 0; j < n; j++) {
                    long bits = Elements.readTruth(x, cond, xo + j * xs)
                            ? Elements.readBits(y, b.dtype(), yo + j * ys)
                            : Elements.readBits(z, c.dtype(), zo + j * zs);
                    Elements.writeBits(o, type, oo + j * os, bits);
                }
                continue;
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
    }

    private static boolean sameBranchTypes(DType out, TensorView b, TensorView c, DType type) {
        return out == type && b.dtype() == type && c.dtype() == type;
    }
}
