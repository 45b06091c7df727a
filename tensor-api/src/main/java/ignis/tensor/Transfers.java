package ignis.tensor;

import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostCopy;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Copies: between dtypes, devices, tensors, and Java arrays. */
final class Transfers {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Transfers() {
    }

    /** A new contiguous copy on the same device. */
    static Tensor copyOf(Tensor t) {
        return convert(t, t.dtype);
    }

    /** {@code t} in {@code dtype}: a converted copy, or an alias when it has that dtype already. */
    static Tensor cast(Tensor t, DType dtype) {
        return t.dtype == dtype ? Views.alias(t) : convert(t, dtype);
    }

    /** {@code t} in {@code dtype}, taking ownership of t: it is returned as it is, or closed once converted. */
    static Tensor castConsuming(Tensor t, DType dtype) {
        if (t.dtype == dtype) {
            return t;
        }
        try (t) {
            return convert(t, dtype);
        }
    }

    private static Tensor convert(Tensor t, DType dtype) {
        TensorView src = t.kernelView();
        return Creation.computed(t.shape, dtype, t.device(), out -> t.backend().copy(out, src));
    }

    static Tensor toDevice(Tensor t, Device target) {
        Device source = t.device();
        if (source.equals(target)) {
            return Views.alias(t);
        }
        if (!source.equals(Device.CPU) && !target.equals(Device.CPU)) {
            try (Tensor host = toDevice(t, Device.CPU)) {
                return toDevice(host, target);
            }
        }
        TensorView src = t.kernelView();
        return Creation.computed(t.shape, t.dtype, target, out -> {
            if (target.equals(Device.CPU)) {
                DeviceBackend backend = Creation.deviceBackend(source);
                backend.copyToHost(out, src);
                backend.synchronize();
            } else {
                Creation.deviceBackend(target).copyFromHost(out, src);
            }
        });
    }

    /** {@code dst = src}, broadcasting src to dst's shape and converting its dtype and device; in place. */
    static Tensor copyInto(Tensor dst, Tensor src) {
        Elementwise.requireWritable(dst, "copy_");
        src.live();
        Shape target = dst.shape;
        if (!Shape.broadcast(target, src.shape).equals(target)) {
            throw new IllegalArgumentException("copy_: source of shape " + src.shape + " cannot be broadcast to the destination shape " + target);
        }
        if (dst.numel() > 0) {
            try (Tensor onDevice = toDevice(src, dst.device());
                 Tensor separate = onDevice.sharesMemoryWith(dst) && !sameView(onDevice, dst) ? onDevice.clone() : Views.alias(onDevice);
                 Tensor expanded = separate.expand(target.toArray())) {
                dst.backend().copy(dst.kernelView(), expanded.kernelView());
            }
        }
        dst.storage.bumpVersion();
        return dst;
    }

    static boolean sameView(Tensor a, Tensor b) {
        return a.storage == b.storage && a.offset == b.offset && a.shape.equals(b.shape)
                && java.util.Arrays.equals(a.strides, b.strides);
    }

    /** A contiguous host tensor with t's values in dtype, ready to be read as a Java array (not called for empty tensors). */
    private static Tensor hostContiguous(Tensor t, DType dtype) {
        try (Tensor host = toDevice(t, Device.CPU)) {
            return host.dtype == dtype && host.isContiguous() ? Views.alias(host) : convert(host, dtype);
        }
    }

    private static MemorySegment segment(Tensor host) {
        return ((HostStorage) host.storage.current()).segment();
    }

    static float[] toFloatArray(Tensor t) {
        if (t.numel() == 0) {
            return new float[0];
        }
        try (Tensor host = hostContiguous(t, DType.FLOAT32)) {
            float[] out = new float[Math.toIntExact(t.numel())];
            copyOut(segment(host), FLOAT, host.offset, out, out.length);
            return out;
        }
    }

    static double[] toDoubleArray(Tensor t) {
        if (t.numel() == 0) {
            return new double[0];
        }
        try (Tensor host = hostContiguous(t, DType.FLOAT64)) {
            double[] out = new double[Math.toIntExact(t.numel())];
            copyOut(segment(host), DOUBLE, host.offset, out, out.length);
            return out;
        }
    }

    static int[] toIntArray(Tensor t) {
        if (t.numel() == 0) {
            return new int[0];
        }
        try (Tensor host = hostContiguous(t, DType.INT32)) {
            int[] out = new int[Math.toIntExact(t.numel())];
            copyOut(segment(host), INT, host.offset, out, out.length);
            return out;
        }
    }

    static long[] toLongArray(Tensor t) {
        if (t.numel() == 0) {
            return new long[0];
        }
        try (Tensor host = hostContiguous(t, DType.INT64)) {
            long[] out = new long[Math.toIntExact(t.numel())];
            copyOut(segment(host), LONG, host.offset, out, out.length);
            return out;
        }
    }

    static boolean[] toBooleanArray(Tensor t) {
        if (t.numel() == 0) {
            return new boolean[0];
        }
        try (Tensor host = hostContiguous(t, DType.BOOL)) {
            boolean[] out = new boolean[Math.toIntExact(t.numel())];
            MemorySegment segment = segment(host);
            for (int i = 0; i < out.length; i++) {
                out[i] = segment.get(ValueLayout.JAVA_BYTE, host.offset + i) != 0;
            }
            return out;
        }
    }

    /**
     * Copies {@code length} elements of {@code array} to the start of {@code segment}, in pieces as {@link HostCopy} does: a
     * collection requested while {@code Tensors.of} copied Fashion-MNIST's training images (188 MB) in one piece waited
     * 390-410 ms for it; in pieces, under 0.2 ms.
     */
    private static void copyIn(Object array, MemorySegment segment, ValueLayout layout, int length) {
        int chunk = (int) (HostCopy.PIECE_BYTES / layout.byteSize());
        for (long i = 0; i < length; i += chunk) {
            MemorySegment.copy(array, (int) i, segment, layout, i * layout.byteSize(), (int) Math.min(chunk, length - i));
        }
    }

    /** Copies {@code length} elements from element {@code offset} of {@code segment} to {@code array}, in pieces. */
    private static void copyOut(MemorySegment segment, ValueLayout layout, long offset, Object array, int length) {
        int chunk = (int) (HostCopy.PIECE_BYTES / layout.byteSize());
        for (long i = 0; i < length; i += chunk) {
            MemorySegment.copy(segment, layout, (offset + i) * layout.byteSize(), array, (int) i, (int) Math.min(chunk, length - i));
        }
    }

    /** A host tensor holding a copy of a Java array, in the array's own dtype. */
    static Tensor fromArray(Object array, DType dtype, Shape shape) {
        Tensor out = Creation.empty(shape, dtype, Device.CPU);
        MemorySegment segment = segment(out);
        switch (array) {
            case float[] a -> copyIn(a, segment, FLOAT, a.length);
            case double[] a -> copyIn(a, segment, DOUBLE, a.length);
            case int[] a -> copyIn(a, segment, INT, a.length);
            case long[] a -> copyIn(a, segment, LONG, a.length);
            case boolean[] a -> {
                for (int i = 0; i < a.length; i++) {
                    segment.set(ValueLayout.JAVA_BYTE, i, (byte) (a[i] ? 1 : 0));
                }
            }
            default -> throw new IllegalArgumentException("cannot make a tensor from a " + array.getClass().getSimpleName());
        }
        return out;
    }
}
