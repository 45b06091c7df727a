package ignis.tensor;

import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.Storage;
import ignis.tensor.internal.HostMemory;
import ignis.tensor.spi.TensorView;
import java.util.function.Consumer;

/** Making tensors: memory for them, and filling it with constants or random draws. */
final class Creation {

    private Creation() {
    }

    /** A contiguous tensor whose elements are undefined. */
    static Tensor empty(Shape shape, DType dtype, Device device) {
        return empty(shape, Views.contiguousStrides(shape.dims()), dtype, device);
    }

    /** A tensor whose elements are undefined, dense with {@code strides} (a permutation of contiguous ones). */
    private static Tensor empty(Shape shape, long[] strides, DType dtype, Device device) {
        long bytes = Math.multiplyExact(shape.numel(), dtype.byteSize());
        DeviceBackend owner = device.equals(Device.CPU) ? null : deviceBackend(device);
        Storage storage = owner == null ? HostMemory.instance().allocate(bytes) : owner.allocate(bytes);
        return new Tensor(new TensorStorage(storage, owner, dtype, DeviceGate.inheritedPlacement()), shape, strides, 0, dtype);
    }

    /**
     * A new tensor that a kernel writes: closed again if the kernel fails, so that a refused op leaves
     * nothing behind. The kernel is not called for an empty tensor.
     */
    static Tensor computed(Shape shape, DType dtype, Device device, Consumer<TensorView> kernel) {
        return computed(shape, Views.contiguousStrides(shape.dims()), dtype, device, kernel);
    }

    /** {@link #computed} into a tensor laid out with {@code strides}, dense (see {@link OutputLayout}). */
    static Tensor computed(Shape shape, long[] strides, DType dtype, Device device, Consumer<TensorView> kernel) {
        Tensor out = empty(shape, strides, dtype, device);
        if (shape.numel() > 0) {
            try {
                kernel.accept(out.kernelView());
            } catch (RuntimeException | Error e) {
                out.close();
                throw e;
            }
        }
        return out;
    }

    static DeviceBackend deviceBackend(Device device) {
        if (BackendRegistry.backendFor(device) instanceof DeviceBackend backend) {
            return backend;
        }
        throw new IllegalStateException("the backend of " + device + " does not own device memory (it is not a DeviceBackend)");
    }

    static Tensor full(Shape shape, double value, DType dtype, Device device) {
        return filled(shape, dtype, device, Scalars.bits(value, dtype));
    }

    static Tensor fullExact(Shape shape, long value, DType dtype, Device device) {
        return filled(shape, dtype, device, Scalars.bits(value, dtype));
    }

    private static Tensor filled(Shape shape, DType dtype, Device device, long bits) {
        return computed(shape, dtype, device, out -> BackendRegistry.backendFor(device).fill(out, bits));
    }

    static Tensor fillInPlace(Tensor t, double value) {
        fill(t.live(), Scalars.bits(value, t.dtype));
        t.storage.bumpVersion();
        return t;
    }

    private static void fill(Tensor t, long bits) {
        if (t.numel() > 0) {
            t.backend().fill(t.kernelView(), bits);
        }
    }

    /** Random draws in dtype; float16 and bfloat16 are drawn in float32 and converted. */
    static Tensor random(Shape shape, DType dtype, Device device, RandomDistribution distribution,
                         double a, double b, Generator generator) {
        if (!dtype.isComputeType()) {
            try (Tensor drawn = random(shape, DType.FLOAT32, device, distribution, a, b, generator)) {
                return Transfers.cast(drawn, dtype);
            }
        }
        if (generator.isMt19937()) {
            Tensor out = empty(shape, dtype, device);
            try {
                drawOnHost(out, distribution, a, b, generator);
            } catch (RuntimeException | Error e) {
                out.close();
                throw e;
            }
            return out;
        }
        long offset = generator.reserve(shape.numel());
        return computed(shape, dtype, device,
                out -> BackendRegistry.backendFor(device).random(distribution, out, a, b, generator.seed(), offset));
    }

    static Tensor uniformInPlace(Tensor t, double from, double to, Generator generator) {
        requireFloat(t, "uniform_");
        if (!(from <= to)) {
            throw new IllegalArgumentException("uniform_ expects from <= to, got from " + from + " and to " + to);
        }
        drawInPlace(t.live(), RandomDistribution.UNIFORM, from, to, generator);
        return t;
    }

    static Tensor normalInPlace(Tensor t, double mean, double std, Generator generator) {
        requireFloat(t, "normal_");
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal_ expects std >= 0, got " + std);
        }
        drawInPlace(t.live(), RandomDistribution.NORMAL, mean, std, generator);
        return t;
    }

    private static void requireFloat(Tensor t, String op) {
        if (!t.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + " needs a floating-point tensor, not " + t.dtype);
        }
    }

    /** Draws into t, through a float32 or contiguous temporary when the kernel cannot write t directly. */
    private static void drawInPlace(Tensor t, RandomDistribution distribution, double a, double b, Generator generator) {
        if (t.dtype.isComputeType() && t.isContiguous()) {
            draw(t, distribution, a, b, generator);
        } else {
            try (Tensor drawn = random(t.shape, t.dtype.computeType(), t.device(), distribution, a, b, generator)) {
                Transfers.copyInto(t, drawn);
                return;
            }
        }
        t.storage.bumpVersion();
    }

    private static void draw(Tensor out, RandomDistribution distribution, double a, double b, Generator generator) {
        if (generator.isMt19937()) {
            drawOnHost(out, distribution, a, b, generator);
            return;
        }
        long offset = generator.reserve(out.numel());
        if (out.numel() > 0) {
            out.backend().random(distribution, out.kernelView(), a, b, generator.seed(), offset);
        }
    }

    /** Draws of PyTorch's generator into a contiguous tensor of a compute type: made on the host, one after another, then copied. */
    private static void drawOnHost(Tensor out, RandomDistribution distribution, double a, double b, Generator generator) {
        if (out.numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("PyTorch's generator draws on the host, into Java arrays: at most 2^31-9 elements, not "
                    + out.numel() + " (shape " + out.shape + ")");
        }
        int count = (int) out.numel();
        TorchDraws draws = generator.torch();
        Object values;
        synchronized (draws) {
            generator.reserve(count);
            values = draws.draw(distribution, a, b, out.dtype, count);
        }
        try (Tensor host = Transfers.fromArray(values, switch (values) {
            case float[] _ -> DType.FLOAT32;
            case double[] _ -> DType.FLOAT64;
            default -> DType.INT64;
        }, out.shape)) {
            Transfers.copyInto(out, host);
        }
    }
}
