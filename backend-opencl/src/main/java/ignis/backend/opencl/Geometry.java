package ignis.backend.opencl;

import java.util.Arrays;

/**
 * The {@code geom} struct of the kernels: a shape walked in row-major order and, for up to four
 * operands, an element offset and strides. Dimensions of size 1 are dropped and neighbours that are
 * contiguous for every operand are merged, so that most calls become rank 1 or 2, without changing
 * the row-major order of the elements.
 */
final class Geometry {

    private Geometry() {
    }

    /** The packed struct for {@code shape} and the operands' offsets and strides (null strides: an unused slot). */
    static long[] pack(long[] shape, long[] offsets, long[]... strides) {
        int operands = strides.length;
        int rank = shape.length;
        long[] dims = new long[rank];
        long[][] st = new long[operands][rank];
        int n = 0;
        long numel = 1;
        for (int d = 0; d < rank; d++) {
            numel *= shape[d];
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = n > 0;
            for (int k = 0; k < operands && merge; k++) {
                merge = strides[k][d] * shape[d] == st[k][n - 1];
            }
            if (merge) {
                dims[n - 1] *= shape[d];
                for (int k = 0; k < operands; k++) {
                    st[k][n - 1] = strides[k][d];
                }
            } else {
                dims[n] = shape[d];
                for (int k = 0; k < operands; k++) {
                    st[k][n] = strides[k][d];
                }
                n++;
            }
        }
        if (n > KernelSource.MAX_RANK) {
            throw new UnsupportedOperationException("opencl: a view of shape " + Arrays.toString(shape) + " has " + n
                    + " dimensions that cannot be merged; the kernels take at most " + KernelSource.MAX_RANK);
        }
        long[] g = new long[KernelSource.GEOM_LONGS];
        g[0] = n;
        g[1] = numel;
        System.arraycopy(dims, 0, g, 2, n);
        int off = 2 + KernelSource.MAX_RANK;
        for (int k = 0; k < operands; k++) {
            g[off + k] = offsets[k];
            System.arraycopy(st[k], 0, g, off + KernelSource.SLOTS + k * KernelSource.MAX_RANK, n);
        }
        return g;
    }
}
