package ignis.tck.api;

import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device with memory of its own for tests of the hot-swap contract, running a host backend's kernels
 * over memory that is host memory in disguise. Each allocation is its own arena, closed on release: a
 * kernel that touches memory after it was freed (a dead handle) fails, and so does freeing twice.
 * Kernels called while the backend is not {@linkplain #present(boolean) present} are counted as violations.
 */
public final class SimulatedDevice extends ForwardingBackend implements DeviceBackend {

    private final Device device;
    private final int ranking;
    private final AtomicLong liveAllocations = new AtomicLong();
    private final AtomicInteger kernelsWhileAbsent = new AtomicInteger();
    private volatile long allocationLimit = Long.MAX_VALUE; // live allocations beyond it fail as out of memory
    private volatile boolean present;

    /** A device named {@code device} running {@code hostKernels}, a backend of the cpu device. */
    public SimulatedDevice(Device device, int ranking, Backend hostKernels) {
        super(hostKernels);
        this.device = device;
        this.ranking = ranking;
    }

    /** Says whether the device is registered now: kernels called while it is not are counted. */
    public void present(boolean registered) {
        present = registered;
    }

    /** Allocations beyond {@code limit} live ones fail with an OutOfMemoryError naming the device. */
    public void allocationLimit(long limit) {
        allocationLimit = limit;
    }

    /** The allocations not yet released. */
    public long liveAllocations() {
        return liveAllocations.get();
    }

    /** The kernels called while the device was not present. */
    public int kernelsWhileAbsent() {
        return kernelsWhileAbsent.get();
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
        beforeKernel();
        if (liveAllocations.get() >= allocationLimit) {
            throw new OutOfMemoryError(device + " is out of memory (" + allocationLimit + " allocations)");
        }
        return new SimulatedStorage(bytes);
    }

    @Override
    public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
        beforeKernel();
        delegate.copy(deviceDst, hostSrc);
    }

    @Override
    public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
        beforeKernel();
        delegate.copy(hostDst, deviceSrc);
    }

    @Override
    protected void beforeKernel() {
        if (!present) {
            kernelsWhileAbsent.incrementAndGet();
        }
    }
}
