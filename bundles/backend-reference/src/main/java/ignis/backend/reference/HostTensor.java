package ignis.backend.reference;

import ignis.tensor.DType;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A {@link TensorView} over host memory, with element reads and writes that convert between the
 * view's dtype and Java's {@code long}, {@code double} and {@code boolean}. Kernels locate an element
 * with {@link #offsetOf} and then read or write it at that element offset.
 *
 * <p>The conversions are those of PyTorch's {@code tensor.to(dtype)}, in one place for every kernel:
 * <ul>
 * <li>to bool: non-zero is true (so NaN is true); from bool: 0 or 1. A bool byte other than 0 reads as true.</li>
 * <li>float to integer: truncation toward zero by Java's {@code (int)} and {@code (long)} casts, so NaN
 *     becomes 0 and values out of range saturate to the type's bounds. (C++, and so PyTorch, leaves
 *     those cases undefined; on x86 it gives the smallest value of the type.)</li>
 * <li>integer to integer: two's complement wrap-around (int64 to int32 keeps the low 32 bits).</li>
 * <li>integer to float: rounded once, to nearest even, directly from the 64-bit value.</li>
 * <li>to float16 and bfloat16: through float32 first, as PyTorch's {@code c10::Half} and
 *     {@code c10::BFloat16} are constructed from a float; see {@link HalfFloats}.</li>
 * </ul>
 * Memory is little-endian, as {@link HostStorage} specifies, whatever the platform's order.
 */
final class HostTensor {

    private static final ValueLayout.OfByte INT8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort INT16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong INT64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble FLOAT64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TensorView view;
    private final MemorySegment memory;

    HostTensor(TensorView view) {
        if (!(view.storage() instanceof HostStorage host)) {
            throw new IllegalArgumentException("the reference backend computes on host memory only, but " + view
                    + " has storage " + view.storage().getClass().getName());
        }
        this.view = view;
        this.memory = host.segment();
    }

    DType dtype() {
        return view.dtype();
    }

    boolean isFloatingPoint() {
        return view.dtype().isFloatingPoint();
    }

    int rank() {
        return view.rank();
    }

    long[] shape() {
        return view.shape();
    }

    long size(int axis) {
        return view.shape()[axis];
    }

    long stride(int axis) {
        return view.strides()[axis];
    }

    /** The element offset of a multi-index: {@code offset + sum(index[d] * strides[d])}. */
    long offsetOf(long[] index) {
        return view.offsetOf(index);
    }

    /** The element's raw bits, zero-extended to 64. */
    long readBits(long element) {
        long at = byteOffset(element);
        return switch (dtype().byteSize()) {
            case 1 -> memory.get(INT8, at) & 0xFFL;
            case 2 -> memory.get(INT16, at) & 0xFFFFL;
            case 4 -> memory.get(INT32, at) & 0xFFFFFFFFL;
            default -> memory.get(INT64, at);
        };
    }

    /** Stores the low {@code dtype().byteSize()} bytes of {@code bits} as the element's raw bits. */
    void writeBits(long element, long bits) {
        long at = byteOffset(element);
        switch (dtype().byteSize()) {
            case 1 -> memory.set(INT8, at, (byte) bits);
            case 2 -> memory.set(INT16, at, (short) bits);
            case 4 -> memory.set(INT32, at, (int) bits);
            default -> memory.set(INT64, at, bits);
        }
    }

    /** The element as a double: exact for every dtype except int64 beyond 2^53, which rounds. */
    double readDouble(long element) {
        long at = byteOffset(element);
        return switch (dtype()) {
            case BOOL -> memory.get(INT8, at) != 0 ? 1 : 0;
            case INT32 -> memory.get(INT32, at);
            case INT64 -> memory.get(INT64, at);
            case FLOAT16 -> Float.float16ToFloat(memory.get(INT16, at));
            case BFLOAT16 -> ElementMath.bfloat16ToFloat(memory.get(INT16, at));
            case FLOAT32 -> memory.get(FLOAT32, at);
            case FLOAT64 -> memory.get(FLOAT64, at);
        };
    }

    /** The element as a long: exact for bool and the integers; floats truncate toward zero. */
    long readLong(long element) {
        long at = byteOffset(element);
        return switch (dtype()) {
            case BOOL -> memory.get(INT8, at) != 0 ? 1 : 0;
            case INT32 -> memory.get(INT32, at);
            case INT64 -> memory.get(INT64, at);
            case FLOAT16, BFLOAT16, FLOAT32, FLOAT64 -> (long) readDouble(element);
        };
    }

    /** Whether the element is non-zero; NaN is non-zero. */
    boolean readBoolean(long element) {
        if (isFloatingPoint()) {
            return readDouble(element) != 0;
        }
        return readLong(element) != 0;
    }

    /** Stores a double, rounded or cast to the dtype. */
    void writeDouble(long element, double value) {
        long at = byteOffset(element);
        switch (dtype()) {
            case BOOL -> memory.set(INT8, at, value != 0 ? (byte) 1 : (byte) 0);
            case INT32 -> memory.set(INT32, at, (int) value);
            case INT64 -> memory.set(INT64, at, (long) value);
            case FLOAT16 -> memory.set(INT16, at, Float.floatToFloat16((float) value));
            case BFLOAT16 -> memory.set(INT16, at, ElementMath.floatToBfloat16((float) value));
            case FLOAT32 -> memory.set(FLOAT32, at, (float) value);
            case FLOAT64 -> memory.set(FLOAT64, at, value);
        }
    }

    /** Stores a long, wrapped or rounded to the dtype. */
    void writeLong(long element, long value) {
        long at = byteOffset(element);
        switch (dtype()) {
            case BOOL -> memory.set(INT8, at, value != 0 ? (byte) 1 : (byte) 0);
            case INT32 -> memory.set(INT32, at, (int) value);
            case INT64 -> memory.set(INT64, at, value);
            case FLOAT16 -> memory.set(INT16, at, Float.floatToFloat16((float) value));
            case BFLOAT16 -> memory.set(INT16, at, ElementMath.floatToBfloat16((float) value));
            case FLOAT32 -> memory.set(FLOAT32, at, (float) value);
            case FLOAT64 -> memory.set(FLOAT64, at, (double) value);
        }
    }

    /** Stores true as 1 and false as 0, in any dtype. */
    void writeBoolean(long element, boolean value) {
        writeLong(element, value ? 1 : 0);
    }

    private long byteOffset(long element) {
        return element * dtype().byteSize();
    }

    @Override
    public String toString() {
        return view.toString();
    }
}
