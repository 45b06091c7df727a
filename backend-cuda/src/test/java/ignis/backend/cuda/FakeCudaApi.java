package ignis.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A GPU without a GPU, for the tests that run everywhere: device memory is host memory at made-up
 * addresses, copies are done at once, and kernel launches are only recorded (no kernel runs), so the
 * backend's plumbing (allocator, staging, transfers, evacuation) is tested but not its kernels.
 */
class FakeCudaApi implements CudaApi {

    final TreeMap<Long, MemorySegment> device = new TreeMap<>();
    final List<String> launches = new ArrayList<>();
    final List<MemorySegment> pinned = new ArrayList<>();
    int memAllocs;
    int memFrees;
    int hostAllocs;
    int synchronizations;
    boolean closed;
    /** Bytes the fake device holds at most: memAlloc returns 0 beyond it. */
    long capacity = Long.MAX_VALUE;
    private long used;
    private long next = 0x7000_0000_0000L;

    @Override
    public String deviceName() {
        return "Fake GPU";
    }

    @Override
    public long memAlloc(long bytes) {
        if (used + bytes > capacity) {
            return 0;
        }
        memAllocs++;
        used += bytes;
        long address = next;
        next += bytes + 4096;
        device.put(address, Arena.ofAuto().allocate(bytes, 256));
        return address;
    }

    @Override
    public void memFree(long address) {
        MemorySegment segment = device.remove(address);
        if (segment == null) {
            throw new IllegalArgumentException("freeing 0x" + Long.toHexString(address) + ", which is not allocated");
        }
        used -= segment.byteSize();
        memFrees++;
    }

    @Override
    public MemorySegment hostAlloc(long bytes) {
        hostAllocs++;
        MemorySegment segment = Arena.ofAuto().allocate(bytes, 4096);
        pinned.add(segment);
        return segment;
    }

    @Override
    public void hostFree(MemorySegment segment) {
        if (!pinned.remove(segment)) {
            throw new IllegalArgumentException("not pinned: " + segment);
        }
    }

    /** The device memory at an address, which may lie inside an allocation. */
    MemorySegment at(long address, long bytes) {
        Map.Entry<Long, MemorySegment> block = device.floorEntry(address);
        if (block == null || address - block.getKey() + bytes > block.getValue().byteSize()) {
            throw new IllegalArgumentException(bytes + " bytes at 0x" + Long.toHexString(address) + " are not allocated");
        }
        return block.getValue().asSlice(address - block.getKey(), bytes);
    }

    private void requirePinned(MemorySegment host) {
        boolean inside = pinned.stream().anyMatch(p -> host.address() >= p.address()
                && host.address() + host.byteSize() <= p.address() + p.byteSize());
        if (!inside) {
            throw new IllegalArgumentException("a transfer from pageable memory: " + host);
        }
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        requirePinned(src);
        MemorySegment.copy(src, 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        requirePinned(dst);
        MemorySegment.copy(at(src, bytes), 0, dst, 0, bytes);
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void launch(String kernel, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, KernelArgs args) {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX * blockY * blockZ > 1024) {
            throw new IllegalArgumentException("bad launch of " + kernel);
        }
        launches.add(kernel);
    }

    @Override
    public void synchronize() {
        synchronizations++;
    }

    @Override
    public String blasName() {
        return null;
    }

    @Override
    public void gemm(boolean float64, boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA,
                     long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        throw new UnsupportedOperationException("the fake has no cuBLAS");
    }

    @Override
    public void close() {
        if (!device.isEmpty()) {
            throw new IllegalStateException(device.size() + " device blocks not freed before close");
        }
        closed = true;
    }
}
