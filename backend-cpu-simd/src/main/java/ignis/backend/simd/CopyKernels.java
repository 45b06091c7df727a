package ignis.backend.simd;

import static ignis.backend.simd.Elements.BYTE;
import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.INT;
import static ignis.backend.simd.Elements.LONG;
import static ignis.backend.simd.Elements.ORDER;
import static ignis.backend.simd.Elements.SHORT;

import ignis.tensor.DType;
import ignis.tensor.spi.HostCopy;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * copy and fill. A copy within one dtype moves bits (NaN payloads survive): dense runs as one bulk
 * {@link MemorySegment#copy}, a broadcast source as a fill, a source that jumps between the elements
 * of dense destination runs (a transpose) in tiles ({@link #gatherInTiles}), others element by element. A converting
 * copy reads floats as double and integers and bool as long, and converts on the way out as
 * {@link Elements} specifies; float32 and float64 between each other, int32 and int64 between each
 * other, and bool to float32 have typed loops. This is the only kernel that sees float16 and bfloat16.
 * Large walks are split among the compute pool's threads ({@link Parallel}).
 */
final class CopyKernels {

    /** Spans per tile of {@link #gatherInTiles}, and elements of each. */
    private static final int TILE = Transpose16.SIZE;
    /** Spans whose tiles {@link #gatherInTiles} walks together, column of tiles by column. */
    private static final int GROUP = 16 * TILE;
    /** Whether the CPU has the 512-bit vectors that {@link Transpose16} computes in. */
    private static final boolean TRANSPOSE_IN_REGISTERS = Transpose16.fits(FloatVector.SPECIES_PREFERRED);
    private static final ThreadLocal<float[]> TRANSPOSED_TILE = ThreadLocal.withInitial(() -> new float[TILE * TILE]);

    private CopyKernels() {
    }

    static void copy(TensorView dst, TensorView src) {
        MemorySegment d = Elements.segment(dst);
        MemorySegment s = Elements.segment(src);
        InnerRuns runs = InnerRuns.over(dst.shape(), dst, src);
        DType to = dst.dtype();
        DType from = src.dtype();
        long ds = runs.stride(0);
        long ss = runs.stride(1);
        // Bulk moves, fills and the typed conversions of dense runs cost a cycle an element or less.
        boolean cheap = ds == 1 && (ss == 1 || ss == 0 && to == from);
        boolean gathering = to == from && ds == 1 && Math.abs(ss) > 1;
        Parallel.spans(runs, cheap ? Parallel.CHEAP_GRAIN : Parallel.COSTLY_GRAIN, r -> {
            if (gathering) {
                gatherInTiles(d, s, ss, to.byteSize(), r);
                return;
            }
            while (r.nextSpan()) {
                if (to == from) {
                    sameType(d, r.spanOffset(0), ds, s, r.spanOffset(1), ss, to, r.spanLength());
                } else {
                    converting(d, to, r.spanOffset(0), ds, s, from, r.spanOffset(1), ss, r.spanLength());
                }
            }
        });
    }

    /**
     * Dense destination runs from a source that jumps {@code ss} elements between them (a transposed
     * tensor made contiguous, say), in tiles of TILE spans by TILE elements of each: where the spans start
     * next to each other in the source (a transpose), a tile reads TILE cache lines and uses TILE elements
     * of each (all of a line of float32), instead of one element of a new line (and often a new page) per
     * element. The tiles of up to GROUP spans go column of tiles by column, so that the source lines and
     * pages of one column serve all of them; 4-byte tiles of a transpose go through registers
     * ({@link #transposedTile}).
     */
    private static void gatherInTiles(MemorySegment d, MemorySegment s, long ss, int size, InnerRuns r) {
        long[] dOff = new long[GROUP];
        long[] sOff = new long[GROUP];
        long[] length = new long[GROUP];
        boolean more = true;
        while (more) {
            int spans = 0;
            long longest = 0;
            while (spans < GROUP && (more = r.nextSpan())) {
                dOff[spans] = r.spanOffset(0);
                sOff[spans] = r.spanOffset(1);
                length[spans] = r.spanLength();
                longest = Math.max(longest, length[spans]);
                spans++;
            }
            for (long j0 = 0; j0 < longest; j0 += TILE) {
                for (int g = 0; g < spans; g += TILE) {
                    int end = Math.min(spans, g + TILE);
                    if (size == Float.BYTES && registerTile(g, end, j0, sOff, length)) {
                        transposedTile(d, dOff, g, j0, s, sOff[g] + j0 * ss, ss);
                        continue;
                    }
                    for (int b = g; b < end; b++) {
                        stridedBits(d, dOff[b] + j0, 1, s, sOff[b] + j0 * ss, ss, size, Math.min(TILE, length[b] - j0));
                    }
                }
            }
        }
    }

    /** Whether spans {@code g..end} are TILE spans that start at consecutive source elements, in order, and all reach past {@code j0 + TILE}. */
    private static boolean registerTile(int g, int end, long j0, long[] sOff, long[] length) {
        if (!TRANSPOSE_IN_REGISTERS || end - g != TILE) {
            return false;
        }
        for (int b = g; b < end; b++) {
            if (sOff[b] != sOff[g] + (b - g) || length[b] < j0 + TILE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Elements {@code j0..j0+16} of the 16 spans from {@code g}, whose source rows start at {@code from}
     * and jump {@code ss}: {@link Transpose16} into a small array, then each of its rows to its span's
     * destination. Bits move unchanged (the transpose only permutes lanes).
     */
    private static void transposedTile(MemorySegment d, long[] dOff, int g, long j0, MemorySegment s, long from, long ss) {
        float[] tile = TRANSPOSED_TILE.get();
        Transpose16.block(s, from, ss, tile, 0, 8 * TILE, TILE);
        for (int b = 0; b < TILE; b++) {
            FloatVector.fromArray(Transpose16.S, tile, b * TILE).intoMemorySegment(d, (dOff[g + b] + j0) * Float.BYTES, ORDER);
        }
    }

    private static void sameType(MemorySegment d, long dOff, long ds, MemorySegment s, long sOff, long ss, DType type, long n) {
        int size = type.byteSize();
        if (ds == 1 && ss == 1) {
            HostCopy.copy(s, sOff * size, d, dOff * size, n * size);
        } else if (ss == 0) {
            fillRun(d, type, dOff, ds, n, Elements.readBits(s, type, sOff));
        } else {
            stridedBits(d, dOff, ds, s, sOff, ss, size, n);
        }
    }

    /** A strided copy of n elements of {@code size} bytes, bit for bit, with one loop per element size. */
    private static void stridedBits(MemorySegment d, long dOff, long ds, MemorySegment s, long sOff, long ss, int size, long n) {
        switch (size) {
            case 1 -> {
                for (long j = 0; j < n; j++) {
                    d.set(BYTE, dOff + j * ds, s.get(BYTE, sOff + j * ss));
                }
            }
            case 2 -> {
                for (long j = 0; j < n; j++) {
                    d.setAtIndex(SHORT, dOff + j * ds, s.getAtIndex(SHORT, sOff + j * ss));
                }
            }
            case 4 -> {
                for (long j = 0; j < n; j++) {
                    d.setAtIndex(INT, dOff + j * ds, s.getAtIndex(INT, sOff + j * ss));
                }
            }
            default -> {
                for (long j = 0; j < n; j++) {
                    d.setAtIndex(LONG, dOff + j * ds, s.getAtIndex(LONG, sOff + j * ss));
                }
            }
        }
    }

    private static void converting(MemorySegment d, DType to, long dOff, long ds, MemorySegment s, DType from,
            long sOff, long ss, long n) {
        if (ds == 1 && ss == 1 && denseConverting(d, to, dOff, s, from, sOff, n)) {
            return;
        }
        if (from == DType.FLOAT32 && to == DType.FLOAT64) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(DOUBLE, dOff + j * ds, s.getAtIndex(FLOAT, sOff + j * ss));
            }
        } else if (from == DType.FLOAT64 && to == DType.FLOAT32) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(FLOAT, dOff + j * ds, (float) s.getAtIndex(DOUBLE, sOff + j * ss));
            }
        } else if (from == DType.INT32 && to == DType.INT64) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(LONG, dOff + j * ds, s.getAtIndex(INT, sOff + j * ss));
            }
        } else if (from == DType.INT64 && to == DType.INT32) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(INT, dOff + j * ds, (int) s.getAtIndex(LONG, sOff + j * ss));
            }
        } else if (from.isFloatingPoint()) {
            for (long j = 0; j < n; j++) {
                Elements.writeDouble(d, to, dOff + j * ds, Elements.readDouble(s, from, sOff + j * ss));
            }
        } else {
            // Integers and bool through long, which holds every int64 exactly.
            for (long j = 0; j < n; j++) {
                Elements.writeLong(d, to, dOff + j * ds, Elements.readLong(s, from, sOff + j * ss));
            }
        }
    }

    /**
     * The typed conversions of dense runs, with the unit strides known to HotSpot (about 3x faster than
     * the same loop with strides that happen to be 1); false for the other pairs of dtypes.
     */
    private static boolean denseConverting(MemorySegment d, DType to, long dOff, MemorySegment s, DType from, long sOff, long n) {
        if (from == DType.FLOAT32 && to == DType.FLOAT64) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(DOUBLE, dOff + j, s.getAtIndex(FLOAT, sOff + j));
            }
        } else if (from == DType.FLOAT64 && to == DType.FLOAT32) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(FLOAT, dOff + j, (float) s.getAtIndex(DOUBLE, sOff + j));
            }
        } else if (from == DType.INT32 && to == DType.INT64) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(LONG, dOff + j, s.getAtIndex(INT, sOff + j));
            }
        } else if (from == DType.INT64 && to == DType.INT32) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(INT, dOff + j, (int) s.getAtIndex(LONG, sOff + j));
            }
        } else if (from == DType.BOOL && to == DType.FLOAT32) {
            for (long j = 0; j < n; j++) {
                d.setAtIndex(FLOAT, dOff + j, s.get(BYTE, sOff + j) != 0 ? 1f : 0f);
            }
        } else {
            return false;
        }
        return true;
    }

    /** Writes the low bytes of {@code bits} into every element of {@code out}, whatever its dtype. */
    static void fill(TensorView out, long bits) {
        MemorySegment m = Elements.segment(out);
        InnerRuns runs = InnerRuns.over(out.shape(), out);
        long stride = runs.stride(0);
        Parallel.spans(runs, stride == 1 ? Parallel.CHEAP_GRAIN : Parallel.COSTLY_GRAIN, r -> {
            while (r.nextSpan()) {
                fillRun(m, out.dtype(), r.spanOffset(0), stride, r.spanLength(), bits);
            }
        });
    }

    /**
     * One run of a fill: a dense run by doubling bulk copies of its start (each at most a {@link HostCopy} piece), a
     * strided one element by element.
     */
    static void fillRun(MemorySegment m, DType type, long offset, long stride, long n, long bits) {
        if (stride != 1) {
            for (long j = 0; j < n; j++) {
                Elements.writeBits(m, type, offset + j * stride, bits);
            }
            return;
        }
        int size = type.byteSize();
        Elements.writeBits(m, type, offset, bits);
        long start = offset * size;
        long filled = 1;
        while (filled < n) {
            long chunk = Math.min(Math.min(filled, n - filled), HostCopy.PIECE_BYTES / size);
            MemorySegment.copy(m, start, m, start + filled * size, chunk * size);
            filled += chunk;
        }
    }
}
