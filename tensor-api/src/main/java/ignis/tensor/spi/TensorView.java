package ignis.tensor.spi;

import ignis.tensor.DType;
import java.util.Arrays;

/**
 * A tensor as a kernel sees it: element {@code (i0, i1, ...)} is at element offset
 * {@code offset + i0*strides[0] + i1*strides[1] + ...} of the storage, counted in elements of
 * {@code dtype}. Strides may be zero (a broadcast operand) but are never negative. The arrays are
 * not copied: kernels must not modify them.
 */
public record TensorView(Storage storage, DType dtype, long offset, long[] shape, long[] strides) {

    public TensorView {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Whether the elements are dense in row-major order from {@code offset} (sizes of 1 may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The element offset of a multi-index. */
    public long offsetOf(long... index) {
        long at = offset;
        for (int d = 0; d < index.length; d++) {
            at += index[d] * strides[d];
        }
        return at;
    }

    @Override
    public String toString() {
        return "TensorView[" + dtype + " shape " + Arrays.toString(shape) + " strides " + Arrays.toString(strides)
                + " offset " + offset + " on " + storage.device() + "]";
    }
}
