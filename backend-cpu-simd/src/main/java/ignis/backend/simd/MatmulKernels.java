package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Batched matrix product {@code out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]}; the batch dims are
 * walked as {@link InnerRuns} (stride 0 where an operand repeats). Floats go through {@link GemmFloat} and
 * {@link GemmDouble} (packed, blocked, multi-threaded; they accumulate in their own type with fused
 * multiply-adds, as BLAS and PyTorch do): an output dense along j directly, one dense along i as the
 * transposed product {@code out^T = b^T a^T}, any other through a dense temporary. A batch whose b repeats
 * (stride 0) over rows of a and out that follow each other is one product with the batch folded into M;
 * many small matrices are split over the compute pool by batch. Integers accumulate in long and wrap.
 */
final class MatmulKernels {

    private final GemmFloat floats;
    private final GemmDouble doubles;

    MatmulKernels(Lanes lanes) {
        this.floats = lanes.floats().equals(Gemm.FLOATS.species()) ? Gemm.FLOATS : new GemmFloat(lanes.floats());
        this.doubles = lanes.doubles().equals(Gemm.DOUBLES.species()) ? Gemm.DOUBLES : new GemmDouble(lanes.doubles());
    }

    /** One matrix of the batch: row and column strides of the three operands, and M, N, K. */
    private record Geometry(int m, int n, int k, long osi, long osj, long asi, long ask, long bsk, long bsj) {
    }

    void matmul(TensorView out, TensorView a, TensorView b) {
        MemorySegment o = Elements.segment(out);
        MemorySegment x = Elements.segment(a);
        MemorySegment y = Elements.segment(b);
        int rank = out.rank();
        int r = rank - 2;
        int c = rank - 1;
        Geometry g = new Geometry(Math.toIntExact(out.shape()[r]), Math.toIntExact(out.shape()[c]), Math.toIntExact(a.shape()[c]),
                out.strides()[r], out.strides()[c], a.strides()[r], a.strides()[c], b.strides()[r], b.strides()[c]);
        InnerRuns batches = InnerRuns.over(Arrays.copyOf(out.shape(), r), new long[] {out.offset(), a.offset(), b.offset()},
                Arrays.copyOf(out.strides(), r), Arrays.copyOf(a.strides(), r), Arrays.copyOf(b.strides(), r));
        DType type = out.dtype();
        long length = batches.length();
        if (type != DType.FLOAT32 && type != DType.FLOAT64) {
            while (batches.next()) {
                for (long j = 0; j < length; j++) {
                    integers(g, type, o, batches.offset(0) + j * batches.stride(0), x, batches.offset(1) + j * batches.stride(1),
                            y, batches.offset(2) + j * batches.stride(2));
                }
            }
            return;
        }
        if (batches.runs() == 1 && length > 1 && batches.stride(2) == 0 && g.osj() == 1
                && batches.stride(0) == g.m() * g.osi() && batches.stride(1) == g.m() * g.asi() && g.m() * length <= Integer.MAX_VALUE) {
            // b repeats and the rows of a and out run on from one matrix to the next: one product of m * length rows.
            batches.next();
            Geometry folded = new Geometry((int) (g.m() * length), g.n(), g.k(), g.osi(), g.osj(), g.asi(), g.ask(), g.bsk(), g.bsj());
            product(type, folded, o, batches.offset(0), x, batches.offset(1), y, batches.offset(2));
            return;
        }
        long count = batches.runs() * length;
        long[] offsets = new long[(int) (3 * count)];
        int at = 0;
        while (batches.next()) {
            for (long j = 0; j < length; j++) {
                for (int operand = 0; operand < 3; operand++) {
                    offsets[at++] = batches.offset(operand) + j * batches.stride(operand);
                }
            }
        }
        long work = (long) g.m() * g.n() * g.k();
        if (count > 1 && work < GemmFloat.PARALLEL_WORK) {
            // Small matrices: whole matrices per thread (the products inside run on their part's thread).
            ComputePool.forRange(count, Math.max(1, GemmFloat.PARALLEL_WORK / Math.max(1, work)), (from, to) -> {
                for (long t = from; t < to; t++) {
                    int base = (int) (3 * t);
                    product(type, g, o, offsets[base], x, offsets[base + 1], y, offsets[base + 2]);
                }
            });
            return;
        }
        for (int t = 0; t < count; t++) {
            product(type, g, o, offsets[3 * t], x, offsets[3 * t + 1], y, offsets[3 * t + 2]);
        }
    }

    /** One float product {@code out = a @ b} at these element offsets. */
    private void product(DType type, Geometry g, MemorySegment o, long oo, MemorySegment x, long ao, MemorySegment y, long bo) {
        int m = g.m();
        int n = g.n();
        if (g.osj() == 1 || n == 1) {
            gemm(type, m, n, g.k(), x, ao, g.asi(), g.ask(), y, bo, g.bsk(), g.bsj(), o, oo, g.osi());
        } else if (g.osi() == 1 || m == 1) {
            // out dense along i: out^T = b^T a^T, with out^T's rows j at stride osj.
            gemm(type, n, m, g.k(), y, bo, g.bsj(), g.bsk(), x, ao, g.ask(), g.asi(), o, oo, g.osj());
        } else {
            boolean single = type == DType.FLOAT32;
            // Native, as every other c the GEMM kernels see: a second kind of segment would cost them a recompilation.
            MemorySegment t = Arena.ofAuto().allocate((long) m * n * type.byteSize(), 64);
            gemm(type, m, n, g.k(), x, ao, g.asi(), g.ask(), y, bo, g.bsk(), g.bsj(), t, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    long to = oo + i * g.osi() + j * g.osj();
                    if (single) {
                        o.setAtIndex(FLOAT, to, t.getAtIndex(FLOAT, (long) i * n + j));
                    } else {
                        o.setAtIndex(DOUBLE, to, t.getAtIndex(DOUBLE, (long) i * n + j));
                    }
                }
            }
        }
    }

    private void gemm(DType type, int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs,
            long bcs, MemorySegment c, long cOff, long ldc) {
        if (type == DType.FLOAT32) {
            floats.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, false);
        } else {
            doubles.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, false);
        }
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
