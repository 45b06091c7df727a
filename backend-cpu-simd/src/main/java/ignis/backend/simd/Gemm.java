package ignis.backend.simd;

import java.lang.foreign.MemorySegment;

/**
 * General matrix products on host memory, for the kernels of this backend (matmul, convolution):
 * {@code c[cOff + i*ldc + j] = (accumulate ? c[...] : 0) + sum_p a[aOff + i*ars + p*acs] * b[bOff + p*brs + j*bcs]}
 * for {@code i < m, j < n, p < k}. Offsets and strides count elements; any strides of a and b work (a
 * transpose is a swap of its two strides), c is dense along j. Floats accumulate in their own type with
 * fused multiply-adds.
 *
 * <p>The work is done by {@link GemmFloat} and {@link GemmDouble} (packed panels, a register-blocked
 * micro-kernel, cache blocking, the {@link ignis.tensor.spi.ComputePool} for threads). These two entry
 * points compute with this JVM's vector width ({@link VectorSupport#lanes()}: the preferred one, or the
 * one {@code -Dignis.simd.bits} forces); a backend instance with another width (tests run 128 bits)
 * makes its own instances of those classes, as {@link MatmulKernels} does.
 */
final class Gemm {

    /** The float32 product with this JVM's vector width (the CPU's preferred one unless {@code -Dignis.simd.bits} forces another). */
    static final GemmFloat FLOATS = new GemmFloat(VectorSupport.lanes().floats());
    /** The float64 product with this JVM's vector width. */
    static final GemmDouble DOUBLES = new GemmDouble(VectorSupport.lanes().doubles());

    private Gemm() {
    }

    /** {@code c = (accumulate ? c : 0) + a @ b} in float32; see the class comment for the layout. */
    static void sgemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs, long bcs,
            MemorySegment c, long cOff, long ldc, boolean accumulate) {
        FLOATS.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }

    /** {@code c = (accumulate ? c : 0) + a @ b} in float64; see the class comment for the layout. */
    static void dgemm(int m, int n, int k, MemorySegment a, long aOff, long ars, long acs, MemorySegment b, long bOff, long brs, long bcs,
            MemorySegment c, long cOff, long ldc, boolean accumulate) {
        DOUBLES.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
    }
}
