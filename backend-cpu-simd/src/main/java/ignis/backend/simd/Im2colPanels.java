package ignis.backend.simd;

import static ignis.backend.simd.Elements.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 columns of a chunk of samples ({@link ConvKernels#im2col}, the samples side by side)
 * written straight into the packed layout that the GEMM multiplies: as b of the forward
 * ({@link GemmFloat#gemmPacked}) or as a of the weight gradient ({@link GemmFloat#gemmPackedA}), for a
 * convolution whose output rows are as wide as its input rows with stride 1
 * ({@link ConvKernels.Geometry#sameRows()}, a 3x3 kernel with padding 1 for one). Writing the columns
 * as a matrix first and packing them after moves every column twice through memory; here each vector
 * of the packed operand is one masked load from the input.
 *
 * <p>In such a geometry, column {@code t} of a sample reads its input plane at {@code t + shift(ki, kj)}
 * for every kernel offset, a constant shift, unless the input position falls in the padding: a vector of
 * 16 columns is one load of 16 neighbouring inputs, masked by the columns whose row and column are both
 * inside the input. The masks depend on the kernel offset and on where the columns lie in the plane,
 * not on the channel: they are worked out once per vector and serve every channel. A vector whose
 * columns belong to two samples loads from each and blends.
 *
 * <p>The species is a constant, the width of {@link Gemm#FLOATS}: HotSpot compiles masked loads to
 * vector instructions only for a constant species.
 */
final class Im2colPanels {

    private static final VectorSpecies<Float> FLOATS = Gemm.FLOATS.species();
    private static final int LANES = FLOATS.length();

    private Im2colPanels() {
    }

    /**
     * The fewest column rows for which this is faster than im2col and packing: the masks of a vector are
     * worked out once for all of its rows, which costs more than it saves for a 3x3 kernel on one channel
     * (9 rows; measured 10% slower on 1 -> 32 channels, 28x28).
     */
    static final int MIN_ROWS = 32;

    /** Whether this class builds the columns of {@code g}: float32 with same rows and at least {@link #MIN_ROWS} rows. */
    static boolean handles(ConvKernels.Geometry g) {
        return !g.wide() && g.sameRows() && g.k() >= MIN_ROWS;
    }

    /**
     * The columns of {@code samples} samples of one group, the first one's planes from {@code xOff} and
     * the next ones {@code sampleStride} elements apart, column row p of the run of columns from q where
     * {@code packing} puts it (for {@link GemmFloat#gemmPacked} or {@link GemmFloat#gemmPackedA});
     * columns past the last sample (up to a whole panel or block) and padding rows are zero.
     */
    static void fill(ConvKernels.Geometry g, MemorySegment x, long xOff, long sampleStride, int samples, float[] dest,
                     GemmFloat.Packing packing) {
        int k = g.k();
        int l = g.l();
        long columns = (long) samples * l;
        int kh = g.kh();
        int kw = g.kw();
        long plane = (long) g.h() * g.w();
        long[] rowBits = new long[kh];
        long[] colBits = new long[kw];
        int offsets = kh * kw;
        long[] shifts = new long[offsets];
        long[] bits = new long[offsets];
        for (int ki = 0; ki < kh; ki++) {
            for (int kj = 0; kj < kw; kj++) {
                shifts[ki * kw + kj] = (long) (ki * g.dh() - g.ph()) * g.w() + kj * g.dw() - g.pw();
            }
        }
        int[] rows = new int[packing.rows()];
        for (int p = 0; p < rows.length; p++) {
            rows[p] = packing.row(p);
        }
        long end = packing.size(columns) / rows.length;
        for (long q0 = 0; q0 < end; q0 += LANES) {
            int to = packing.vector(q0);
            int first = (int) Math.min(q0 / l, samples);
            int last = (int) (Math.min(q0 + LANES, columns) - 1) / l;
            for (int p = first >= samples ? 0 : k; p < rows.length; p++) {
                FloatVector.zero(FLOATS).intoArray(dest, to + rows[p]);
            }
            for (int s = first; s <= last && s < samples; s++) {
                long t0 = q0 - (long) s * l;
                masks(g, t0, rowBits, colBits);
                long base = xOff + s * sampleStride + t0;
                boolean blend = s > first;
                for (int r = 0; r < offsets; r++) {
                    bits[r] = rowBits[r / kw] & colBits[r % kw];
                }
                int p = 0;
                for (int ci = 0; ci < g.cg(); ci++) {
                    long at = base + ci * plane;
                    for (int r = 0; r < offsets; r++, p++) {
                        int row = to + rows[p];
                        VectorMask<Float> valid = VectorMask.fromLong(FLOATS, bits[r]);
                        FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, (at + shifts[r]) * Float.BYTES, ORDER, valid);
                        if (blend) {
                            v = FloatVector.fromArray(FLOATS, dest, row).blend(v, valid);
                        }
                        v.intoArray(dest, row);
                    }
                }
            }
        }
    }

    /**
     * Which lanes of the vector of columns from {@code t0} of one sample ({@code t0} negative, or lanes past
     * the plane, where the vector starts or ends in a neighbour) read an input row inside the input, per
     * kernel row, and an input column inside it, per kernel column. A lane's column is {@code t0 + lane}, at
     * output row {@code (t0 + lane) / w}: each condition holds on a range of lanes, or on one range per
     * output row the vector crosses.
     */
    private static void masks(ConvKernels.Geometry g, long t0, long[] rowBits, long[] colBits) {
        int w = g.w();
        for (int ki = 0; ki < rowBits.length; ki++) {
            // output rows 0 .. OH-1 only: lanes of the neighbouring samples are never set
            rowBits[ki] = lanes((long) g.firstOy(ki) * w - t0, (long) g.endOy(ki) * w - t0);
        }
        for (int kj = 0; kj < colBits.length; kj++) {
            int ox0 = g.firstOx(kj);
            int ox1 = g.endOx(kj);
            long bits = 0;
            for (long rowStart = t0 - Math.floorMod(t0, w); rowStart < t0 + LANES; rowStart += w) {
                bits |= lanes(rowStart + ox0 - t0, rowStart + ox1 - t0);
            }
            colBits[kj] = bits;
        }
    }

    /** The bits of lanes {@code from} to {@code to - 1}, clipped to the vector. */
    private static long lanes(long from, long to) {
        int a = (int) Math.max(0, from);
        int b = (int) Math.min(LANES, to);
        return a >= b ? 0 : (-1L >>> (64 - (b - a))) << a;
    }
}
