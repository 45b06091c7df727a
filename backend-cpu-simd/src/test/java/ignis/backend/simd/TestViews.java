package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * Views over test-owned host memory. Every storage is filled with the byte {@link #SENTINEL} before
 * values are written, and {@link #assertOnlyViewWritten} checks that a kernel left everything outside
 * its output view alone. Values are read and written here with plain layouts, independently of the
 * backend's own accessors.
 */
final class TestViews {

    static final byte SENTINEL = 0x5A;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TestViews() {
    }

    /** Host memory owned by a test: an automatic arena's segment. */
    record Memory(MemorySegment segment) implements HostStorage {

        static Memory of(long bytes) {
            MemorySegment s = Arena.ofAuto().allocate(Math.max(bytes, 1), 64);
            s.fill(SENTINEL);
            return new Memory(s);
        }

        @Override
        public void release() {
        }
    }

    /** A view at {@code offset} with {@code strides}, in fresh storage with 5 spare elements after its span. */
    static TensorView view(DType type, long[] shape, long[] strides, long offset) {
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            last += Math.max(shape[d] - 1, 0) * strides[d];
        }
        return new TensorView(Memory.of((last + 6) * type.byteSize()), type, offset, shape, strides);
    }

    /** A row-major view at {@code offset}. */
    static TensorView dense(DType type, long offset, long... shape) {
        return view(type, shape, rowMajor(shape, 1), offset);
    }

    /** A view whose innermost dim has stride {@code step} and each outer dim the span of the inner ones plus 1. */
    static TensorView stepped(DType type, long offset, long step, long... shape) {
        return view(type, shape, rowMajor(shape, step), offset);
    }

    /** A view that repeats one element (every stride 0). */
    static TensorView broadcast(DType type, long offset, long... shape) {
        return view(type, shape, new long[shape.length], offset);
    }

    /** Another view of the same storage, as an in-place op gets it. */
    static TensorView same(TensorView v) {
        return new TensorView(v.storage(), v.dtype(), v.offset(), v.shape(), v.strides());
    }

    private static long[] rowMajor(long[] shape, long step) {
        long[] strides = new long[shape.length];
        long s = step;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s = s * shape[d] + (step == 1 ? 0 : 1);
        }
        return strides;
    }

    static long numel(TensorView v) {
        return v.numel();
    }

    /** The storage offset of the element at row-major position {@code i}. */
    static long at(TensorView v, long i) {
        long[] shape = v.shape();
        long at = v.offset();
        for (int d = shape.length - 1; d >= 0; d--) {
            long size = shape[d];
            at += (i % size) * v.strides()[d];
            i /= size;
        }
        return at;
    }

    static MemorySegment memory(TensorView v) {
        return ((HostStorage) v.storage()).segment();
    }

    static void set(TensorView v, long i, double x) {
        MemorySegment m = memory(v);
        long at = at(v, i);
        switch (v.dtype()) {
            case FLOAT32 -> m.setAtIndex(FLOAT, at, (float) x);
            case FLOAT64 -> m.setAtIndex(DOUBLE, at, x);
            case INT32 -> m.setAtIndex(INT, at, (int) x);
            case INT64 -> m.setAtIndex(LONG, at, (long) x);
            case BOOL -> m.set(ValueLayout.JAVA_BYTE, at, x != 0 ? (byte) 1 : 0);
            default -> throw new IllegalArgumentException(v.dtype().toString());
        }
    }

    static void setLong(TensorView v, long i, long x) {
        MemorySegment m = memory(v);
        long at = at(v, i);
        switch (v.dtype()) {
            case INT32 -> m.setAtIndex(INT, at, (int) x);
            case INT64 -> m.setAtIndex(LONG, at, x);
            case BOOL -> m.set(ValueLayout.JAVA_BYTE, at, (byte) x);
            default -> set(v, i, x);
        }
    }

    static double get(TensorView v, long i) {
        MemorySegment m = memory(v);
        long at = at(v, i);
        return switch (v.dtype()) {
            case FLOAT32 -> m.getAtIndex(FLOAT, at);
            case FLOAT64 -> m.getAtIndex(DOUBLE, at);
            case INT32 -> m.getAtIndex(INT, at);
            case INT64 -> m.getAtIndex(LONG, at);
            case BOOL -> m.get(ValueLayout.JAVA_BYTE, at);
            default -> throw new IllegalArgumentException(v.dtype().toString());
        };
    }

    static long getLong(TensorView v, long i) {
        MemorySegment m = memory(v);
        long at = at(v, i);
        return switch (v.dtype()) {
            case INT32 -> m.getAtIndex(INT, at);
            case INT64 -> m.getAtIndex(LONG, at);
            case BOOL -> m.get(ValueLayout.JAVA_BYTE, at);
            case FLOAT16, BFLOAT16 -> m.getAtIndex(SHORT, at);
            default -> (long) get(v, i);
        };
    }

    /** Stores the low bytes of {@code bits} as element {@code i}. */
    static void setBits(TensorView v, long i, long bits) {
        MemorySegment m = memory(v);
        long at = at(v, i);
        switch (v.dtype().byteSize()) {
            case 1 -> m.set(ValueLayout.JAVA_BYTE, at, (byte) bits);
            case 2 -> m.setAtIndex(SHORT, at, (short) bits);
            case 4 -> m.setAtIndex(INT, at, (int) bits);
            default -> m.setAtIndex(LONG, at, bits);
        }
    }

    /** The raw bits of element {@code i}, zero-extended. */
    static long bits(TensorView v, long i) {
        MemorySegment m = memory(v);
        long at = at(v, i);
        return switch (v.dtype().byteSize()) {
            case 1 -> m.get(ValueLayout.JAVA_BYTE, at) & 0xFFL;
            case 2 -> m.getAtIndex(SHORT, at) & 0xFFFFL;
            case 4 -> m.getAtIndex(INT, at) & 0xFFFFFFFFL;
            default -> m.getAtIndex(LONG, at);
        };
    }

    /** Every byte of the storage outside the elements of {@code v} still holds the sentinel. */
    static void assertOnlyViewWritten(TensorView v) {
        int size = v.dtype().byteSize();
        Set<Long> inside = new HashSet<>();
        for (long i = 0; i < v.numel(); i++) {
            inside.add(at(v, i));
        }
        MemorySegment m = memory(v);
        for (long b = 0; b < m.byteSize(); b++) {
            if (!inside.contains(b / size)) {
                long offset = b;
                assertEquals(SENTINEL, m.get(ValueLayout.JAVA_BYTE, b), () -> "byte " + offset + " outside " + v + " was written");
            }
        }
    }
}
