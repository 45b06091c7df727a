package ignis.backend.reference;

import ignis.tensor.Device;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device with memory of its own for tests of the hot-swap contract, running the reference kernels.
 * Each allocation is its own arena, closed on release: a kernel that touches memory after it was
 * freed (a dead handle) fails, and so does freeing twice. Kernels called while the backend is not
 * {@linkplain #present present} are counted as violations.
 */
final class SimulatedDevice implements DeviceBackend {

    private final ReferenceBackend kernels = new ReferenceBackend();
    private final Device device;
    private final int ranking;
    final AtomicLong liveAllocations = new AtomicLong();
    final AtomicInteger kernelsWhileAbsent = new AtomicInteger();
    volatile long allocationLimit = Long.MAX_VALUE; // live allocations beyond it fail as out of memory
    volatile boolean present;

    SimulatedDevice(Device device, int ranking) {
        this.device = device;
        this.ranking = ranking;
    }

    private final class SimulatedStorage implements HostStorage {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment segment;

        SimulatedStorage(long bytes) {
            segment = arena.allocate(Math.max(bytes, 1), 64);
            liveAllocations.incrementAndGet();
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public Device device() {
            return device;
        }

        @Override
        public void release() {
            arena.close(); // throws when released twice
            liveAllocations.decrementAndGet();
        }
    }

    @Override
    public String name() {
        return "simulated-" + device;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int ranking() {
        return ranking;
    }

    @Override
    public Storage allocate(long bytes) {
        check();
        if (liveAllocations.get() >= allocationLimit) {
            throw new OutOfMemoryError(device + " is out of memory (" + allocationLimit + " allocations)");
        }
        return new SimulatedStorage(bytes);
    }

    @Override
    public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
        check();
        kernels.copy(deviceDst, hostSrc);
    }

    @Override
    public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
        check();
        kernels.copy(hostDst, deviceSrc);
    }

    private void check() {
        if (!present) {
            kernelsWhileAbsent.incrementAndGet();
        }
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        check();
        kernels.copy(dst, src);
    }

    @Override
    public void fill(TensorView out, long bits) {
        check();
        kernels.fill(out, bits);
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        check();
        kernels.random(distribution, out, a, b, seed, offset);
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        check();
        kernels.unary(op, out, in);
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        check();
        kernels.binary(op, out, a, b);
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        check();
        kernels.ternary(op, out, a, b, c);
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        check();
        kernels.reduce(op, out, in, axes);
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        check();
        kernels.matmul(out, a, b);
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        check();
        kernels.gather(out, in, dim, index);
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        check();
        kernels.scatter(mode, out, dim, index, src);
    }
}
