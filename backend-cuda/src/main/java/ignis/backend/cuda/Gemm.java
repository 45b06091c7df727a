package ignis.backend.cuda;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;

/**
 * Maps a row-major batched matmul onto cuBLAS's column-major strided batched GEMM, where the layout
 * allows: float32 or float64, each matrix with a unit stride on one of its two axes, and the batch
 * dims of each operand collapsing to one stride (0 for a broadcast operand). A row-major C = A B is
 * the column-major C^T = B^T A^T, so cuBLAS gets B first; a row-major operand is a transposed
 * column-major one. Anything else runs on the backend's own kernel.
 */
final class Gemm {

    private Gemm() {
    }

    /** One operand as cuBLAS takes it (column-major view of its memory). */
    private record Operand(boolean transposed, long ld, long batchStride) {
    }

    static boolean withBlas(CudaApi api, TensorView out, TensorView a, TensorView b) {
        DType type = out.dtype();
        if (api.blasName() == null || (type != DType.FLOAT32 && type != DType.FLOAT64)) {
            return false;
        }
        int r = out.rank();
        long m = out.shape()[r - 2];
        long n = out.shape()[r - 1];
        long k = a.shape()[r - 1];
        long batches = 1;
        for (int d = 0; d < r - 2; d++) {
            batches *= out.shape()[d];
        }
        if (!fitsInt(m, n, k, batches) || m == 0 || n == 0 || k == 0) {
            return false;
        }
        // C^T (n x m, column-major): unit stride along C's columns, leading dimension C's row stride.
        Operand c = matrix(out, m, n, false);
        Operand bOp = matrix(b, k, n, true);   // B^T in column-major is B row-major: not transposed
        Operand aOp = matrix(a, m, k, true);
        if (c == null || c.transposed() || bOp == null || aOp == null) {
            return false;
        }
        long cBatch = batchStride(out);
        long aBatch = batchStride(a);
        long bBatch = batchStride(b);
        if (cBatch < 0 || aBatch < 0 || bBatch < 0 || batches > 1 && cBatch == 0) {
            return false;
        }
        int size = type.byteSize();
        api.gemm(type == DType.FLOAT64, bOp.transposed(), aOp.transposed(), (int) n, (int) m, (int) k,
                address(b) + b.offset() * size, (int) bOp.ld(), bBatch,
                address(a) + a.offset() * size, (int) aOp.ld(), aBatch,
                address(out) + out.offset() * size, (int) c.ld(), cBatch, (int) batches);
        return true;
    }

    /**
     * A row-major rows x cols matrix seen column-major: not transposed when its columns have unit
     * stride (leading dimension: the row stride, at least cols), transposed when its rows have unit
     * stride (leading dimension: the column stride, at least rows); null when neither.
     */
    private static Operand matrix(TensorView view, long rows, long cols, boolean mayTranspose) {
        int r = view.rank();
        long rowStride = view.strides()[r - 2];
        long colStride = view.strides()[r - 1];
        if (colStride == 1 || cols == 1) {
            long ld = rows == 1 ? cols : rowStride;
            if (ld >= Math.max(1, cols) && ld <= Integer.MAX_VALUE) {
                return new Operand(false, ld, 0);
            }
        }
        if (mayTranspose && (rowStride == 1 || rows == 1)) {
            long ld = cols == 1 ? rows : colStride;
            if (ld >= Math.max(1, rows) && ld <= Integer.MAX_VALUE) {
                return new Operand(true, ld, 0);
            }
        }
        return null;
    }

    /** The one stride between consecutive matrices of the batch, or -1 when the batch dims do not collapse. */
    private static long batchStride(TensorView view) {
        int batchDims = view.rank() - 2;
        long stride = -1;
        long expected = -1;
        for (int d = batchDims - 1; d >= 0; d--) {
            long size = view.shape()[d];
            if (size == 1) {
                continue;
            }
            if (stride < 0) {
                stride = view.strides()[d];
            } else if (view.strides()[d] != expected) {
                return -1;
            }
            expected = view.strides()[d] * size;
        }
        return Math.max(stride, 0);
    }

    private static boolean fitsInt(long... values) {
        for (long v : values) {
            if (v > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static long address(TensorView view) {
        return ((CudaStorage) view.storage()).address();
    }
}
