package ignis.backend.reference;

import ignis.tck.api.ForwardingBackend;
import ignis.tensor.Device;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
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
final class SimulatedDevice extends ForwardingBackend implements DeviceBackend {

    private final Device device;
    private final int ranking;
    final AtomicLong liveAllocations = new AtomicLong();
    final AtomicInteger kernelsWhileAbsent = new AtomicInteger();
    volatile long allocationLimit = Long.MAX_VALUE; // live allocations beyond it fail as out of memory
    volatile boolean present;

    SimulatedDevice(Device device, int ranking) {
        super(new ReferenceBackend());
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
