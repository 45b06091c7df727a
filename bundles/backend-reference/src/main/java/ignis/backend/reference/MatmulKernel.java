package ignis.backend.reference;

import ignis.tensor.spi.TensorView;

/**
 * Batched matrix product {@code out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]}. The three views
 * have one rank (at least 2) and one dtype, and the batch dims of a and b are already broadcast to
 * out's (stride 0 where an operand repeats); a transposed operand is just other strides.
 *
 * <p>Floats accumulate in double with a fused multiply-add per term and round once: for float32 each
 * product is exact in double, so the only error before the final rounding is the double sum's. Integers
 * accumulate in long and wrap, which for int32 gives exactly int32's wrap-around arithmetic.
 */
final class MatmulKernel {

    private MatmulKernel() {
    }

    static void matmul(TensorView outView, TensorView aView, TensorView bView) {
        HostTensor out = new HostTensor(outView);
        HostTensor a = new HostTensor(aView);
        HostTensor b = new HostTensor(bView);
        int rank = out.rank();
        int rows = rank - 2;
        int columns = rank - 1;
        long inner = a.size(columns);
        long aStep = a.stride(columns);
        long bStep = b.stride(rows);
        long[] aIndex = new long[rank];
        long[] bIndex = new long[rank];
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long[] index = walk.index();
            // a[..., i, 0] and b[..., 0, j] for out[..., i, j]; k then steps along their strides.
            System.arraycopy(index, 0, aIndex, 0, rank);
            aIndex[columns] = 0;
            System.arraycopy(index, 0, bIndex, 0, rank);
            bIndex[rows] = 0;
            long aStart = a.offsetOf(aIndex);
            long bStart = b.offsetOf(bIndex);
            long to = out.offsetOf(index);
            if (out.isFloatingPoint()) {
                double sum = 0;
                for (long k = 0; k < inner; k++) {
                    sum = Math.fma(a.readDouble(aStart + k * aStep), b.readDouble(bStart + k * bStep), sum);
                }
                out.writeDouble(to, sum);
            } else {
                long sum = 0;
                for (long k = 0; k < inner; k++) {
                    sum += a.readLong(aStart + k * aStep) * b.readLong(bStart + k * bStep);
                }
                out.writeLong(to, sum);
            }
        }
    }
}
