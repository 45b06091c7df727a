package ignis.backend.simd;

import static ignis.backend.simd.Elements.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 columns of a chunk of samples ({@link ConvKernels#im2col}, the samples side by side)
 * written straight into the packed panels that {@link GemmFloat#gemmPackedB} multiplies, for a
 * convolution whose output rows are as wide as its input rows with stride 1
 * ({@link ConvKernels.Geometry#sameRows()}, a 3x3 kernel with padding 1 for one). Writing the columns
 * as a matrix first and packing them after moves every column twice through memory; here each vector
 * of the panels is one masked load from the input.
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

    private static final VectorSpecies<Float> FLOATS = VectorSupport.lanes().floats();
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
        return !g.wide() && g.sameRows() && g.k() >= MIN_ROWS && Gemm.FLOATS.species().equals(FLOATS);
    }

    /** The floats {@link #fill} writes for {@code columns} columns. */
    static int size(ConvKernels.Geometry g, long columns) {
        int nr = Gemm.FLOATS.panelWidth();
        return Math.toIntExact((columns + nr - 1) / nr * nr * g.k());
    }

    /**
     * The columns of {@code samples} samples of one group, the first one's planes from {@code xOff} and
     * the next ones {@code sampleStride} elements apart, as panels of {@link GemmFloat#panelWidth()}
     * columns: row p of the panel of columns q.. at {@code q * K + p * nr}; columns past the last sample
     * are zero.
     */
    static void fill(ConvKernels.Geometry g, MemorySegment x, long xOff, long sampleStride, int samples, float[] panels) {
        int nr = Gemm.FLOATS.panelWidth();
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
        long end = (columns + nr - 1) / nr * nr;
        for (long q0 = 0; q0 < end; q0 += LANES) {
            int to = Math.toIntExact(q0 / nr * nr * k + q0 % nr);
            int first = (int) Math.min(q0 / l, samples);
            int last = (int) (Math.min(q0 + LANES, columns) - 1) / l;
            if (first >= samples) {
                for (int p = 0; p < k; p++) {
                    FloatVector.zero(FLOATS).intoArray(panels, to + p * nr);
                }
                continue;
            }
            for (int s = first; s <= last; s++) {
                long t0 = q0 - (long) s * l;
                masks(g, t0, rowBits, colBits);
                long base = xOff + s * sampleStride + t0;
                boolean blend = s > first;
                for (int r = 0; r < offsets; r++) {
                    bits[r] = rowBits[r / kw] & colBits[r % kw];
                }
                int row = to;
                for (int ci = 0; ci < g.cg(); ci++) {
                    long at = base + ci * plane;
                    for (int r = 0; r < offsets; r++, row += nr) {
                        VectorMask<Float> valid = VectorMask.fromLong(FLOATS, bits[r]);
                        FloatVector v = FloatVector.fromMemorySegment(FLOATS, x, (at + shifts[r]) * Float.BYTES, ORDER, valid);
                        if (blend) {
                            v = FloatVector.fromArray(FLOATS, panels, row).blend(v, valid);
                        }
                        v.intoArray(panels, row);
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
