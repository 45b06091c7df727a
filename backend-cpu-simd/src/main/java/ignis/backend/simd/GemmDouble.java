package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.ComputePool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 GEMM of {@link Gemm} for one vector species, after Goto and van de Geijn ("Anatomy of
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
 * products add to it, as {@link GemmFloat} does.
 * Packing absorbs every layout of a and b (transposed, strided): rows or columns that are dense are
 * copied in bulk, the rest element by element; panels at the edges of m and n are padded with zeros
 * and their tiles go through a whole tile of scratch memory, so any m, n, k works. The packing buffers are per
 * thread and kept, so that repeated products (a training loop) allocate nothing. Threads: a product of
 * at least {@link #PARALLEL_WORK} multiply-adds is split over the {@link ComputePool} by columns (each
 * part packs all of a) or by rows (each part packs all of b), whichever duplicates the smaller operand;
 * each part runs the loops above on its own block of c, so the sums are the same for any thread count.
 * Instances are stateless apart from the per-thread buffers and serve any number of threads.
 */
final class GemmDouble {

    /** Rows of the micro-tile. */
    static final int MR = 8;
    /** Columns of a packed panel of a that lie together: element (r, p) of a panel at {@code (p / CH) * CH * MR + r * CH + p % CH}. */
    static final int CH = 16;
    /** Vectors per row of the micro-tile: the tile is MR x (NV * lanes). */
    static final int NV = 2;
    /** Depth of a packed block (the p extent of each product of panels). */
    static final int KC = 256;
    /** Rows of a packed block of a. */
    static final int MC = 48;
    /** Columns of a packed block of b. */
    static final int NC = 256;
    /** Depth of a packed block of b: its panels hold up to this many rows, so that c is read and written once per KB of depth. */
    static final int KB = 2048;
    /** Below this many multiply-adds a product stays on the caller's thread. */
    static final long PARALLEL_WORK = 1L << 18;

    private final VectorSpecies<Double> species;
    private final int lanes;
    private final int nr;
    /** A whole tile for the kernel to work on where c has fewer rows or columns; native, as c is, so that the kernel sees one kind of segment. */
    private final ThreadLocal<MemorySegment> edge;
    private final ThreadLocal<double[]> packedA;
    private final ThreadLocal<double[]> packedB;
    private final ThreadLocal<double[]> scratch;

    GemmDouble(VectorSpecies<Double> species) {
        this.species = species;
        this.lanes = species.length();
        this.nr = NV * lanes;
        this.edge = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate((long) MR * nr * Double.BYTES, 64));
        this.packedA = ThreadLocal.withInitial(() -> new double[roundUp(MC, MR) * roundUp(KC, CH)]);
        this.packedB = ThreadLocal.withInitial(() -> new double[0]);
        this.scratch = ThreadLocal.withInitial(() -> new double[Math.max(roundUp(MC, MR) * KC, KB)]);
    }

    /** The vector species this instance computes with. */
    VectorSpecies<Double> species() {
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
                for (int i = 0; i < m; i++) {
                    c.asSlice((cOff + i * ldc) * Double.BYTES, (long) n * Double.BYTES).fill((byte) 0);
                }
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
        double[] ap = packedA.get();
        // A dense along i (a transposed) is packed column by column, any other a row by row.
        boolean columns = ars == 1 && acs != 1;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pb = 0; pb < k; pb += KB) {
                int kb = Math.min(KB, k - pb);
                double[] bp = packedB(roundUp(nc, nr) * kb);
                packB(b, bOff + pb * brs + jc * bcs, brs, bcs, kb, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int rows = roundUp(mc, MR);
                    long co = cOff + ic * ldc + jc;
                    for (int pc = 0; pc < kb; pc += KC) {
                        int kc = Math.min(KC, kb - pc);
                        boolean load = accumulate || pb + pc > 0;
                        long at = aOff + ic * ars + (pb + pc) * acs;
                        if (columns) {
                            packColumns(a, at, acs, mc, rows, kc, ap);
                        } else {
                            packRows(a, at, ars, acs, mc, rows, kc, ap);
                        }
                        tiles(mc, nc, kc, ap, 0, roundUp(kc, CH), bp, pc * nr, kb, c, co, ldc, load);
                    }
                }
            }
        }
    }

    /** This thread's buffer for packed panels of b, at least {@code size} doubles. */
    private double[] packedB(int size) {
        double[] bp = packedB.get();
        if (bp.length < size) {
            bp = new double[size];
            packedB.set(bp);
        }
        return bp;
    }

    /**
     * Packs a[0..mc, 0..kc) (dense along i) as panels of MR rows in chunks of CH columns (see {@link #CH}):
     * each column is copied in bulk to a scratch block first; rows mc..rows are zero.
     */
    private void packColumns(MemorySegment a, long off, long cs, int mc, int rows, int kc, double[] ap) {
        double[] block = scratch.get();
        for (int p = 0; p < kc; p++) {
            int to = p * rows;
            MemorySegment.copy(a, DOUBLE, (off + p * cs) * Double.BYTES, block, to, mc);
            for (int i = mc; i < rows; i++) {
                block[to + i] = 0;
            }
        }
        int panel = roundUp(kc, CH) * MR;
        for (int ir = 0; ir < rows; ir += MR) {
            int base = ir / MR * panel;
            for (int p = 0; p < kc; p++) {
                int to = base + p / CH * CH * MR + p % CH;
                int from = p * rows + ir;
                for (int r = 0; r < MR; r++) {
                    ap[to + r * CH] = block[from + r];
                }
            }
        }
    }

    /** Packs a[0..mc, 0..kc) as panels of MR rows in chunks of CH columns (see {@link #CH}); rows mc..rows are zero. */
    private static void packRows(MemorySegment a, long off, long rs, long cs, int mc, int rows, int kc, double[] ap) {
        int panel = roundUp(kc, CH) * MR;
        for (int i = 0; i < rows; i++) {
            int base = i / MR * panel + i % MR * CH;
            long at = off + i * rs;
            for (int p0 = 0; p0 < kc; p0 += CH) {
                int to = base + p0 * MR;
                if (i >= mc) {
                    java.util.Arrays.fill(ap, to, to + CH, 0);
                } else if (cs == 1 && p0 + CH <= kc) {
                    MemorySegment.copy(a, DOUBLE, (at + p0) * Double.BYTES, ap, to, CH);
                } else {
                    int q1 = Math.min(CH, kc - p0);
                    for (int q = 0; q < q1; q++) {
                        ap[to + q] = a.getAtIndex(DOUBLE, at + (p0 + q) * cs);
                    }
                }
            }
        }
    }

    /** Packs b[0..kc, 0..nc) as panels of nr columns, each row of a panel nr consecutive values; short panels padded with zeros. */
    private void packB(MemorySegment b, long off, long rs, long cs, int kc, int nc, double[] bp) {
        int nr = this.nr;
        double[] column = rs == 1 ? scratch.get() : null;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = jr * kc;
            long colOff = off + jr * cs;
            if (cols == nr && cs == 1) {
                for (int p = 0; p < kc; p++) {
                    long at = (colOff + p * rs) * Double.BYTES;
                    int to = base + p * nr;
                    MemorySegment.copy(b, DOUBLE, at, bp, to, nr);
                }
                continue;
            }
            for (int j = 0; j < cols; j++) {
                long at = colOff + j * cs;
                int to = base + j;
                if (column != null) {
                    // b dense along p (b transposed): one bulk copy of the column, then spread it out.
                    MemorySegment.copy(b, DOUBLE, at * Double.BYTES, column, 0, kc);
                    for (int p = 0; p < kc; p++) {
                        bp[to + p * nr] = column[p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        bp[to + p * nr] = b.getAtIndex(DOUBLE, at + p * rs);
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
     * The micro-kernel over every tile of c[0..m, 0..nc): the panel of a for rows ir.. from
     * {@code ai + ir * aDepth}, the panel of b for columns jr.. from {@code bi + jr * depth}.
     */
    private void tiles(int m, int nc, int kc, double[] ap, int ai, int aDepth, double[] bp, int bi, int depth,
                       MemorySegment c, long co, long ldc, boolean load) {
        // Without load the kernel adds a row of zeros to every row (source rows 0 apart).
        MemorySegment src = load ? c : Lanes.ZEROS;
        long lds = load ? ldc : 0;
        for (int jr = 0; jr < nc; jr += nr) {
            int w = Math.min(nr, nc - jr);
            for (int ir = 0; ir < m; ir += MR) {
                int mr = Math.min(MR, m - ir);
                long at = co + ir * ldc + jr;
                if (mr == MR && w == nr) {
                    kernelVectors(kc, ap, ai + ir * aDepth, bp, bi + jr * depth, src, load ? at : 0, lds, c, at, ldc);
                } else {
                    edgeTile(kc, ap, ai + ir * aDepth, bp, bi + jr * depth, c, at, ldc, load, mr, w);
                }
            }
        }
    }

    /** A tile of c with fewer than MR rows or nr columns: the kernel works on a whole tile in {@link #edge}, copied from and to c. */
    private void edgeTile(int kc, double[] ap, int ai, double[] bp, int bi, MemorySegment c, long at, long ldc, boolean load, int mr, int w) {
        MemorySegment t = edge.get();
        if (load) {
            for (int i = 0; i < mr; i++) {
                MemorySegment.copy(c, DOUBLE, (at + i * ldc) * Double.BYTES, t, DOUBLE, (long) i * nr * Double.BYTES, w);
            }
        }
        kernelVectors(kc, ap, ai, bp, bi, load ? t : Lanes.ZEROS, 0, load ? nr : 0, t, 0, nr);
        for (int i = 0; i < mr; i++) {
            MemorySegment.copy(t, DOUBLE, (long) i * nr * Double.BYTES, c, DOUBLE, (at + i * ldc) * Double.BYTES, w);
        }
    }

    /** The micro-kernel ({@link #kernelLoop}) with the JVM's species as a constant where the lanes are those (see GemmFloat.copy). */
    private void kernelVectors(int kc, double[] ap, int ai, double[] bp, int bi, MemorySegment src, long so, long lds, MemorySegment c,
                               long co, long ldc) {
        VectorSpecies<Double> chosen = VectorSupport.chosen().doubles();
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
    private static void kernelLoop(VectorSpecies<Double> s, int kc, double[] ap, int ai, double[] bp, int bi, MemorySegment src, long so,
                                   long lds, MemorySegment c, long co, long ldc) {
        int l = s.length();
        DoubleVector zero = DoubleVector.fromMemorySegment(s, Lanes.ZEROS, 0, ORDER);
        DoubleVector c00 = zero; DoubleVector c01 = zero;
        DoubleVector c10 = zero; DoubleVector c11 = zero;
        DoubleVector c20 = zero; DoubleVector c21 = zero;
        DoubleVector c30 = zero; DoubleVector c31 = zero;
        DoubleVector c40 = zero; DoubleVector c41 = zero;
        DoubleVector c50 = zero; DoubleVector c51 = zero;
        DoubleVector c60 = zero; DoubleVector c61 = zero;
        DoubleVector c70 = zero; DoubleVector c71 = zero;
        for (int p0 = 0; p0 < kc; p0 += CH) {
            int end = ai + Math.min(CH, kc - p0);
            for (; ai < end; ai++) {
                DoubleVector b0 = DoubleVector.fromArray(s, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(s, bp, bi + l);
                DoubleVector a0 = b0.broadcast(ap[ai + 0]);
                c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
                DoubleVector a1 = b0.broadcast(ap[ai + 16]);
                c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
                DoubleVector a2 = b0.broadcast(ap[ai + 32]);
                c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
                DoubleVector a3 = b0.broadcast(ap[ai + 48]);
                c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
                DoubleVector a4 = b0.broadcast(ap[ai + 64]);
                c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
                DoubleVector a5 = b0.broadcast(ap[ai + 80]);
                c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
                DoubleVector a6 = b0.broadcast(ap[ai + 96]);
                c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
                DoubleVector a7 = b0.broadcast(ap[ai + 112]);
                c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
                bi += 2 * l;
            }
            ai += (MR - 1) * CH;
        }
        long step = (long) l * Double.BYTES;
        long from = so * Double.BYTES;
        long to = co * Double.BYTES;
        c00.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c01.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c10.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c11.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c20.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c21.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c30.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c31.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c40.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c41.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c50.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c51.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c60.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c61.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
        from += lds * Double.BYTES;
        to += ldc * Double.BYTES;
        c70.add(DoubleVector.fromMemorySegment(s, src, from, ORDER)).intoMemorySegment(c, to, ORDER);
        c71.add(DoubleVector.fromMemorySegment(s, src, from + step, ORDER)).intoMemorySegment(c, to + step, ORDER);
    }

}
