package ignis.tensor;

import ignis.tensor.internal.HostMemory;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.TensorOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Making tensors, as PyTorch's {@code torch.*} factories do, and the memory facts about them.
 * Unless given, the dtype is float32 (int64 for integer ranges) and the device is cpu.
 */
public final class Tensors {

    private Tensors() {
    }

    // ---- scopes and memory --------------------------------------------------------------------

    /** Opens a scope that closes the tensors made on this thread until it is closed. */
    public static TensorScope scope() {
        return TensorScope.open();
    }

    /**
     * Until the returned handle is closed, tensors made on this thread belong to no scope: for holders
     * that outlive scopes, such as a model's parameters. Such tensors must be closed by their owner.
     */
    public static TensorScope.Untracked untracked() {
        return TensorScope.untracked();
    }

    /** Tensor handles made and not yet closed or collected, on every device. */
    public static long liveTensors() {
        return MemoryCounters.liveTensors();
    }

    /** Bytes of tensor memory in use on a device. */
    public static long liveBytes(Device device) {
        return MemoryCounters.liveBytes(device);
    }

    /** Bytes of tensor memory in use, per device that ever had any. */
    public static Map<Device, Long> liveBytes() {
        return MemoryCounters.liveBytes();
    }

    /** The caching allocator of host memory: bytes in use, peak, cached, hits and misses. */
    public static HostMemoryStats hostMemoryStats() {
        return HostMemory.instance().stats();
    }

    /** The number of threads CPU kernels use, the caller's included (see {@link ComputePool}). */
    public static int numThreads() {
        return ComputePool.threads();
    }

    /** Sets the number of threads CPU kernels use, as {@code torch.set_num_threads}; at least 1. */
    public static void setNumThreads(int threads) {
        ComputePool.setThreads(threads);
    }

    /**
     * Sets the placement of tensors (and their views) in one change of devices: with
     * {@link Placement#FOLLOW_BEST} they move to {@link Device#best()} before any op runs again.
     *
     * @throws IllegalStateException when called inside an op or a {@link DeviceGate#hold()}
     */
    public static void place(Placement policy, Iterable<Tensor> tensors) {
        Objects.requireNonNull(policy, "policy");
        List<TensorStorage> storages = storagesOf(tensors, "place");
        Migration.Moved[] moved = {null};
        long pause = DeviceGate.exclusive(() -> {
            storages.forEach(s -> s.place(policy));
            if (policy == Placement.FOLLOW_BEST) {
                moved[0] = Migration.followers(Device.best());
            }
        });
        DeviceEvents.publish(Migration.events(moved[0], pause, "tensors placed FOLLOW_BEST"));
    }

    /**
     * Moves tensors (and their views) to {@code device} in place, in one change of devices: they stay
     * the same objects, so code that holds them (an optimizer, a request in a {@link DeviceGate#hold()})
     * never sees a closed handle. All move or none. A STRICT tensor whose device was lost is usable again.
     *
     * @throws IllegalStateException when the device has no backend, or when called inside an op or a hold
     */
    public static void moveTo(Device device, Iterable<Tensor> tensors) {
        Objects.requireNonNull(device, "device");
        List<TensorStorage> storages = storagesOf(tensors, "move");
        if (!device.equals(Device.CPU)) {
            Creation.deviceBackend(device); // fails before anything moves
        }
        Migration.Moved[] moved = {null};
        long pause = DeviceGate.exclusive(() -> {
            moved[0] = Migration.move(storages, device);
            storages.forEach(TensorStorage::clearLost);
        });
        DeviceEvents.publish(Migration.events(moved[0], pause, "tensors moved to " + device));
    }

    private static List<TensorStorage> storagesOf(Iterable<Tensor> tensors, String what) {
        List<TensorStorage> storages = new ArrayList<>();
        for (Tensor t : tensors) {
            if (t.isClosed()) {
                throw new IllegalStateException("cannot " + what + " a closed tensor " + t.shape());
            }
            storages.add(t.storage);
        }
        return storages;
    }

    /** Seeds the default generator, as {@code torch.manual_seed}. */
    public static void manualSeed(long seed) {
        Generator.manualSeed(seed);
    }

    // ---- constants ----------------------------------------------------------------------------

    public static Tensor empty(Shape shape, DType dtype, Device device) {
        return DeviceGate.guarded(null, () -> Creation.empty(shape, dtype, device));
    }

    public static Tensor zeros(long... shape) {
        return zeros(Shape.of(shape), DType.FLOAT32, Device.CPU);
    }

    public static Tensor zeros(Shape shape, DType dtype, Device device) {
        return DeviceGate.guarded(null, () -> Creation.full(shape, 0, dtype, device));
    }

    public static Tensor zerosLike(Tensor t) {
        return DeviceGate.guarded(t, () -> zeros(t.shape(), t.dtype(), t.device()));
    }

    public static Tensor ones(long... shape) {
        return ones(Shape.of(shape), DType.FLOAT32, Device.CPU);
    }

    public static Tensor ones(Shape shape, DType dtype, Device device) {
        return DeviceGate.guarded(null, () -> Creation.full(shape, 1, dtype, device));
    }

    public static Tensor onesLike(Tensor t) {
        return DeviceGate.guarded(t, () -> ones(t.shape(), t.dtype(), t.device()));
    }

    /** A float32 tensor of one value. */
    public static Tensor full(double value, long... shape) {
        return full(Shape.of(shape), value, DType.FLOAT32, Device.CPU);
    }

    public static Tensor full(Shape shape, double value, DType dtype, Device device) {
        return DeviceGate.guarded(null, () -> Creation.full(shape, value, dtype, device));
    }

    /** An exact integer value, for int64 values beyond 2^53. */
    public static Tensor full(Shape shape, long value, DType dtype, Device device) {
        return DeviceGate.guarded(null, () -> Creation.fullExact(shape, value, dtype, device));
    }

    public static Tensor fullLike(Tensor t, double value) {
        return DeviceGate.guarded(t, () -> full(t.shape(), value, t.dtype(), t.device()));
    }

    // ---- ranges -------------------------------------------------------------------------------

    /** {@code 0, 1, ..., end-1} as int64. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** {@code start, start+step, ...} below {@code end} (above it for a negative step), as int64. */
    public static Tensor arange(long start, long end, long step) {
        long n = rangeLength(start, end, step);
        long[] values = new long[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = start + i * step;
        }
        return DeviceGate.guarded(null, () -> Transfers.fromArray(values, DType.INT64, Shape.of(n)));
    }

    /** {@code start, start+step, ...} below {@code end}, as float32. */
    public static Tensor arange(double start, double end, double step) {
        return arange(start, end, step, DType.FLOAT32, Device.CPU);
    }

    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        if (step == 0 || !Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + "): bounds must be finite and step non-zero");
        }
        double count = Math.ceil((end - start) / step);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") would have " + count + " elements");
        }
        double[] values = new double[(int) Math.max(0, count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = start + i * step;
        }
        return fromHost(values, DType.FLOAT64, Shape.of(values.length), dtype, device);
    }

    private static long rangeLength(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be non-zero");
        }
        if (step > 0 ? end <= start : end >= start) {
            return 0;
        }
        return (Math.abs(end - start) + Math.abs(step) - 1) / Math.abs(step);
    }

    /**
     * {@code steps} evenly spaced values from start to end inclusive, as float32; computed from both
     * ends, as PyTorch does, so that the last value is exactly {@code end}.
     */
    public static Tensor linspace(double start, double end, int steps) {
        return linspace(start, end, steps, DType.FLOAT32, Device.CPU);
    }

    public static Tensor linspace(double start, double end, int steps, DType dtype, Device device) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        }
        double[] values = new double[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            values[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
        }
        if (steps == 1) {
            values[0] = start;
        }
        return fromHost(values, DType.FLOAT64, Shape.of(steps), dtype, device);
    }

    /** The n x n identity matrix, float32. */
    public static Tensor eye(long n) {
        return eye(n, n, DType.FLOAT32, Device.CPU);
    }

    public static Tensor eye(long n, long m, DType dtype, Device device) {
        if (n < 0 || m < 0) {
            throw new IllegalArgumentException("eye: sizes must be non-negative, got " + n + " x " + m);
        }
        Tensor out = zeros(Shape.of(n, m), dtype, device);
        long diagonal = Math.min(n, m);
        if (diagonal > 0) {
            try (Tensor strided = Views.make(out, new long[] {diagonal}, new long[] {m + 1}, 0)) {
                strided.fill_(1);
            }
        }
        return out;
    }

    // ---- random -------------------------------------------------------------------------------

    /** Uniform draws from [0, 1), float32. */
    public static Tensor rand(long... shape) {
        return rand(Shape.of(shape), DType.FLOAT32, Device.CPU, Generator.defaultGenerator());
    }

    public static Tensor rand(Shape shape, DType dtype, Device device, Generator generator) {
        requireFloat(dtype, "rand");
        return DeviceGate.guarded(null, () -> Creation.random(shape, dtype, device, RandomDistribution.UNIFORM, 0, 1, generator));
    }

    /** Standard normal draws, float32. */
    public static Tensor randn(long... shape) {
        return randn(Shape.of(shape), DType.FLOAT32, Device.CPU, Generator.defaultGenerator());
    }

    public static Tensor randn(Shape shape, DType dtype, Device device, Generator generator) {
        requireFloat(dtype, "randn");
        return DeviceGate.guarded(null, () -> Creation.random(shape, dtype, device, RandomDistribution.NORMAL, 0, 1, generator));
    }

    /** Uniform integers in [low, high), int64. */
    public static Tensor randint(long low, long high, long... shape) {
        return randint(low, high, Shape.of(shape), DType.INT64, Device.CPU, Generator.defaultGenerator());
    }

    public static Tensor randint(long low, long high, Shape shape, DType dtype, Device device, Generator generator) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: expected low < high, got low " + low + " and high " + high);
        }
        if (dtype == DType.BOOL) {
            throw new IllegalArgumentException("randint cannot make a bool tensor");
        }
        return DeviceGate.guarded(null, () -> Creation.random(shape, dtype, device, RandomDistribution.INTEGER, low, high, generator));
    }

    private static void requireFloat(DType dtype, String op) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + " makes floating-point tensors, not " + dtype);
        }
    }

    // ---- from Java arrays ---------------------------------------------------------------------

    /** A float32 tensor with a copy of {@code data} in the given shape (1-D when no shape is given). */
    public static Tensor of(float[] data, long... shape) {
        return DeviceGate.guarded(null, () -> Transfers.fromArray(data, DType.FLOAT32, arrayShape(data.length, shape)));
    }

    public static Tensor of(double[] data, long... shape) {
        return DeviceGate.guarded(null, () -> Transfers.fromArray(data, DType.FLOAT64, arrayShape(data.length, shape)));
    }

    public static Tensor of(int[] data, long... shape) {
        return DeviceGate.guarded(null, () -> Transfers.fromArray(data, DType.INT32, arrayShape(data.length, shape)));
    }

    public static Tensor of(long[] data, long... shape) {
        return DeviceGate.guarded(null, () -> Transfers.fromArray(data, DType.INT64, arrayShape(data.length, shape)));
    }

    public static Tensor of(boolean[] data, long... shape) {
        return DeviceGate.guarded(null, () -> Transfers.fromArray(data, DType.BOOL, arrayShape(data.length, shape)));
    }

    /** A float32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, row 0 has " + columns);
            }
            System.arraycopy(rows[r], 0, data, r * columns, columns);
        }
        return of(data, rows.length, columns);
    }

    /** A rank-0 float32 tensor, as {@code torch.tensor(2.5)}. */
    public static Tensor scalar(double value) {
        return full(Shape.scalar(), value, DType.FLOAT32, Device.CPU);
    }

    /** A rank-0 int64 tensor, as {@code torch.tensor(2)}. */
    public static Tensor scalar(long value) {
        return full(Shape.scalar(), value, DType.INT64, Device.CPU);
    }

    private static Shape arrayShape(int length, long[] shape) {
        Shape s = shape.length == 0 ? Shape.of((long) length) : Shape.of(shape);
        if (s.numel() != length) {
            throw new IllegalArgumentException("shape " + s + " needs " + s.numel() + " values, but the array has " + length);
        }
        return s;
    }

    private static Tensor fromHost(Object array, DType arrayType, Shape shape, DType dtype, Device device) {
        try (Tensor host = Transfers.fromArray(array, arrayType, shape); Tensor converted = host.to(dtype)) {
            return converted.to(device);
        }
    }

    // ---- combining ----------------------------------------------------------------------------

    /** {@code condition ? a : b} elementwise, broadcasting all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Recording.apply(TensorOp.WHERE, List.of(condition), () -> Elementwise.where(condition, a, b), a, b);
    }

    public static Tensor where(Tensor condition, Tensor a, double b) {
        return whereWithScalar(condition, a, Scalar.of(b), false);
    }

    public static Tensor where(Tensor condition, double a, Tensor b) {
        return whereWithScalar(condition, b, Scalar.of(a), true);
    }

    private static Tensor whereWithScalar(Tensor condition, Tensor t, Scalar s, boolean scalarFirst) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {condition, t})) {
            return whereWithScalarHeld(condition, t, s, scalarFirst);
        }
    }

    private static Tensor whereWithScalarHeld(Tensor condition, Tensor t, Scalar s, boolean scalarFirst) {
        if (!Recording.needed(t)) {
            return scalarFirst ? Elementwise.where(condition, s, t) : Elementwise.where(condition, t, s);
        }
        Tensor out;
        try (GradMode.Scope inner = GradMode.noGrad()) {
            out = scalarFirst ? Elementwise.where(condition, s, t) : Elementwise.where(condition, t, s);
        }
        try (Tensor constant = s.toTensor(out.dtype(), out.device())) {
            Recording.attach(TensorOp.WHERE, List.of(condition), out, scalarFirst ? constant : t, scalarFirst ? t : constant);
        }
        return out;
    }

    /** Joins tensors along an existing dimension. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        Tensor[] inputs = tensors.toArray(Tensor[]::new);
        if (!Recording.needed(inputs)) {
            try (DeviceGate.Nesting gate = DeviceGate.enter(inputs)) {
                return Indexing.cat(tensors, dim);
            }
        }
        int d = Shape.normalizeDim(dim, tensors.getFirst().dim());
        return Recording.apply(TensorOp.CAT, List.of(d), () -> Indexing.cat(tensors, dim), inputs);
    }

    /** Joins tensors of equal shape along a new dimension. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        try (DeviceGate.Nesting gate = DeviceGate.enter(tensors.toArray(Tensor[]::new))) {
            return Indexing.stack(tensors, dim);
        }
    }
}
