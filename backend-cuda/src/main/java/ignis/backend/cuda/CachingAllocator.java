package ignis.backend.cuda;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device memory with a cache of freed blocks, as PyTorch's CUDA caching allocator keeps them: a
 * tensor's memory is not returned to the driver when it is freed (cuMemFree synchronizes the whole
 * device) but kept for the next request of a size that fits, so a training step allocates nothing
 * from the driver once the first step has warmed the cache.
 *
 * <p>Sizes are rounded up (to 512 bytes below 1 MiB, to 2 MiB above), and a request takes the
 * smallest cached block of at least its rounded size and at most twice it. Reusing a block right
 * away is safe because every kernel of a device runs on its one stream, in order: whatever used the
 * block before has run by the time the next user's kernels do. When the driver has no memory left,
 * the cache is returned to it and the allocation tried once more. Thread-safe: tensors are freed by
 * any thread, the GC's cleaner included.
 */
final class CachingAllocator {

    static final long SMALL_ROUNDING = 512;
    static final long LARGE_ROUNDING = 2L << 20;
    private static final long SMALL_LIMIT = 1L << 20;

    /** A block of device memory, of its rounded size. */
    record Block(long address, long size) {
    }

    private final CudaApi api;
    private final String device;
    private final TreeMap<Long, ArrayDeque<Block>> cached = new TreeMap<>();
    private long cachedBytes;
    private long inUseBytes;
    private long driverAllocations;

    CachingAllocator(CudaApi api, String device) {
        this.api = api;
        this.device = device;
    }

    static long rounded(long bytes) {
        long size = Math.max(bytes, 1);
        long unit = size < SMALL_LIMIT ? SMALL_ROUNDING : LARGE_ROUNDING;
        return Math.ceilDiv(size, unit) * unit;
    }

    /** A block of at least {@code bytes}. @throws OutOfMemoryError naming the device when it has none left */
    synchronized Block allocate(long bytes) {
        long size = rounded(bytes);
        Map.Entry<Long, ArrayDeque<Block>> fit = cached.ceilingEntry(size);
        if (fit != null && fit.getKey() <= 2 * size) {
            Block block = fit.getValue().pop();
            if (fit.getValue().isEmpty()) {
                cached.remove(fit.getKey());
            }
            cachedBytes -= block.size();
            inUseBytes += block.size();
            return block;
        }
        long address = api.memAlloc(size);
        if (address == 0) {
            emptyCache();
            address = api.memAlloc(size);
        }
        if (address == 0) {
            throw new OutOfMemoryError(device + " is out of memory: " + bytes + " bytes requested, " + inUseBytes
                    + " bytes in use by tensors");
        }
        driverAllocations++;
        inUseBytes += size;
        return new Block(address, size);
    }

    /** Returns a block to the cache. */
    synchronized void free(Block block) {
        inUseBytes -= block.size();
        cachedBytes += block.size();
        cached.computeIfAbsent(block.size(), s -> new ArrayDeque<>()).push(block);
    }

    /** Returns every cached block to the driver, once the stream has run whatever may still use them. */
    synchronized void emptyCache() {
        if (cached.isEmpty()) {
            return;
        }
        api.synchronize();
        for (ArrayDeque<Block> blocks : cached.values()) {
            for (Block block : blocks) {
                api.memFree(block.address());
            }
        }
        cached.clear();
        cachedBytes = 0;
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    synchronized long inUseBytes() {
        return inUseBytes;
    }

    /** How many times the allocator called cuMemAlloc. */
    synchronized long driverAllocations() {
        return driverAllocations;
    }
}
