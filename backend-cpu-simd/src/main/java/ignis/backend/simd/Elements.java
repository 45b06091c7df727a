package ignis.backend.simd;

import ignis.tensor.DType;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element reads and writes on host memory, by element index (in units of the dtype), with the
 * conversions of PyTorch's {@code tensor.to(dtype)} that the reference backend specifies:
 * <ul>
 * <li>to bool: non-zero is true (NaN too); a bool byte other than 0 reads as true, 1.</li>
 * <li>float to integer: Java's casts, truncating toward zero (NaN to 0, out of range saturating;
 *     PyTorch leaves those undefined).</li>
 * <li>integer to integer: two's complement wrap-around; integer to float: rounded once from the long.</li>
 * <li>to float16 and bfloat16: through float32, as PyTorch's constructors from float.</li>
 * </ul>
 * The typed loops of the kernels use the layouts directly; these per-element switches serve the
 * general paths (mixed dtypes, bool, the 16-bit floats).
 */
final class Elements {

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ORDER);

    /** Elements per gathered chunk: strided operands are copied into per-thread buffers this long. */
    static final int GATHER_CHUNK = 512;

    /**
     * Per thread, three buffers of {@link #GATHER_CHUNK} doubles (at byte offsets 0, {@link #GATHER_BYTES}
     * and twice that): a strided run's operands are gathered there in chunks so that the vector loops,
     * written for stride 1, compute them, and a strided output is scattered from there.
     */
    private static final ThreadLocal<MemorySegment> GATHER = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(3L * GATHER_CHUNK * Double.BYTES, 64));

    static final long GATHER_BYTES = (long) GATHER_CHUNK * Double.BYTES;

    private Elements() {
    }

    /** This thread's gather buffers (see {@link #GATHER_CHUNK}). */
    static MemorySegment gatherBuffers() {
        return GATHER.get();
    }

    /** Whether {@code view} lays out {@code shape} densely in row-major order (sizes of 1 may have any stride). */
    static boolean contiguous(long[] shape, TensorView view) {
        long[] strides = view.strides();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * How many row-major elements of {@code shape} a view holds before it repeats them: the size of its trailing
     * dimensions that it lays out densely, where every dimension before them has stride 0 (a broadcast). The whole
     * shape's size for a dense view, 1 for one value repeated, 0 when the view is laid out any other way.
     */
    static long repeatedRow(long[] shape, TensorView view) {
        long[] strides = view.strides();
        long row = 1;
        int d = shape.length - 1;
        for (; d >= 0 && (shape[d] == 1 || strides[d] == row); d--) {
            row *= shape[d];
        }
        for (; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != 0) {
                return 0;
            }
        }
        return row;
    }

    /** The number of elements of a shape. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Copies {@code n} float32 elements from {@code x} at element offset {@code xo} with stride {@code xs} to {@code buffer} at byte {@code at}. */
    static void gatherFloats(MemorySegment x, long xo, long xs, MemorySegment buffer, long at, int n) {
        for (int i = 0; i < n; i++) {
            buffer.set(FLOAT, at + (long) i * Float.BYTES, x.getAtIndex(FLOAT, xo + i * xs));
        }
    }

    static void scatterFloats(MemorySegment buffer, long at, MemorySegment o, long oo, long os, int n) {
        for (int i = 0; i < n; i++) {
            o.setAtIndex(FLOAT, oo + i * os, buffer.get(FLOAT, at + (long) i * Float.BYTES));
        }
    }

    static void gatherDoubles(MemorySegment x, long xo, long xs, MemorySegment buffer, long at, int n) {
        for (int i = 0; i < n; i++) {
            buffer.set(DOUBLE, at + (long) i * Double.BYTES, x.getAtIndex(DOUBLE, xo + i * xs));
        }
    }

    static void scatterDoubles(MemorySegment buffer, long at, MemorySegment o, long oo, long os, int n) {
        for (int i = 0; i < n; i++) {
            o.setAtIndex(DOUBLE, oo + i * os, buffer.get(DOUBLE, at + (long) i * Double.BYTES));
        }
    }

    /** The host memory of a view. */
    static MemorySegment segment(TensorView view) {
        if (view.storage() instanceof HostStorage host) {
            return host.segment();
        }
        throw new IllegalArgumentException("the cpu-simd backend computes on host memory only, but " + view
                + " has storage " + view.storage().getClass().getName());
    }

    /** The raw bits of element {@code i}, zero-extended. */
    static long readBits(MemorySegment m, DType t, long i) {
        return switch (t.byteSize()) {
            case 1 -> m.get(BYTE, i) & 0xFFL;
            case 2 -> m.getAtIndex(SHORT, i) & 0xFFFFL;
            case 4 -> m.getAtIndex(INT, i) & 0xFFFFFFFFL;
            default -> m.getAtIndex(LONG, i);
        };
    }

    /** Stores the low {@code t.byteSize()} bytes of {@code bits}. */
    static void writeBits(MemorySegment m, DType t, long i, long bits) {
        switch (t.byteSize()) {
            case 1 -> m.set(BYTE, i, (byte) bits);
            case 2 -> m.setAtIndex(SHORT, i, (short) bits);
            case 4 -> m.setAtIndex(INT, i, (int) bits);
            default -> m.setAtIndex(LONG, i, bits);
        }
    }

    /** The element as a double (exact except int64 beyond 2^53). */
    static double readDouble(MemorySegment m, DType t, long i) {
        return switch (t) {
            case BOOL -> m.get(BYTE, i) != 0 ? 1 : 0;
            case INT32 -> m.getAtIndex(INT, i);
            case INT64 -> m.getAtIndex(LONG, i);
            case FLOAT16 -> Float.float16ToFloat(m.getAtIndex(SHORT, i));
            case BFLOAT16 -> ElementMath.bfloat16ToFloat(m.getAtIndex(SHORT, i));
            case FLOAT32 -> m.getAtIndex(FLOAT, i);
            case FLOAT64 -> m.getAtIndex(DOUBLE, i);
        };
    }

    /** The element as a long: exact for bool and the integers; floats truncate toward zero. */
    static long readLong(MemorySegment m, DType t, long i) {
        return switch (t) {
            case BOOL -> m.get(BYTE, i) != 0 ? 1 : 0;
            case INT32 -> m.getAtIndex(INT, i);
            case INT64 -> m.getAtIndex(LONG, i);
            default -> (long) readDouble(m, t, i);
        };
    }

    /** Whether the element is non-zero (NaN is). */
    static boolean readTruth(MemorySegment m, DType t, long i) {
        return switch (t) {
            case BOOL -> m.get(BYTE, i) != 0;
            case INT32 -> m.getAtIndex(INT, i) != 0;
            case INT64 -> m.getAtIndex(LONG, i) != 0;
            default -> readDouble(m, t, i) != 0;
        };
    }

    /** Stores a double, rounded or cast to the dtype. */
    static void writeDouble(MemorySegment m, DType t, long i, double v) {
        switch (t) {
            case BOOL -> m.set(BYTE, i, v != 0 ? (byte) 1 : (byte) 0);
            case INT32 -> m.setAtIndex(INT, i, (int) v);
            case INT64 -> m.setAtIndex(LONG, i, (long) v);
            case FLOAT16 -> m.setAtIndex(SHORT, i, Float.floatToFloat16((float) v));
            case BFLOAT16 -> m.setAtIndex(SHORT, i, ElementMath.floatToBfloat16((float) v));
            case FLOAT32 -> m.setAtIndex(FLOAT, i, (float) v);
            case FLOAT64 -> m.setAtIndex(DOUBLE, i, v);
        }
    }

    /** Stores a long, wrapped or rounded to the dtype. */
    static void writeLong(MemorySegment m, DType t, long i, long v) {
        switch (t) {
            case BOOL -> m.set(BYTE, i, v != 0 ? (byte) 1 : (byte) 0);
            case INT32 -> m.setAtIndex(INT, i, (int) v);
            case INT64 -> m.setAtIndex(LONG, i, v);
            case FLOAT16 -> m.setAtIndex(SHORT, i, Float.floatToFloat16((float) v));
            case BFLOAT16 -> m.setAtIndex(SHORT, i, ElementMath.floatToBfloat16((float) v));
            case FLOAT32 -> m.setAtIndex(FLOAT, i, (float) v);
            case FLOAT64 -> m.setAtIndex(DOUBLE, i, (double) v);
        }
    }

    /** Stores true as 1 and false as 0, in any dtype. */
    static void writeTruth(MemorySegment m, DType t, long i, boolean v) {
        writeLong(m, t, i, v ? 1 : 0);
    }

    /**
     * Stores {@code lanes} bools (bytes 0 or 1) from the low bits of a vector mask, lane 0 first, at
     * byte offset {@code at}: eight lanes per long store.
     */
    static void writeMaskBits(MemorySegment m, long at, long bits, int lanes) {
        int lane = 0;
        for (; lane + 8 <= lanes; lane += 8) {
            m.set(LONG, at + lane, Long.expand(bits >>> lane, 0x0101010101010101L));
        }
        for (; lane < lanes; lane++) {
            m.set(BYTE, at + lane, (byte) (bits >>> lane & 1));
        }
    }
}
