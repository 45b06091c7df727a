package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched matrix product {@code out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]}; the batch dims are
 * walked as {@link InnerRuns} (stride 0 where an operand repeats), each matrix by one of three loops:
 * <ol>
 * <li>rows: where b and out are dense along j, each output row is built from vectors along j, an
 *     accumulator per vector (four at a time), one fused multiply-add of a broadcast a[i, k] per k;</li>
 * <li>dots: where a and b are dense along k (b transposed), each output element is a vector dot
 *     product along k;</li>
 * <li>otherwise scalar dot products.</li>
 * </ol>
 * Floats accumulate in their own type with fused multiply-adds (as BLAS and PyTorch do), within the
 * bound of any summation order; integers accumulate in long and wrap. Packing and threading are left
 * to a later tuning.
 */
final class MatmulKernels {

    /** Output vectors per row block of the rows loop: independent accumulators hide the FMA latency. */
    private static final int BLOCK = 4;

    private final Lanes lanes;

    MatmulKernels(Lanes lanes) {
        this.lanes = lanes;
    }

    /** One matrix of the batch: offsets and row and column strides of the three operands, and M, N, K. */
    private record Geometry(long m, long n, long k, long osi, long osj, long asi, long ask, long bsk, long bsj) {
    }

    void matmul(TensorView out, TensorView a, TensorView b) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(a);
        MemorySegment y = Elements.segment(b);
        int rank = out.rank();
        int r = rank - 2;
        int c = rank - 1;
        Geometry g = new Geometry(out.shape()[r], out.shape()[c], a.shape()[c],
                out.strides()[r], out.strides()[c], a.strides()[r], a.strides()[c], b.strides()[r], b.strides()[c]);
        InnerRuns batches = InnerRuns.over(Arrays.copyOf(out.shape(), r), new long[] {out.offset(), a.offset(), b.offset()},
                Arrays.copyOf(out.strides(), r), Arrays.copyOf(a.strides(), r), Arrays.copyOf(b.strides(), r));
        DType type = out.dtype();
        long n = batches.length();
        while (batches.next()) {
            for (long j = 0; j < n; j++) {
                long oo = batches.offset(0) + j * batches.stride(0);
                long ao = batches.offset(1) + j * batches.stride(1);
                long bo = batches.offset(2) + j * batches.stride(2);
                switch (type) {
                    case FLOAT32 -> floats(g, o, oo, x, ao, y, bo);
                    case FLOAT64 -> doubles(g, o, oo, x, ao, y, bo);
                    default -> integers(g, type, o, oo, x, ao, y, bo);
                }
            }
        }
    }

    private void floats(Geometry g, MemorySegment o, long oo, MemorySegment x, long ao, MemorySegment y, long bo) {
        VectorSpecies<Float> s = lanes.floats();
        int step = s.length();
        FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        if (g.bsj() == 1 && g.osj() == 1 && g.n() >= step) {
            for (long i = 0; i < g.m(); i++) {
                long ai = ao + i * g.asi();
                long oi = oo + i * g.osi();
                long j = 0;
                for (; j + (long) BLOCK * step <= g.n(); j += (long) BLOCK * step) {
                    FloatVector c0 = zero;
                    FloatVector c1 = zero;
                    FloatVector c2 = zero;
                    FloatVector c3 = zero;
                    for (long k = 0; k < g.k(); k++) {
                        FloatVector av = zero.broadcast(x.getAtIndex(FLOAT, ai + k * g.ask()));
                        long at = (bo + k * g.bsk() + j) * Float.BYTES;
                        c0 = FloatVector.fromMemorySegment(s, y, at, ORDER).fma(av, c0);
                        c1 = FloatVector.fromMemorySegment(s, y, at + (long) step * Float.BYTES, ORDER).fma(av, c1);
                        c2 = FloatVector.fromMemorySegment(s, y, at + 2L * step * Float.BYTES, ORDER).fma(av, c2);
                        c3 = FloatVector.fromMemorySegment(s, y, at + 3L * step * Float.BYTES, ORDER).fma(av, c3);
                    }
                    long to = (oi + j) * Float.BYTES;
                    c0.intoMemorySegment(o, to, ORDER);
                    c1.intoMemorySegment(o, to + (long) step * Float.BYTES, ORDER);
                    c2.intoMemorySegment(o, to + 2L * step * Float.BYTES, ORDER);
                    c3.intoMemorySegment(o, to + 3L * step * Float.BYTES, ORDER);
                }
                for (; j + step <= g.n(); j += step) {
                    FloatVector c0 = zero;
                    for (long k = 0; k < g.k(); k++) {
                        FloatVector av = zero.broadcast(x.getAtIndex(FLOAT, ai + k * g.ask()));
                        c0 = FloatVector.fromMemorySegment(s, y, (bo + k * g.bsk() + j) * Float.BYTES, ORDER).fma(av, c0);
                    }
                    c0.intoMemorySegment(o, (oi + j) * Float.BYTES, ORDER);
                }
                for (; j < g.n(); j++) {
                    o.setAtIndex(FLOAT, oi + j * g.osj(), floatDot(x, ai, g.ask(), y, bo + j * g.bsj(), g.bsk(), 0, g.k(), 0f));
                }
            }
            return;
        }
        if (g.ask() == 1 && g.bsk() == 1 && g.k() >= step) {
            floatDots(g, o, oo, x, ao, y, bo);
            return;
        }
        for (long i = 0; i < g.m(); i++) {
            for (long j = 0; j < g.n(); j++) {
                o.setAtIndex(FLOAT, oo + i * g.osi() + j * g.osj(),
                        floatDot(x, ao + i * g.asi(), g.ask(), y, bo + j * g.bsj(), g.bsk(), 0, g.k(), 0f));
            }
        }
    }

    /**
     * The dots loop, for a and b dense along k: four output columns at a time share each vector of a's
     * row, each with its own accumulator; the k tail is scalar.
     */
    private void floatDots(Geometry g, MemorySegment o, long oo, MemorySegment x, long ao, MemorySegment y, long bo) {
        VectorSpecies<Float> s = lanes.floats();
        int step = s.length();
        FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        long bound = s.loopBound(g.k());
        for (long i = 0; i < g.m(); i++) {
            long ai = ao + i * g.asi();
            long oi = oo + i * g.osi();
            long j = 0;
            for (; j + BLOCK <= g.n(); j += BLOCK) {
                long b0 = bo + j * g.bsj();
                long b1 = b0 + g.bsj();
                long b2 = b1 + g.bsj();
                long b3 = b2 + g.bsj();
                FloatVector c0 = zero;
                FloatVector c1 = zero;
                FloatVector c2 = zero;
                FloatVector c3 = zero;
                for (long k = 0; k < bound; k += step) {
                    FloatVector av = FloatVector.fromMemorySegment(s, x, (ai + k) * Float.BYTES, ORDER);
                    c0 = av.fma(FloatVector.fromMemorySegment(s, y, (b0 + k) * Float.BYTES, ORDER), c0);
                    c1 = av.fma(FloatVector.fromMemorySegment(s, y, (b1 + k) * Float.BYTES, ORDER), c1);
                    c2 = av.fma(FloatVector.fromMemorySegment(s, y, (b2 + k) * Float.BYTES, ORDER), c2);
                    c3 = av.fma(FloatVector.fromMemorySegment(s, y, (b3 + k) * Float.BYTES, ORDER), c3);
                }
                o.setAtIndex(FLOAT, oi + j * g.osj(), floatDot(x, ai, 1, y, b0, 1, bound, g.k(), c0.reduceLanes(VectorOperators.ADD)));
                o.setAtIndex(FLOAT, oi + (j + 1) * g.osj(), floatDot(x, ai, 1, y, b1, 1, bound, g.k(), c1.reduceLanes(VectorOperators.ADD)));
                o.setAtIndex(FLOAT, oi + (j + 2) * g.osj(), floatDot(x, ai, 1, y, b2, 1, bound, g.k(), c2.reduceLanes(VectorOperators.ADD)));
                o.setAtIndex(FLOAT, oi + (j + 3) * g.osj(), floatDot(x, ai, 1, y, b3, 1, bound, g.k(), c3.reduceLanes(VectorOperators.ADD)));
            }
            for (; j < g.n(); j++) {
                long bj = bo + j * g.bsj();
                FloatVector c0 = zero;
                for (long k = 0; k < bound; k += step) {
                    c0 = FloatVector.fromMemorySegment(s, x, (ai + k) * Float.BYTES, ORDER)
                            .fma(FloatVector.fromMemorySegment(s, y, (bj + k) * Float.BYTES, ORDER), c0);
                }
                o.setAtIndex(FLOAT, oi + j * g.osj(), floatDot(x, ai, 1, y, bj, 1, bound, g.k(), c0.reduceLanes(VectorOperators.ADD)));
            }
        }
    }

    /** {@code sum + a[from..to) . b[from..to)} with a fused multiply-add per term, in float. */
    private static float floatDot(MemorySegment x, long ai, long ask, MemorySegment y, long bj, long bsk, long from, long to, float sum) {
        for (long k = from; k < to; k++) {
            sum = Math.fma(x.getAtIndex(FLOAT, ai + k * ask), y.getAtIndex(FLOAT, bj + k * bsk), sum);
        }
        return sum;
    }

    private void doubles(Geometry g, MemorySegment o, long oo, MemorySegment x, long ao, MemorySegment y, long bo) {
        VectorSpecies<Double> s = lanes.doubles();
        int step = s.length();
        DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        if (g.bsj() == 1 && g.osj() == 1 && g.n() >= step) {
            for (long i = 0; i < g.m(); i++) {
                long ai = ao + i * g.asi();
                long oi = oo + i * g.osi();
                long j = 0;
                for (; j + (long) BLOCK * step <= g.n(); j += (long) BLOCK * step) {
                    DoubleVector c0 = zero;
                    DoubleVector c1 = zero;
                    DoubleVector c2 = zero;
                    DoubleVector c3 = zero;
                    for (long k = 0; k < g.k(); k++) {
                        DoubleVector av = zero.broadcast(x.getAtIndex(DOUBLE, ai + k * g.ask()));
                        long at = (bo + k * g.bsk() + j) * Double.BYTES;
                        c0 = DoubleVector.fromMemorySegment(s, y, at, ORDER).fma(av, c0);
                        c1 = DoubleVector.fromMemorySegment(s, y, at + (long) step * Double.BYTES, ORDER).fma(av, c1);
                        c2 = DoubleVector.fromMemorySegment(s, y, at + 2L * step * Double.BYTES, ORDER).fma(av, c2);
                        c3 = DoubleVector.fromMemorySegment(s, y, at + 3L * step * Double.BYTES, ORDER).fma(av, c3);
                    }
                    long to = (oi + j) * Double.BYTES;
                    c0.intoMemorySegment(o, to, ORDER);
                    c1.intoMemorySegment(o, to + (long) step * Double.BYTES, ORDER);
                    c2.intoMemorySegment(o, to + 2L * step * Double.BYTES, ORDER);
                    c3.intoMemorySegment(o, to + 3L * step * Double.BYTES, ORDER);
                }
                for (; j + step <= g.n(); j += step) {
                    DoubleVector c0 = zero;
                    for (long k = 0; k < g.k(); k++) {
                        DoubleVector av = zero.broadcast(x.getAtIndex(DOUBLE, ai + k * g.ask()));
                        c0 = DoubleVector.fromMemorySegment(s, y, (bo + k * g.bsk() + j) * Double.BYTES, ORDER).fma(av, c0);
                    }
                    c0.intoMemorySegment(o, (oi + j) * Double.BYTES, ORDER);
                }
                for (; j < g.n(); j++) {
                    o.setAtIndex(DOUBLE, oi + j * g.osj(), doubleDot(x, ai, g.ask(), y, bo + j * g.bsj(), g.bsk(), 0, g.k(), 0d));
                }
            }
            return;
        }
        if (g.ask() == 1 && g.bsk() == 1 && g.k() >= step) {
            doubleDots(g, o, oo, x, ao, y, bo);
            return;
        }
        for (long i = 0; i < g.m(); i++) {
            for (long j = 0; j < g.n(); j++) {
                o.setAtIndex(DOUBLE, oo + i * g.osi() + j * g.osj(),
                        doubleDot(x, ao + i * g.asi(), g.ask(), y, bo + j * g.bsj(), g.bsk(), 0, g.k(), 0d));
            }
        }
    }

    /**
     * The dots loop, for a and b dense along k: four output columns at a time share each vector of a's
     * row, each with its own accumulator; the k tail is scalar.
     */
    private void doubleDots(Geometry g, MemorySegment o, long oo, MemorySegment x, long ao, MemorySegment y, long bo) {
        VectorSpecies<Double> s = lanes.doubles();
        int step = s.length();
        DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        long bound = s.loopBound(g.k());
        for (long i = 0; i < g.m(); i++) {
            long ai = ao + i * g.asi();
            long oi = oo + i * g.osi();
            long j = 0;
            for (; j + BLOCK <= g.n(); j += BLOCK) {
                long b0 = bo + j * g.bsj();
                long b1 = b0 + g.bsj();
                long b2 = b1 + g.bsj();
                long b3 = b2 + g.bsj();
                DoubleVector c0 = zero;
                DoubleVector c1 = zero;
                DoubleVector c2 = zero;
                DoubleVector c3 = zero;
                for (long k = 0; k < bound; k += step) {
                    DoubleVector av = DoubleVector.fromMemorySegment(s, x, (ai + k) * Double.BYTES, ORDER);
                    c0 = av.fma(DoubleVector.fromMemorySegment(s, y, (b0 + k) * Double.BYTES, ORDER), c0);
                    c1 = av.fma(DoubleVector.fromMemorySegment(s, y, (b1 + k) * Double.BYTES, ORDER), c1);
                    c2 = av.fma(DoubleVector.fromMemorySegment(s, y, (b2 + k) * Double.BYTES, ORDER), c2);
                    c3 = av.fma(DoubleVector.fromMemorySegment(s, y, (b3 + k) * Double.BYTES, ORDER), c3);
                }
                o.setAtIndex(DOUBLE, oi + j * g.osj(), doubleDot(x, ai, 1, y, b0, 1, bound, g.k(), c0.reduceLanes(VectorOperators.ADD)));
                o.setAtIndex(DOUBLE, oi + (j + 1) * g.osj(), doubleDot(x, ai, 1, y, b1, 1, bound, g.k(), c1.reduceLanes(VectorOperators.ADD)));
                o.setAtIndex(DOUBLE, oi + (j + 2) * g.osj(), doubleDot(x, ai, 1, y, b2, 1, bound, g.k(), c2.reduceLanes(VectorOperators.ADD)));
                o.setAtIndex(DOUBLE, oi + (j + 3) * g.osj(), doubleDot(x, ai, 1, y, b3, 1, bound, g.k(), c3.reduceLanes(VectorOperators.ADD)));
            }
            for (; j < g.n(); j++) {
                long bj = bo + j * g.bsj();
                DoubleVector c0 = zero;
                for (long k = 0; k < bound; k += step) {
                    c0 = DoubleVector.fromMemorySegment(s, x, (ai + k) * Double.BYTES, ORDER)
                            .fma(DoubleVector.fromMemorySegment(s, y, (bj + k) * Double.BYTES, ORDER), c0);
                }
                o.setAtIndex(DOUBLE, oi + j * g.osj(), doubleDot(x, ai, 1, y, bj, 1, bound, g.k(), c0.reduceLanes(VectorOperators.ADD)));
            }
        }
    }

    private static double doubleDot(MemorySegment x, long ai, long ask, MemorySegment y, long bj, long bsk, long from, long to, double sum) {
        for (long k = from; k < to; k++) {
            sum = Math.fma(x.getAtIndex(DOUBLE, ai + k * ask), y.getAtIndex(DOUBLE, bj + k * bsk), sum);
        }
        return sum;
    }

    /** int32 and int64: products and sums in long, wrapping; the int32 store keeps the low 32 bits. */
    private static void integers(Geometry g, DType type, MemorySegment o, long oo, MemorySegment x, long ao, MemorySegment y, long bo) {
        for (long i = 0; i < g.m(); i++) {
            long ai = ao + i * g.asi();
            for (long j = 0; j < g.n(); j++) {
                long bj = bo + j * g.bsj();
                long sum = 0;
                for (long k = 0; k < g.k(); k++) {
                    sum += Elements.readLong(x, type, ai + k * g.ask()) * Elements.readLong(y, type, bj + k * g.bsk());
                }
                Elements.writeLong(o, type, oo + i * g.osi() + j * g.osj(), sum);
            }
        }
    }
}
