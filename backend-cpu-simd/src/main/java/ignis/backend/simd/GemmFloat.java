package ignis.backend.simd;

import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.ComputePool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 GEMM of {@link Gemm} for one vector species, after Goto and van de Geijn ("Anatomy of
 * high-performance matrix multiplication", the loops of BLIS):
 * <pre>
 * for jc over n by NC:                       columns of c and b
 *   for pb over k by KB:                     pack b[pb.., jc..] into panels of nr = NV * lanes columns
 *     for ic over m by MC:                   rows of c
 *       for pc over the KB rows by KC:       pack a[ic.., pb + pc..] into panels of MR rows
 *         for jr over the b panels, ir over the a panels:
 *           micro-kernel: an MR x nr tile of c in MR * NV vector registers, one fused multiply-add of a
 *           broadcast a[i, p] and a vector of b[p, j..] per register and p; then added to c (or stored)
 * </pre>
 * Looping over the depth inside the rows keeps an MC x NC block of c in the L2 cache while up to KB / KC
 * products add to it (with pc outside ic, c came back from memory each time: 1024^3 at 85-88 GFLOP/s
 * at 1 thread, now 91-96).
 * Packing absorbs every layout of a and b (transposed, strided): rows or columns that are dense are
 * copied in bulk, the rest element by element; panels at the edges of m and n are padded with zeros
 * and their tiles go through a whole tile of scratch memory, so any m, n, k works. The packing buffers are per
 * thread and kept, so that repeated products (a training loop) allocate nothing. Threads: a product of
 * at least {@link #PARALLEL_WORK} multiply-adds is split over the {@link ComputePool} by columns (each
 * part packs all of a) or by rows (each part packs all of b), whichever duplicates the smaller operand;
 * each part runs the loops above on its own block of c, so the sums are the same for any thread count.
 * Instances are stateless apart from the per-thread buffers and serve any number of threads.
 */
final class GemmFloat {

    /** Rows of the micro-tile. */
    static final int MR = 8;
    /** Columns of a packed panel of a that lie together: element (r, p) of a panel at {@code (p / CH) * CH * MR + r * CH + p % CH}. */
    static final int CH = 16;
    /** Vectors per row of the micro-tile: the tile is MR x (NV * lanes). */
    static final int NV = 2;
    /** Depth of a packed block (the p extent of each product of panels). */
    static final int KC = 256;
    /** Rows of a packed block of a. */
    static final int MC = 96;
    /** Columns of a packed block of b. */
    static final int NC = 512;
    /** Depth of a packed block of b: its panels hold up to this many rows, so that c is read and written once per KB of depth. */
    static final int KB = 2048;
    /** A product with both factors dense along the sum and at most this many rows is computed as dot products ({@link #dots}). */
    static final int DOT_ROWS = 16;
    /** Columns of c per pass of {@link #dots}: the lane sums of its DOT_ROWS x DOT_COLUMNS entries stay in the L1 cache. */
    static final int DOT_COLUMNS = 32;
    /** Below this many multiply-adds a product stays on the caller's thread. */
    static final long PARALLEL_WORK = 1L << 18;

    private final VectorSpecies<Float> species;
    private final int lanes;
    private final int nr;
    /** A whole tile for the kernel to work on where c has fewer rows or columns; native, as c is, so that the kernel sees one kind of segment. */
    private final ThreadLocal<MemorySegment> edge;
    private final ThreadLocal<float[]> packedA;
    private final ThreadLocal<float[]> packedB;
    private final ThreadLocal<float[]> scratch;
    private final ThreadLocal<float[]> laneSums;

    GemmFloat(VectorSpecies<Float> species) {
        this.species = species;
        this.lanes = species.length();
        this.nr = NV * lanes;
        this.edge = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate((long) MR * nr * Float.BYTES, 64));
        this.packedA = ThreadLocal.withInitial(() -> new float[roundUp(MC, MR) * roundUp(KC, CH)]);
        this.packedB = ThreadLocal.withInitial(() -> new float[0]);
        this.scratch = ThreadLocal.withInitial(() -> new float[KB]);
        this.laneSums = ThreadLocal.withInitial(() -> new float[0]);
    }

    /** The vector species this instance computes with. */
    VectorSpecies<Float> species() {
        return species;
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    void gemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs, long bcs,
            MemorySegment c, long cOff, long ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                writeStarts(m, n, c, cOff, ldc, Lanes.ZEROS, 0);
            }
            return;
        }
        int threads = ComputePool.threads();
        if (threads > 1 && (long) m * n * k >= PARALLEL_WORK) {
            int rowTiles = (m + MR - 1) / MR;
            int colTiles = (n + nr - 1) / nr;
            // Each part packs all of the operand it does not split: split the dimension whose other operand is smaller.
            boolean splitColumns = colTiles >= threads && ((long) m <= n || rowTiles < threads);
            if (splitColumns) {
                ComputePool.forRange(colTiles, 1, (from, to) -> {
                    int j0 = (int) from * nr;
                    int j1 = (int) Math.min(n, to * nr);
                    serial(m, j1 - j0, k, a, aOff, ars, acs, b, bOff + j0 * bcs, brs, bcs, c, cOff + j0, ldc, accumulate);
                });
                return;
            }
            if (rowTiles >= 2) {
                ComputePool.forRange(rowTiles, 1, (from, to) -> {
                    int i0 = (int) from * MR;
                    int i1 = (int) Math.min(m, to * MR);
                    serial(i1 - i0, n, k, a, aOff + i0 * ars, ars, acs, b, bOff, brs, bcs, c, cOff + i0 * ldc, ldc, accumulate);
                });
                return;
            }
        }
        serial(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }

    void serial(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs, long bcs,
            MemorySegment c, long cOff, long ldc, boolean accumulate) {
        if (acs == 1 && brs == 1 && m <= DOT_ROWS) {
            dots(m, n, k, a, aOff, ars, b, bOff, bcs, c, cOff, ldc, accumulate);
            return;
        }
        float[] ap = packedA.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pb = 0; pb < k; pb += KB) {
                int kb = Math.min(KB, k - pb);
                float[] bp = packedB(roundUp(nc, nr) * kb);
                packB(b, bOff + pb * brs + jc * bcs, brs, bcs, kb, nc, bp);
                blockTimesPanels(m, nc, kb, a, aOff + pb * acs, ars, acs, ap, bp, c, cOff + jc, ldc, accumulate || pb > 0);
            }
        }
    }

    /** This thread's buffer for packed panels of b, at least {@code size} floats. */
    private float[] packedB(int size) {
        float[] bp = packedB.get();
        if (bp.length < size) {
            bp = new float[size];
            packedB.set(bp);
        }
        return bp;
    }

    /**
     * Where a caller that packs an operand itself (a convolution writing its columns) puts each value: the
     * run of columns from {@code q} (a multiple of the lanes) of row {@code r} starts at
     * {@code vector(q) + row(r)}; rows from the operand's last one up to {@link #rows()} are zeros.
     */
    sealed interface Packing {
        /** The rows to write, padding included. */
        int rows();

        /** Where row r of any run starts, relative to the run's {@link #vector}. */
        int row(int r);

        /** Where the run of columns from {@code q} starts. */
        int vector(long q);

        /** The floats of an operand of {@code columns} columns. */
        int size(long columns);
    }

    /** b (k x n) for {@link #gemmPacked}: panels of nr columns of full depth, row p of the panel of columns j.. at {@code j*k + p*nr}. */
    record PanelsOfB(int k, int nr) implements Packing {
        @Override
        public int rows() {
            return k;
        }

        @Override
        public int row(int r) {
            return r * nr;
        }

        @Override
        public int vector(long q) {
            return Math.toIntExact(q / nr * nr * k + q % nr);
        }

        @Override
        public int size(long columns) {
            return Math.toIntExact((columns + nr - 1) / nr * nr * k);
        }
    }

    /**
     * a (m x k) for {@link #gemmPackedA}: blocks of KC columns, each of panels of MR rows (m padded with
     * zero rows), each panel chunks of CH columns by MR rows (see {@link #CH}); every block and panel as
     * deep as a full one.
     */
    record BlocksOfA(int m) implements Packing {
        @Override
        public int rows() {
            return roundUp(m, MR);
        }

        @Override
        public int row(int r) {
            return r / MR * MR * KC + r % MR * CH;
        }

        @Override
        public int vector(long q) {
            return Math.toIntExact(q / KC * rows() * KC + q % KC / CH * CH * MR + q % CH);
        }

        @Override
        public int size(long columns) {
            return Math.toIntExact((columns + KC - 1) / KC * rows() * KC);
        }
    }

    /** How {@link #gemmPacked} expects b. */
    PanelsOfB panelsOfB(int k) {
        return new PanelsOfB(k, nr);
    }

    /**
     * Packs a (m x k, rows {@code ars} and columns {@code acs} apart) as {@link BlocksOfA} into {@code blocks}
     * from {@code at}: for a factor that several products share (a convolution's weights), packed once.
     */
    void packBlocksOfA(int m, int k, MemorySegment a, long aOff, long ars, long acs, float[] blocks, int at) {
        int rows = roundUp(m, MR);
        for (int pc = 0; pc < k; pc += KC) {
            packRows(a, aOff + pc * acs, ars, acs, m, rows, Math.min(KC, k - pc), blocks, at + pc / KC * rows * KC, MR * KC);
        }
    }

    /** The floats of the row starts of m rows ({@link #fillRowStarts}). */
    int rowStartsSize(int m) {
        return m * nr;
    }

    /**
     * Row starts for {@link #gemmPackedA} and {@link #gemmPacked}: row i (nr copies of {@code values[off + i]})
     * is where the sums of row i of c start, as a bias added to each row (a convolution's channels) that
     * costs no pass over c.
     */
    void fillRowStarts(MemorySegment values, long off, int m, MemorySegment starts) {
        for (int i = 0; i < m; i++) {
            FloatVector v = FloatVector.broadcast(species, values.getAtIndex(FLOAT, off + i));
            for (int q = 0; q < nr; q += lanes) {
                v.intoMemorySegment(starts, ((long) i * nr + q) * Float.BYTES, ORDER);
            }
        }
    }

    /**
     * {@link #serial} with a already packed by the caller ({@link BlocksOfA}, from {@code ai}). The sums start
     * from c where {@code accumulate}, else from the rows of {@code starts} from row {@code startRow}
     * ({@link #fillRowStarts}), or from zero where {@code starts} is {@link Lanes#ZEROS}.
     */
    void gemmPackedA(int m, int n, int k, float[] blocks, int ai, MemorySegment b, long bOff, long brs, long bcs,
                     MemorySegment c, long cOff, long ldc, boolean accumulate, MemorySegment starts, int startRow) {
        if (k <= 0 && !accumulate) {
            writeStarts(m, n, c, cOff, ldc, starts, startRow);
            return;
        }
        float[] bp = packedB(roundUp(NC, nr) * KC);
        int rows = roundUp(m, MR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
                tiles(m, nc, kc, blocks, ai + pc / KC * rows * KC, KC, bp, 0, kc, c, cOff + jc, ldc, accumulate || pc > 0, starts,
                        startRow);
            }
        }
    }

    /**
     * {@link #serial} with both operands packed by the caller: a as {@link BlocksOfA} from {@code ai}, b as
     * {@link PanelsOfB} from {@code bi}; n a multiple of the panel width stores whole tiles only.
     */
    void gemmPacked(int m, int n, int k, float[] blocks, int ai, float[] panels, int bi, MemorySegment c, long cOff, long ldc,
                    boolean accumulate) {
        gemmPacked(m, n, k, blocks, ai, panels, bi, c, cOff, ldc, accumulate, Lanes.ZEROS, 0);
    }

    /** {@link #gemmPacked}, its sums starting as {@link #gemmPackedA}'s do. */
    void gemmPacked(int m, int n, int k, float[] blocks, int ai, float[] panels, int bi, MemorySegment c, long cOff, long ldc,
                    boolean accumulate, MemorySegment starts, int startRow) {
        if (k <= 0 && !accumulate) {
            writeStarts(m, n, c, cOff, ldc, starts, startRow);
            return;
        }
        int rows = roundUp(m, MR);
        for (int pc = 0; pc < k; pc += KC) {
            tiles(m, n, Math.min(KC, k - pc), blocks, ai + pc / KC * rows * KC, KC, panels, bi + pc * nr, k, c, cOff, ldc,
                    accumulate || pc > 0, starts, startRow);
        }
    }

    /** c[0..m, 0..n) = where the sums start (a product of depth 0): the row starts from row {@code startRow}, or zero. */
    private void writeStarts(int m, int n, MemorySegment c, long cOff, long ldc, MemorySegment starts, int startRow) {
        for (int i = 0; i < m; i++) {
            MemorySegment row = c.asSlice((cOff + i * ldc) * Float.BYTES, (long) n * Float.BYTES);
            if (starts == Lanes.ZEROS) {
                row.fill((byte) 0);
                continue;
            }
            float start = starts.getAtIndex(FLOAT, (long) (startRow + i) * nr);
            for (int j = 0; j < n; j++) {
                row.setAtIndex(FLOAT, j, start);
            }
        }
    }

    /**
     * c[0..m, 0..nc) = (load ? c : 0) + a[0..m, 0..depth) times the packed panels of b (panel jr/nr from
     * {@code jr * depth}): a packed block by block of MC rows and KC columns, the micro-kernel over each
     * tile. All the depth blocks of one block of rows go in turn, so that its tiles of c stay in cache.
     */
    private void blockTimesPanels(int m, int nc, int depth, MemorySegment a, long aOff, long ars, long acs, float[] ap,
                                  float[] bp, MemorySegment c, long cOff, long ldc, boolean load) {
        // A dense along i (a transposed) is packed column by column, any other a row by row.
        boolean columns = ars == 1 && acs != 1;
        for (int ic = 0; ic < m; ic += MC) {
            int mc = Math.min(MC, m - ic);
            int rows = roundUp(mc, MR);
            for (int pc = 0; pc < depth; pc += KC) {
                int kc = Math.min(KC, depth - pc);
                long at = aOff + ic * ars + pc * acs;
                if (columns) {
                    packColumns(a, at, acs, mc, rows, kc, ap);
                } else {
                    packRows(a, at, ars, acs, mc, rows, kc, ap, 0, roundUp(kc, CH) * MR);
                }
                tiles(mc, nc, kc, ap, 0, roundUp(kc, CH), bp, pc * nr, depth, c, cOff + ic * ldc, ldc, load || pc > 0, Lanes.ZEROS, 0);
            }
        }
    }

    /**
     * The micro-kernel over every tile of c[0..m, 0..nc): the panel of a for rows ir.. from
     * {@code ai + ir * aDepth}, the panel of b for columns jr.. from {@code bi + jr * depth}; the sums start
     * from c (load), else from the row starts from row {@code startRow}, or from zero ({@link Lanes#ZEROS}).
     */
    private void tiles(int m, int nc, int kc, float[] ap, int ai, int aDepth, float[] bp, int bi, int depth,
                       MemorySegment c, long co, long ldc, boolean load, MemorySegment starts, int startRow) {
        // The kernel adds a tile of its source, rows lds apart: c's own; a row start per row, the same for
        // every column; or a row of zeros for every row (rows 0 apart).
        boolean zero = !load && starts == Lanes.ZEROS;
        MemorySegment src = load ? c : starts;
        long lds = load ? ldc : zero ? 0 : nr;
        for (int jr = 0; jr < nc; jr += nr) {
            int w = Math.min(nr, nc - jr);
            for (int ir = 0; ir < m; ir += MR) {
                int mr = Math.min(MR, m - ir);
                long at = co + ir * ldc + jr;
                long from = load ? at : zero ? 0 : (long) (startRow + ir) * nr;
                if (mr == MR && w == nr) {
                    kernelVectors(kc, ap, ai + ir * aDepth, bp, bi + jr * depth, src, from, lds, c, at, ldc);
                } else {
                    edgeTile(kc, ap, ai + ir * aDepth, bp, bi + jr * depth, src, from, lds, c, at, ldc, mr, w);
                }
            }
        }
    }

    /**
     * A tile of c with fewer than MR rows or nr columns: the kernel works on a whole tile in {@link #edge}, its
     * source's rows (from {@code from}, {@code lds} apart; none where lds is 0) copied in first, then copied to c.
     */
    private void edgeTile(int kc, float[] ap, int ai, float[] bp, int bi, MemorySegment src, long from, long lds, MemorySegment c,
                          long at, long ldc, int mr, int w) {
        MemorySegment t = edge.get();
        boolean zero = lds == 0;
        if (!zero) {
            for (int i = 0; i < mr; i++) {
                MemorySegment.copy(src, FLOAT, (from + i * lds) * Float.BYTES, t, FLOAT, (long) i * nr * Float.BYTES, w);
            }
        }
        kernelVectors(kc, ap, ai, bp, bi, zero ? Lanes.ZEROS : t, 0, zero ? 0 : nr, t, 0, nr);
        for (int i = 0; i < mr; i++) {
            MemorySegment.copy(t, FLOAT, (long) i * nr * Float.BYTES, c, FLOAT, (at + i * ldc) * Float.BYTES, w);
        }
    }

    /**
     * Packs a[0..mc, 0..kc) (dense along i) as panels of MR rows in chunks of CH columns (see {@link #CH}):
     * blocks of 16 x 16 by {@link Transpose16} where the species fits, the rest element by element; rows
     * mc..rows are zero.
     */
    private void packColumns(MemorySegment a, long off, long cs, int mc, int rows, int kc, float[] ap) {
        int panel = roundUp(kc, CH) * MR;
        int blockRows = Transpose16.fits(species) ? mc - mc % Transpose16.SIZE : 0;
        int blockColumns = kc - kc % Transpose16.SIZE;
        for (int i0 = 0; i0 < blockRows; i0 += Transpose16.SIZE) {
            for (int p0 = 0; p0 < blockColumns; p0 += Transpose16.SIZE) {
                int first = i0 / MR * panel + p0 * MR;
                Transpose16.block(a, off + i0 + p0 * cs, cs, ap, first, first + panel, CH);
            }
        }
        for (int i = 0; i < rows; i++) {
            int base = i / MR * panel + i % MR * CH;
            for (int p = i < blockRows ? blockColumns : 0; p < kc; p++) {
                ap[base + p / CH * CH * MR + p % CH] = i < mc ? a.getAtIndex(FLOAT, off + i + p * cs) : 0;
            }
        }
    }

    /**
     * Packs a[0..mc, 0..kc) into {@code ap} from {@code apOff} as panels of MR rows, {@code panel} floats apart,
     * in chunks of CH columns (see {@link #CH}); rows mc..rows are zero.
     */
    private void packRows(MemorySegment a, long off, long rs, long cs, int mc, int rows, int kc, float[] ap, int apOff, int panel) {
        for (int i = 0; i < rows; i++) {
            int base = apOff + i / MR * panel + i % MR * CH;
            long at = off + i * rs;
            for (int p0 = 0; p0 < kc; p0 += CH) {
                int to = base + p0 * MR;
                if (i >= mc) {
                    java.util.Arrays.fill(ap, to, to + CH, 0);
                } else if (cs == 1 && p0 + CH <= kc) {
                    copy(a, at + p0, ap, to, CH);
                } else {
                    int q1 = Math.min(CH, kc - p0);
                    for (int q = 0; q < q1; q++) {
                        ap[to + q] = a.getAtIndex(FLOAT, at + (p0 + q) * cs);
                    }
                }
            }
        }
    }

    /**
     * Packs b[0..kc, 0..nc) as panels of nr columns, each row of a panel nr consecutive values; short panels
     * padded with zeros. A b dense along p (transposed) goes through {@link Transpose16} where the species fits.
     */
    private void packB(MemorySegment b, long off, long rs, long cs, int kc, int nc, float[] bp) {
        int nr = this.nr;
        boolean transposing = rs == 1 && Transpose16.fits(species);
        int blockDepth = kc - kc % Transpose16.SIZE;
        float[] column = rs == 1 ? scratch.get() : null;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = jr * kc;
            long colOff = off + jr * cs;
            if (cols == nr && cs == 1) {
                for (int p = 0; p < kc; p++) {
                    copy(b, colOff + p * rs, bp, base + p * nr, nr);
                }
                continue;
            }
            int from = 0;
            if (cols == nr && transposing) {
                for (int j0 = 0; j0 < nr; j0 += Transpose16.SIZE) {
                    for (int p0 = 0; p0 < blockDepth; p0 += Transpose16.SIZE) {
                        int first = base + p0 * nr + j0;
                        Transpose16.block(b, colOff + j0 * cs + p0, cs, bp, first, first + 8 * nr, nr);
                    }
                }
                from = blockDepth;
                if (from == kc) {
                    // Nothing left to copy. Going on into the empty loops below failed C2's loop predicates
                    // (profile_predicate deoptimizations, then a recompilation, in every MLP run).
                    continue;
                }
            }
            for (int j = 0; j < cols; j++) {
                long at = colOff + j * cs;
                int to = base + j;
                if (column != null) {
                    // b dense along p (b transposed): one bulk copy of the column, then spread it out.
                    MemorySegment.copy(b, FLOAT, (at + from) * Float.BYTES, column, from, kc - from);
                    for (int p = from; p < kc; p++) {
                        bp[to + p * nr] = column[p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        bp[to + p * nr] = b.getAtIndex(FLOAT, at + p * rs);
                    }
                }
            }
            for (int j = cols; j < nr; j++) {
                for (int p = 0; p < kc; p++) {
                    bp[base + j + p * nr] = 0;
                }
            }
        }
    }

    /**
     * Copies {@code count} floats (a multiple of the lanes) from element {@code from} of {@code src} to {@code to[at..]}, a
     * vector at a time, with the JVM's species as a constant where the lanes are those (see {@link Lanes}). With the
     * species from the field, C2 resolved the load's vector class only from a profile that the Vector API's methods do not
     * always have (see cnf/compiler-directives.json): in 1 of 5 runs of {@code ignis bench conv} it compiled the copy to the
     * API's Java fallback, and the 1->32 convolution took 3.3-3.4 ms instead of 0.2 ms.
     */
    private void copy(MemorySegment src, long from, float[] to, int at, int count) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        if (species == chosen) {
            copyLoop(chosen, src, from, to, at, count);
        } else {
            copyLoop(species, src, from, to, at, count);
        }
    }

    private static void copyLoop(VectorSpecies<Float> s, MemorySegment src, long from, float[] to, int at, int count) {
        for (int q = 0; q < count; q += s.length()) {
            FloatVector.fromMemorySegment(s, src, (from + q) * Float.BYTES, ORDER).intoArray(to, at + q);
        }
    }

    /**
     * c = (load ? c : 0) + a b where the rows of a and the columns of b are dense runs of k (b is a transposed
     * matrix): each entry a dot product ({@link #dotVectors}, then {@link #foldLanes}), {@link #DOT_COLUMNS}
     * columns at a time. With few rows the packed path would pad them to a tile of MR and spread every column
     * of b into its panel; here nothing is packed.
     */
    private void dots(int m, int n, int k, MemorySegment a, long aOff, long ars, MemorySegment b, long bOff, long bcs,
                      MemorySegment c, long cOff, long ldc, boolean load) {
        float[] sums = laneSums(m * Math.min(n, DOT_COLUMNS));
        for (int j0 = 0; j0 < n; j0 += DOT_COLUMNS) {
            int nc = Math.min(DOT_COLUMNS, n - j0);
            Arrays.fill(sums, 0, m * nc * lanes, 0f);
            dotVectors(m, nc, k, a, aOff, ars, b, bOff + j0 * bcs, bcs, sums, 0);
            foldLanes(m, nc, sums, 0, c, cOff + j0, ldc, 1, load);
        }
    }

    /** This thread's buffer for the lane sums of {@link #dots}, at least {@code vectors} vectors. */
    private float[] laneSums(int vectors) {
        float[] sums = laneSums.get();
        if (sums.length < vectors * lanes) {
            sums = new float[vectors * lanes];
            laneSums.set(sums);
        }
        return sums;
    }

    /**
     * The dot products of the rows of a with the rows of b (both dense runs of k), before their lanes are
     * added up: vector {@code (i, j)} of {@code sums} (its lanes from {@code at + (i*n + j) * lanes}) gains
     * the lane-wise sums of row i of a times row j of b, the products past the last whole vector in its
     * lane 0. Three rows by four columns at a time, in twelve vector sums; edge blocks repeat the last row or
     * column. A caller that adds up many products (a convolution's weight gradient over a batch) keeps
     * adding here and adds up the lanes once, with {@link #foldLanes}: a vector add per entry and product
     * instead of a sum of lanes.
     */
    void dotVectors(int m, int n, int k, MemorySegment a, long aOff, long ars, MemorySegment b, long bOff, long bcs, float[] sums, int at) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        if (species == chosen) {
            dotLoop(chosen, m, n, k, a, aOff, ars, b, bOff, bcs, sums, at);
        } else {
            dotLoop(species, m, n, k, a, aOff, ars, b, bOff, bcs, sums, at);
        }
    }

    private static void dotLoop(VectorSpecies<Float> s, int m, int n, int k, MemorySegment a, long aOff, long ars, MemorySegment b,
                                long bOff, long bcs, float[] sums, int at) {
        int lanes = s.length();
        int bound = k - k % lanes;
        for (int i0 = 0; i0 < m; i0 += 3) {
            long a0 = aOff + Math.min(i0, m - 1) * ars;
            long a1 = aOff + Math.min(i0 + 1, m - 1) * ars;
            long a2 = aOff + Math.min(i0 + 2, m - 1) * ars;
            for (int j0 = 0; j0 < n; j0 += 4) {
                long b0 = bOff + Math.min(j0, n - 1) * bcs;
                long b1 = bOff + Math.min(j0 + 1, n - 1) * bcs;
                long b2 = bOff + Math.min(j0 + 2, n - 1) * bcs;
                long b3 = bOff + Math.min(j0 + 3, n - 1) * bcs;
                FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
                FloatVector s00 = zero; FloatVector s01 = zero; FloatVector s02 = zero; FloatVector s03 = zero;
                FloatVector s10 = zero; FloatVector s11 = zero; FloatVector s12 = zero; FloatVector s13 = zero;
                FloatVector s20 = zero; FloatVector s21 = zero; FloatVector s22 = zero; FloatVector s23 = zero;
                for (int p = 0; p < bound; p += lanes) {
                    FloatVector y0 = FloatVector.fromMemorySegment(s, b, (b0 + p) * Float.BYTES, ORDER);
                    FloatVector y1 = FloatVector.fromMemorySegment(s, b, (b1 + p) * Float.BYTES, ORDER);
                    FloatVector y2 = FloatVector.fromMemorySegment(s, b, (b2 + p) * Float.BYTES, ORDER);
                    FloatVector y3 = FloatVector.fromMemorySegment(s, b, (b3 + p) * Float.BYTES, ORDER);
                    FloatVector x = FloatVector.fromMemorySegment(s, a, (a0 + p) * Float.BYTES, ORDER);
                    s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
                    x = FloatVector.fromMemorySegment(s, a, (a1 + p) * Float.BYTES, ORDER);
                    s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
                    x = FloatVector.fromMemorySegment(s, a, (a2 + p) * Float.BYTES, ORDER);
                    s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
                }
                // the block's vectors in rows of four; those past m or n are dropped
                int row = at + (i0 * n + j0) * lanes;
                int rows = Math.min(3, m - i0);
                int columns = Math.min(4, n - j0);
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < columns; q++) {
                        FloatVector v = r == 0 ? (q == 0 ? s00 : q == 1 ? s01 : q == 2 ? s02 : s03)
                                : r == 1 ? (q == 0 ? s10 : q == 1 ? s11 : q == 2 ? s12 : s13)
                                : (q == 0 ? s20 : q == 1 ? s21 : q == 2 ? s22 : s23);
                        int e = row + (r * n + q) * lanes;
                        v.add(FloatVector.fromArray(s, sums, e)).intoArray(sums, e);
                    }
                }
            }
        }
        for (int i = 0; bound < k && i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int p = bound; p < k; p++) {
                    sum = Math.fma(a.getAtIndex(FLOAT, aOff + i * ars + p), b.getAtIndex(FLOAT, bOff + j * bcs + p), sum);
                }
                sums[at + (i * n + j) * lanes] += sum;
            }
        }
    }

    /**
     * {@code c[cOff + i*crs + j*ccs] = (load ? c[...] : 0) +} the sum of the lanes of vector {@code (i, j)} of
     * {@code sums} ({@link #dotVectors}), first lane to last, for {@code i < m, j < n}.
     */
    void foldLanes(int m, int n, float[] sums, int at, MemorySegment c, long cOff, long crs, long ccs, boolean load) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int e = at + (i * n + j) * lanes;
                float sum = 0;
                for (int l = 0; l < lanes; l++) {
                    sum += sums[e + l];
                }
                long to = cOff + i * crs + j * ccs;
                c.setAtIndex(FLOAT, to, load ? c.getAtIndex(FLOAT, to) + sum : sum);
            }
        }
    }

    /**
     * The 8 x 2 vectors micro-kernel ({@link #kernelLoop}) with the JVM's species as a constant where the lanes are those
     * (see {@link #copy}).
     */
    private void kernelVectors(int kc, float[] ap, int ai, float[] bp, int bi, MemorySegment src, long so, long lds, MemorySegment c,
                               long co, long ldc) {
        VectorSpecies<Float> chosen = VectorSupport.chosen().floats();
        if (species == chosen) {
            kernelLoop(chosen, kc, ap, ai, bp, bi, src, so, lds, c, co, ldc);
        } else {
            kernelLoop(species, kc, ap, ai, bp, bi, src, so, lds, c, co, ldc);
        }
    }

    /**
     * The 8 x 2 vectors micro-kernel: a whole tile of c (from {@code co}, rows {@code ldc} apart) = the tile
     * of src (from {@code so}, rows {@code lds} apart) + a panel times b panel over kc. It has no branch
     * but its loops: one that the profile had not seen when C2 compiled it (an edge tile, the first
     * accumulating product) would cost a recompilation, some 300 ms of C2's time, and the slow code meanwhile.
     */
    private static void kernelLoop(VectorSpecies<Float> s, int kc, float[] ap, int ai, float[] bp, int bi, MemorySegment src, long so,
                                   long lds, MemorySegment c, long co, long ldc) {
        int l = s.length();
        FloatVector zero = FloatVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        FloatVector c00 = zero; FloatVector c01 = zero;
        FloatVector c10 = zero; FloatVector c11 = zero;
        FloatVector c20 = zero; FloatVector c21 = zero;
        FloatVector c30 = zero; FloatVector c31 = zero;
        FloatVector c40 = zero; FloatVector c41 = zero;
        FloatVector c50 = zero; FloatVector c51 = zero;
        FloatVector c60 = zero; FloatVector c61 = zero;
        FloatVector c70 = zero; FloatVector c71 = zero;
        for (int p0 = 0; p0 < kc; p0 += CH) {
            int end = ai + Math.min(CH, kc - p0);
            for (; ai < end; ai++) {
                FloatVector b0 = FloatVector.fromArray(s, bp, bi);
                FloatVector b1 = FloatVector.fromArray(s, bp, bi + l);
                FloatVector a0 = b0.broadcast(ap[ai + 0]);
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                FloatVector a1 = b0.broadcast(ap[ai + 16]);
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                FloatVector a2 = b0.broadcast(ap[ai + 32]);
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                FloatVector a3 = b0.broadcast(ap[ai + 48]);
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                FloatVector a4 = b0.broadcast(ap[ai + 64]);
                c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
                FloatVector a5 = b0.broadcast(ap[ai + 80]);
                c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
                FloatVector a6 = b0.broadcast(ap[ai + 96]);
                c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
                FloatVector a7 = b0.broadcast(ap[ai + 112]);
                c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
                bi += 2 * l;
            }
            ai += (MR - 1) * CH;
        }
        long step = (long) l * Float.BYTES;
        long from = so * Float.BYTES;
        long to = co * Float.BYTES;
        c00.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c01.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c10.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c11.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c20.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c21.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c30.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c31.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c40.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c41.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c50.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c51.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c60.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c61.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Float.BYTES;
        to += ldc * Float.BYTES;
        c70.add(FloatVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c71.add(FloatVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
    }

}
