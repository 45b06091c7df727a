package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiply on host memory, the BLAS {@code gemm} the convolution kernels call:
 * {@code c[cOff + i*ldc + j] = (accumulate ? c[...] : 0) + sum_p a[aOff + i*ars + p*acs] * b[bOff + p*brs + j*bcs]}
 * for {@code i < m, j < n, p < k}; offsets and strides in elements. It runs on the calling thread.
 *
 * <p>PLACEHOLDER: a simple correct implementation (a 4-row register block along dense rows of b and c,
 * vector dot products where a and b are dense along p, scalar otherwise), to be replaced by the tuned
 * GEMM with the same signature. Callers must depend on nothing but the contract above.
 */
final class Gemm {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private Gemm() {
    }

    static void sgemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs,
                      long bcs, MemorySegment c, long cOff, long ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (bcs == 1) {
            floatRows(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, ldc, accumulate);
        } else if (acs == 1 && brs == 1) {
            floatDots(m, n, k, a, aOff, ars, b, bOff, bcs, c, cOff, ldc, accumulate);
        } else {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    long at = cOff + i * ldc + j;
                    float sum = accumulate ? c.getAtIndex(FLOAT, at) : 0f;
                    for (int p = 0; p < k; p++) {
                        sum = Math.fma(a.getAtIndex(FLOAT, aOff + i * ars + p * acs), b.getAtIndex(FLOAT, bOff + p * brs + j * bcs), sum);
                    }
                    c.setAtIndex(FLOAT, at, sum);
                }
            }
        }
    }

    /** b and c dense along j: four rows of c at a time, one vector of columns, an accumulator per row. */
    private static void floatRows(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff,
                                  long brs, MemorySegment c, long cOff, long ldc, boolean accumulate) {
        VectorSpecies<Float> s = FLOATS;
        int step = s.length();
        FloatVector zero = FloatVector.zero(s);
        int jv = n - n % step;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            long a0 = aOff + i * ars;
            long a1 = a0 + ars;
            long a2 = a1 + ars;
            long a3 = a2 + ars;
            long c0at = cOff + i * ldc;
            for (int j = 0; j < jv; j += step) {
                FloatVector c0 = accumulate ? FloatVector.fromMemorySegment(s, c, (c0at + j) * Float.BYTES, ORDER) : zero;
                FloatVector c1 = accumulate ? FloatVector.fromMemorySegment(s, c, (c0at + ldc + j) * Float.BYTES, ORDER) : zero;
                FloatVector c2 = accumulate ? FloatVector.fromMemorySegment(s, c, (c0at + 2 * ldc + j) * Float.BYTES, ORDER) : zero;
                FloatVector c3 = accumulate ? FloatVector.fromMemorySegment(s, c, (c0at + 3 * ldc + j) * Float.BYTES, ORDER) : zero;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromMemorySegment(s, b, (bOff + p * brs + j) * Float.BYTES, ORDER);
                    long pa = p * acs;
                    c0 = bv.fma(bv.broadcast(a.getAtIndex(FLOAT, a0 + pa)), c0);
                    c1 = bv.fma(bv.broadcast(a.getAtIndex(FLOAT, a1 + pa)), c1);
                    c2 = bv.fma(bv.broadcast(a.getAtIndex(FLOAT, a2 + pa)), c2);
                    c3 = bv.fma(bv.broadcast(a.getAtIndex(FLOAT, a3 + pa)), c3);
                }
                c0.intoMemorySegment(c, (c0at + j) * Float.BYTES, ORDER);
                c1.intoMemorySegment(c, (c0at + ldc + j) * Float.BYTES, ORDER);
                c2.intoMemorySegment(c, (c0at + 2 * ldc + j) * Float.BYTES, ORDER);
                c3.intoMemorySegment(c, (c0at + 3 * ldc + j) * Float.BYTES, ORDER);
            }
        }
        for (; i < m; i++) {
            long ai = aOff + i * ars;
            long ci = cOff + i * ldc;
            for (int j = 0; j < jv; j += step) {
                FloatVector c0 = accumulate ? FloatVector.fromMemorySegment(s, c, (ci + j) * Float.BYTES, ORDER) : zero;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromMemorySegment(s, b, (bOff + p * brs + j) * Float.BYTES, ORDER);
                    c0 = bv.fma(bv.broadcast(a.getAtIndex(FLOAT, ai + p * acs)), c0);
                }
                c0.intoMemorySegment(c, (ci + j) * Float.BYTES, ORDER);
            }
        }
        for (i = 0; i < m; i++) {
            for (int j = jv; j < n; j++) {
                long at = cOff + i * ldc + j;
                float sum = accumulate ? c.getAtIndex(FLOAT, at) : 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a.getAtIndex(FLOAT, aOff + i * ars + p * acs), b.getAtIndex(FLOAT, bOff + p * brs + j), sum);
                }
                c.setAtIndex(FLOAT, at, sum);
            }
        }
    }

    /** a and b dense along p: vector dot products, four columns of c at a time sharing a's vector. */
    private static void floatDots(int m, int n, int k, MemorySegment a, long aOff, long ars, MemorySegment b, long bOff, long bcs,
                                  MemorySegment c, long cOff, long ldc, boolean accumulate) {
        VectorSpecies<Float> s = FLOATS;
        int step = s.length();
        FloatVector zero = FloatVector.zero(s);
        int pv = k - k % step;
        for (int i = 0; i < m; i++) {
            long ai = aOff + i * ars;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                long b0 = bOff + j * bcs;
                long b1 = b0 + bcs;
                long b2 = b1 + bcs;
                long b3 = b2 + bcs;
                FloatVector s0 = zero;
                FloatVector s1 = zero;
                FloatVector s2 = zero;
                FloatVector s3 = zero;
                for (int p = 0; p < pv; p += step) {
                    FloatVector av = FloatVector.fromMemorySegment(s, a, (ai + p) * Float.BYTES, ORDER);
                    s0 = av.fma(FloatVector.fromMemorySegment(s, b, (b0 + p) * Float.BYTES, ORDER), s0);
                    s1 = av.fma(FloatVector.fromMemorySegment(s, b, (b1 + p) * Float.BYTES, ORDER), s1);
                    s2 = av.fma(FloatVector.fromMemorySegment(s, b, (b2 + p) * Float.BYTES, ORDER), s2);
                    s3 = av.fma(FloatVector.fromMemorySegment(s, b, (b3 + p) * Float.BYTES, ORDER), s3);
                }
                floatDotTail(a, ai, b, b0, pv, k, s0.reduceLanes(VectorOperators.ADD), c, cOff + i * ldc + j, accumulate);
                floatDotTail(a, ai, b, b1, pv, k, s1.reduceLanes(VectorOperators.ADD), c, cOff + i * ldc + j + 1, accumulate);
                floatDotTail(a, ai, b, b2, pv, k, s2.reduceLanes(VectorOperators.ADD), c, cOff + i * ldc + j + 2, accumulate);
                floatDotTail(a, ai, b, b3, pv, k, s3.reduceLanes(VectorOperators.ADD), c, cOff + i * ldc + j + 3, accumulate);
            }
            for (; j < n; j++) {
                long bj = bOff + j * bcs;
                FloatVector s0 = zero;
                for (int p = 0; p < pv; p += step) {
                    s0 = FloatVector.fromMemorySegment(s, a, (ai + p) * Float.BYTES, ORDER)
                            .fma(FloatVector.fromMemorySegment(s, b, (bj + p) * Float.BYTES, ORDER), s0);
                }
                floatDotTail(a, ai, b, bj, pv, k, s0.reduceLanes(VectorOperators.ADD), c, cOff + i * ldc + j, accumulate);
            }
        }
    }

    private static void floatDotTail(MemorySegment a, long ai, MemorySegment b, long bj, int from, int k, float sum,
                                     MemorySegment c, long at, boolean accumulate) {
        for (int p = from; p < k; p++) {
            sum = Math.fma(a.getAtIndex(FLOAT, ai + p), b.getAtIndex(FLOAT, bj + p), sum);
        }
        c.setAtIndex(FLOAT, at, accumulate ? c.getAtIndex(FLOAT, at) + sum : sum);
    }

    static void dgemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs,
                      long bcs, MemorySegment c, long cOff, long ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (bcs == 1) {
            doubleRows(m, n, k, a, aOff, ars, acs, b, bOff, brs, c, cOff, ldc, accumulate);
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long at = cOff + i * ldc + j;
                double sum = accumulate ? c.getAtIndex(DOUBLE, at) : 0d;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a.getAtIndex(DOUBLE, aOff + i * ars + p * acs), b.getAtIndex(DOUBLE, bOff + p * brs + j * bcs), sum);
                }
                c.setAtIndex(DOUBLE, at, sum);
            }
        }
    }

    /** b and c dense along j: one row of c at a time, one vector of columns. */
    private static void doubleRows(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff,
                                   long brs, MemorySegment c, long cOff, long ldc, boolean accumulate) {
        VectorSpecies<Double> s = DOUBLES;
        int step = s.length();
        DoubleVector zero = DoubleVector.zero(s);
        int jv = n - n % step;
        for (int i = 0; i < m; i++) {
            long ai = aOff + i * ars;
            long ci = cOff + i * ldc;
            for (int j = 0; j < jv; j += step) {
                DoubleVector c0 = accumulate ? DoubleVector.fromMemorySegment(s, c, (ci + j) * Double.BYTES, ORDER) : zero;
                for (int p = 0; p < k; p++) {
                    DoubleVector bv = DoubleVector.fromMemorySegment(s, b, (bOff + p * brs + j) * Double.BYTES, ORDER);
                    c0 = bv.fma(bv.broadcast(a.getAtIndex(DOUBLE, ai + p * acs)), c0);
                }
                c0.intoMemorySegment(c, (ci + j) * Double.BYTES, ORDER);
            }
            for (int j = jv; j < n; j++) {
                long at = ci + j;
                double sum = accumulate ? c.getAtIndex(DOUBLE, at) : 0d;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a.getAtIndex(DOUBLE, ai + p * acs), b.getAtIndex(DOUBLE, bOff + p * brs + j), sum);
                }
                c.setAtIndex(DOUBLE, at, sum);
            }
        }
    }
}
