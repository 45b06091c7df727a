package ignis.backend.simd;

import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.ComputePool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM_DOC
 */
final class GemmFloat {

    /** Rows of the micro-tile. */
    static final int MR = 6;
    /** Vectors per row of the micro-tile: the tile is MR x (NV * lanes). */
    static final int NV = 2;
    static final int KC = Integer.getInteger("gemm.kc", 256);
    static final int MC = Integer.getInteger("gemm.mc", 144);
    static final int NC = Integer.getInteger("gemm.nc", 512);
    static final boolean IR_OUTER = Boolean.getBoolean("gemm.irouter");
    /** Below this many multiply-adds a product stays on the caller's thread. */
    static final long PARALLEL_WORK = 1L << 18;

    private final VectorSpecies<Float> species;
    private final int lanes;
    private final int nr;
    private final float[] zeros;
    private final ThreadLocal<float[]> tile;
    private final ThreadLocal<float[]> packedA;
    private final ThreadLocal<float[]> packedB;

    GemmFloat(VectorSpecies<Float> species) {
        this.species = species;
        this.lanes = species.length();
        this.nr = NV * lanes;
        this.zeros = new float[lanes];
        this.tile = ThreadLocal.withInitial(() -> new float[MR * nr]);
        this.packedA = ThreadLocal.withInitial(() -> new float[roundUp(MC, MR) * KC]);
        this.packedB = ThreadLocal.withInitial(() -> new float[roundUp(NC, nr) * KC]);
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
                for (int i = 0; i < m; i++) {
                    c.asSlice((cOff + i * ldc) * Float.BYTES, (long) n * Float.BYTES).fill((byte) 0);
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
        float[] ap = packedA.get();
        float[] bp = packedB.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0;
                packB(b, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(a, aOff + ic * ars + pc * acs, ars, acs, mc, kc, ap);
                    long co = cOff + ic * ldc + jc;
                    if (IR_OUTER) {
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            for (int jr = 0; jr < nc; jr += nr) {
                                kernel(kc, ap, ir * kc, bp, jr * kc, c, co + ir * ldc + jr, ldc, load, mr, Math.min(nr, nc - jr));
                            }
                        }
                    } else {
                        for (int jr = 0; jr < nc; jr += nr) {
                            int w = Math.min(nr, nc - jr);
                            for (int ir = 0; ir < mc; ir += MR) {
                                kernel(kc, ap, ir * kc, bp, jr * kc, c, co + ir * ldc + jr, ldc, load, Math.min(MR, mc - ir), w);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs a[0..mc, 0..kc) as panels of MR rows, each column of a panel MR consecutive values; short panels padded with zeros. */
    private static void packA(MemorySegment a, long off, long rs, long cs, int mc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = ir * kc;
            long rowOff = off + ir * rs;
            if (rows == MR && rs == 1) {
                for (int p = 0; p < kc; p++) {
                    long at = rowOff + p * cs;
                    int to = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        ap[to + r] = a.getAtIndex(FLOAT, at + r);
                    }
                }
                continue;
            }
            for (int r = 0; r < rows; r++) {
                long at = rowOff + r * rs;
                int to = base + r;
                for (int p = 0; p < kc; p++) {
                    ap[to + p * MR] = a.getAtIndex(FLOAT, at + p * cs);
                }
            }
            for (int r = rows; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[base + r + p * MR] = 0;
                }
            }
        }
    }

    /** Packs b[0..kc, 0..nc) as panels of nr columns, each row of a panel nr consecutive values; short panels padded with zeros. */
    private void packB(MemorySegment b, long off, long rs, long cs, int kc, int nc, float[] bp) {
        int nr = this.nr;
        int l = lanes;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = jr * kc;
            long colOff = off + jr * cs;
            if (cols == nr && cs == 1) {
                for (int p = 0; p < kc; p++) {
                    long at = (colOff + p * rs) * Float.BYTES;
                    int to = base + p * nr;
                    for (int v = 0; v < nr; v += l) {
                        FloatVector.fromMemorySegment(species, b, at + (long) v * Float.BYTES, ORDER).intoArray(bp, to + v);
                    }
                }
                continue;
            }
            for (int j = 0; j < cols; j++) {
                long at = colOff + j * cs;
                int to = base + j;
                for (int p = 0; p < kc; p++) {
                    bp[to + p * nr] = b.getAtIndex(FLOAT, at + p * rs);
                }
            }
            for (int j = cols; j < nr; j++) {
                for (int p = 0; p < kc; p++) {
                    bp[base + j + p * nr] = 0;
                }
            }
        }
    }

    /** The 6 x 2 vectors micro-kernel: c[0..6, 0..2*lanes) (+)= packed a panel times packed b panel, over kc. */
    private void kernel(int kc, float[] ap, int ai, float[] bp, int bi, MemorySegment c, long co, long ldc, boolean load, int mr, int nr) {
        VectorSpecies<Float> s = species;
        int l = lanes;
        FloatVector zero = FloatVector.fromArray(s, zeros, 0);
        FloatVector c00 = zero; FloatVector c01 = zero;
        FloatVector c10 = zero; FloatVector c11 = zero;
        FloatVector c20 = zero; FloatVector c21 = zero;
        FloatVector c30 = zero; FloatVector c31 = zero;
        FloatVector c40 = zero; FloatVector c41 = zero;
        FloatVector c50 = zero; FloatVector c51 = zero;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(s, bp, bi);
            FloatVector b1 = FloatVector.fromArray(s, bp, bi + l);
            FloatVector a0 = b0.broadcast(ap[ai + 0]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = b0.broadcast(ap[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = b0.broadcast(ap[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = b0.broadcast(ap[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = b0.broadcast(ap[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = b0.broadcast(ap[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            ai += 6;
            bi += 2 * l;
        }
        if (mr == 6 && nr == 2 * l) {
            long r0 = (co + 0 * ldc) * Float.BYTES;
            long r1 = (co + 1 * ldc) * Float.BYTES;
            long r2 = (co + 2 * ldc) * Float.BYTES;
            long r3 = (co + 3 * ldc) * Float.BYTES;
            long r4 = (co + 4 * ldc) * Float.BYTES;
            long r5 = (co + 5 * ldc) * Float.BYTES;
            long step = (long) l * Float.BYTES;
            if (load) {
                c00 = c00.add(FloatVector.fromMemorySegment(s, c, r0, ORDER));
                c01 = c01.add(FloatVector.fromMemorySegment(s, c, r0 + step, ORDER));
                c10 = c10.add(FloatVector.fromMemorySegment(s, c, r1, ORDER));
                c11 = c11.add(FloatVector.fromMemorySegment(s, c, r1 + step, ORDER));
                c20 = c20.add(FloatVector.fromMemorySegment(s, c, r2, ORDER));
                c21 = c21.add(FloatVector.fromMemorySegment(s, c, r2 + step, ORDER));
                c30 = c30.add(FloatVector.fromMemorySegment(s, c, r3, ORDER));
                c31 = c31.add(FloatVector.fromMemorySegment(s, c, r3 + step, ORDER));
                c40 = c40.add(FloatVector.fromMemorySegment(s, c, r4, ORDER));
                c41 = c41.add(FloatVector.fromMemorySegment(s, c, r4 + step, ORDER));
                c50 = c50.add(FloatVector.fromMemorySegment(s, c, r5, ORDER));
                c51 = c51.add(FloatVector.fromMemorySegment(s, c, r5 + step, ORDER));
            }
            c00.intoMemorySegment(c, r0, ORDER);
            c01.intoMemorySegment(c, r0 + step, ORDER);
            c10.intoMemorySegment(c, r1, ORDER);
            c11.intoMemorySegment(c, r1 + step, ORDER);
            c20.intoMemorySegment(c, r2, ORDER);
            c21.intoMemorySegment(c, r2 + step, ORDER);
            c30.intoMemorySegment(c, r3, ORDER);
            c31.intoMemorySegment(c, r3 + step, ORDER);
            c40.intoMemorySegment(c, r4, ORDER);
            c41.intoMemorySegment(c, r4 + step, ORDER);
            c50.intoMemorySegment(c, r5, ORDER);
            c51.intoMemorySegment(c, r5 + step, ORDER);
            return;
        }
        float[] t = tile.get();
        int w = 2 * l;
        c00.intoArray(t, 0 * w );
        c01.intoArray(t, 0 * w + l);
        c10.intoArray(t, 1 * w );
        c11.intoArray(t, 1 * w + l);
        c20.intoArray(t, 2 * w );
        c21.intoArray(t, 2 * w + l);
        c30.intoArray(t, 3 * w );
        c31.intoArray(t, 3 * w + l);
        c40.intoArray(t, 4 * w );
        c41.intoArray(t, 4 * w + l);
        c50.intoArray(t, 5 * w );
        c51.intoArray(t, 5 * w + l);
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                long at = co + i * ldc + j;
                c.setAtIndex(FLOAT, at, load ? c.getAtIndex(FLOAT, at) + t[i * w + j] : t[i * w + j]);
            }
        }
    }

}
