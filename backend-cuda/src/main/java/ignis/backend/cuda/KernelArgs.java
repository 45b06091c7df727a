package ignis.backend.cuda;

import ignis.tensor.spi.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one kernel launch, each as the bytes the kernel's parameter has (little-endian,
 * as on every CUDA host): ints, longs, doubles, device addresses and the {@code View} struct of
 * {@code common.cuh}, whose layout {@link #view} writes.
 */
final class KernelArgs {

    /** The largest rank the kernels take ({@code IGNIS_MAX_RANK} in common.cuh). */
    static final int MAX_RANK = 8;

    /** sizeof(View): offset and rank, then shape and strides, all 64-bit. */
    static final int VIEW_BYTES = 8 * (2 + 2 * MAX_RANK);

    private final List<byte[]> params = new ArrayList<>();

    KernelArgs addInt(int value) {
        params.add(buffer(4).putInt(value).array());
        return this;
    }

    KernelArgs addLong(long value) {
        params.add(buffer(8).putLong(value).array());
        return this;
    }

    KernelArgs addDouble(double value) {
        params.add(buffer(8).putDouble(value).array());
        return this;
    }

    /** A device address, passed as a pointer parameter. */
    KernelArgs addPointer(long address) {
        return addLong(address);
    }

    /** A struct of ints (ConvParams, PoolParams), passed by value. */
    KernelArgs addInts(int... values) {
        ByteBuffer b = buffer(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        params.add(b.array());
        return this;
    }

    /** The view's offset, rank, shape and strides as the kernels' View struct. */
    KernelArgs addView(TensorView view) {
        params.add(view(view.offset(), view.shape(), view.strides()));
        return this;
    }

    static byte[] view(long offset, long[] shape, long[] strides) {
        if (shape.length > MAX_RANK) {
            throw new UnsupportedOperationException("the cuda kernels take views of rank up to " + MAX_RANK
                    + ", not " + shape.length + " (shape " + java.util.Arrays.toString(shape) + ")");
        }
        ByteBuffer b = buffer(VIEW_BYTES).putLong(offset).putLong(shape.length);
        for (int d = 0; d < MAX_RANK; d++) {
            b.putLong(d < shape.length ? shape[d] : 1);
        }
        for (int d = 0; d < MAX_RANK; d++) {
            b.putLong(d < strides.length ? strides[d] : 0);
        }
        return b.array();
    }

    List<byte[]> params() {
        return params;
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
