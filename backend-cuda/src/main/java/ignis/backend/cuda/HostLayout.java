package ignis.backend.cuda;

import ignis.tensor.spi.HostCopy;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;

/**
 * Moves a strided host view to and from a dense run of bytes in row-major order (the staging
 * buffer), element by element or, where the view is contiguous, in one bulk copy (in pieces: see
 * {@link HostCopy}). dtypes are not converted here: conversions run on the device.
 */
final class HostLayout {

    private HostLayout() {
    }

    /** Copies the elements of {@code view} (in {@code host}) densely into {@code dense}. */
    static void pack(MemorySegment host, TensorView view, MemorySegment dense) {
        move(host, view, dense, true);
    }

    /** Copies {@code dense} into the elements of {@code view} (in {@code host}). */
    static void unpack(MemorySegment dense, TensorView view, MemorySegment host) {
        move(host, view, dense, false);
    }

    private static void move(MemorySegment host, TensorView view, MemorySegment dense, boolean toDense) {
        int size = view.dtype().byteSize();
        long n = view.numel();
        if (view.isContiguous()) {
            if (toDense) {
                HostCopy.copy(host, view.offset() * size, dense, 0, n * size);
            } else {
                HostCopy.copy(dense, 0, host, view.offset() * size, n * size);
            }
            return;
        }
        int rank = view.rank();
        long[] shape = view.shape();
        long[] strides = view.strides();
        long[] index = new long[rank];
        long at = view.offset();
        for (long i = 0; i < n; i++) {
            if (toDense) {
                MemorySegment.copy(host, at * size, dense, i * size, size);
            } else {
                MemorySegment.copy(dense, i * size, host, at * size, size);
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    at += strides[d];
                    break;
                }
                at -= (shape[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
    }
}
