package ignis.backend.reference;

import ignis.tensor.DType;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Test tensors on host memory: builders from Java arrays and readers back into Java arrays, written
 * independently of the backend's own element access (their own layouts, their own index arithmetic).
 * Values are listed and read in row-major order of the view's shape.
 */
final class Tensors {

    private static final ValueLayout.OfShort INT16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong INT64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble FLOAT64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Host memory as tensor-api would hand it to a kernel; freed by the GC (Arena.ofAuto). */
    record TestStorage(MemorySegment segment) implements HostStorage {
        @Override
        public void release() {
        }
    }

    private Tensors() {
    }

    /** Reads as {@code shape(2, 3)}; {@code shape()} is rank 0. */
    static long[] shape(long... sizes) {
        return sizes;
    }

    /** A fresh contiguous tensor, zero-filled. */
    static TensorView zeros(DType dtype, long... shape) {
        long[] strides = new long[shape.length];
        long numel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = numel;
            numel *= shape[d];
        }
        MemorySegment memory = Arena.ofAuto().allocate(Math.max(1, numel * dtype.byteSize()), 64);
        return new TensorView(new TestStorage(memory), dtype, 0, shape.clone(), strides);
    }

    /** The same storage seen with other offset, shape and strides. */
    static TensorView view(TensorView base, long offset, long[] shape, long[] strides) {
        return new TensorView(base.storage(), base.dtype(), offset, shape, strides);
    }

    static TensorView float32(long[] shape, float... values) {
        TensorView view = zeros(DType.FLOAT32, shape);
        check(view, values.length);
        for (int i = 0; i < values.length; i++) {
            segment(view).setAtIndex(FLOAT32, i, values[i]);
        }
        return view;
    }

    static TensorView float64(long[] shape, double... values) {
        TensorView view = zeros(DType.FLOAT64, shape);
        check(view, values.length);
        for (int i = 0; i < values.length; i++) {
            segment(view).setAtIndex(FLOAT64, i, values[i]);
        }
        return view;
    }

    static TensorView int32(long[] shape, int... values) {
        TensorView view = zeros(DType.INT32, shape);
        check(view, values.length);
        for (int i = 0; i < values.length; i++) {
            segment(view).setAtIndex(INT32, i, values[i]);
        }
        return view;
    }

    static TensorView int64(long[] shape, long... values) {
        TensorView view = zeros(DType.INT64, shape);
        check(view, values.length);
        for (int i = 0; i < values.length; i++) {
            segment(view).setAtIndex(INT64, i, values[i]);
        }
        return view;
    }

    static TensorView bool(long[] shape, boolean... values) {
        TensorView view = zeros(DType.BOOL, shape);
        check(view, values.length);
        for (int i = 0; i < values.length; i++) {
            segment(view).set(ValueLayout.JAVA_BYTE, i, values[i] ? (byte) 1 : (byte) 0);
        }
        return view;
    }

    /** A float16 or bfloat16 tensor from raw 16-bit patterns. */
    static TensorView bits16(DType dtype, long[] shape, int... patterns) {
        TensorView view = zeros(dtype, shape);
        check(view, patterns.length);
        for (int i = 0; i < patterns.length; i++) {
            segment(view).setAtIndex(INT16, i, (short) patterns[i]);
        }
        return view;
    }

    /**
     * A contiguous tensor of any dtype holding small exact values (every dtype holds 0..255 and the
     * signed ones -255..-1 exactly; bool holds 0 and 1).
     */
    static TensorView exact(DType dtype, long[] shape, double... values) {
        TensorView view = zeros(dtype, shape);
        check(view, values.length);
        MemorySegment memory = segment(view);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            switch (dtype) {
                case BOOL -> memory.set(ValueLayout.JAVA_BYTE, i, v != 0 ? (byte) 1 : (byte) 0);
                case INT32 -> memory.setAtIndex(INT32, i, (int) v);
                case INT64 -> memory.setAtIndex(INT64, i, (long) v);
                case FLOAT16 -> memory.setAtIndex(INT16, i, Float.floatToFloat16((float) v));
                case BFLOAT16 -> memory.setAtIndex(INT16, i, (short) (Float.floatToRawIntBits((float) v) >>> 16));
                case FLOAT32 -> memory.setAtIndex(FLOAT32, i, (float) v);
                case FLOAT64 -> memory.setAtIndex(FLOAT64, i, v);
            }
        }
        return view;
    }

    static float[] readFloat32(TensorView view) {
        long[] at = offsets(view);
        float[] out = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = segment(view).getAtIndex(FLOAT32, at[i]);
        }
        return out;
    }

    static double[] readFloat64(TensorView view) {
        long[] at = offsets(view);
        double[] out = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = segment(view).getAtIndex(FLOAT64, at[i]);
        }
        return out;
    }

    static int[] readInt32(TensorView view) {
        long[] at = offsets(view);
        int[] out = new int[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = segment(view).getAtIndex(INT32, at[i]);
        }
        return out;
    }

    static long[] readInt64(TensorView view) {
        long[] at = offsets(view);
        long[] out = new long[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = segment(view).getAtIndex(INT64, at[i]);
        }
        return out;
    }

    /** Bool elements as their raw bytes, so that a test sees a 2 where a kernel wrote one. */
    static byte[] readBoolBytes(TensorView view) {
        long[] at = offsets(view);
        byte[] out = new byte[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = segment(view).get(ValueLayout.JAVA_BYTE, at[i]);
        }
        return out;
    }

    /** 16-bit elements as unsigned patterns. */
    static int[] readBits16(TensorView view) {
        long[] at = offsets(view);
        int[] out = new int[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = segment(view).getAtIndex(INT16, at[i]) & 0xFFFF;
        }
        return out;
    }

    /** Any dtype as doubles (exact for the small values {@link #exact} writes). */
    static double[] readExact(TensorView view) {
        long[] at = offsets(view);
        double[] out = new double[at.length];
        MemorySegment memory = segment(view);
        for (int i = 0; i < at.length; i++) {
            long e = at[i];
            out[i] = switch (view.dtype()) {
                case BOOL -> memory.get(ValueLayout.JAVA_BYTE, e) != 0 ? 1 : 0;
                case INT32 -> memory.getAtIndex(INT32, e);
                case INT64 -> memory.getAtIndex(INT64, e);
                case FLOAT16 -> Float.float16ToFloat(memory.getAtIndex(INT16, e));
                case BFLOAT16 -> Float.intBitsToFloat((memory.getAtIndex(INT16, e) & 0xFFFF) << 16);
                case FLOAT32 -> memory.getAtIndex(FLOAT32, e);
                case FLOAT64 -> memory.getAtIndex(FLOAT64, e);
            };
        }
        return out;
    }

    /** Element offsets of the view in row-major order, by division of the linear position (not by a walk). */
    static long[] offsets(TensorView view) {
        int count = Math.toIntExact(view.numel());
        long[] out = new long[count];
        for (int linear = 0; linear < count; linear++) {
            long rest = linear;
            long at = view.offset();
            for (int d = view.rank() - 1; d >= 0; d--) {
                at += rest % view.shape()[d] * view.strides()[d];
                rest /= view.shape()[d];
            }
            out[linear] = at;
        }
        return out;
    }

    static MemorySegment segment(TensorView view) {
        return ((HostStorage) view.storage()).segment();
    }

    private static void check(TensorView view, int count) {
        if (view.numel() != count) {
            throw new IllegalArgumentException(count + " values for " + view);
        }
    }
}
