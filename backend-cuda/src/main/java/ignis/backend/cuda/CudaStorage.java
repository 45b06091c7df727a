package ignis.backend.cuda;

import ignis.tensor.Device;
import ignis.tensor.spi.Storage;
import java.util.concurrent.atomic.AtomicBoolean;

/** A block of one GPU's memory from its {@link CachingAllocator}; released back into the cache. */
final class CudaStorage implements Storage {

    private final Device device;
    private final CachingAllocator allocator;
    private final CachingAllocator.Block block;
    private final long byteSize;
    private final AtomicBoolean released = new AtomicBoolean();

    CudaStorage(Device device, CachingAllocator allocator, CachingAllocator.Block block, long byteSize) {
        this.device = device;
        this.allocator = allocator;
        this.block = block;
        this.byteSize = byteSize;
    }

    /** The device address of byte 0. */
    long address() {
        if (released.get()) {
            throw new IllegalStateException("the memory of this " + device + " storage was released: " + this);
        }
        return block.address();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long byteSize() {
        return byteSize;
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            allocator.free(block);
        }
    }

    @Override
    public String toString() {
        return "CudaStorage[" + byteSize + " bytes on " + device + " at 0x" + Long.toHexString(block.address()) + "]";
    }
}
