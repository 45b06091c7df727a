package ignis.tensor;

import ignis.tensor.spi.Storage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one indirection between tensors and their memory, shared by a tensor and all its views: the
 * registry can re-point it at a copy on another device (when a device backend leaves) without any
 * tensor object changing. It also carries what views share: the handle count that frees the memory
 * and the version counter of in-place writes.
 */
final class TensorStorage {

    private volatile Storage storage;
    private final AtomicInteger handles = new AtomicInteger();
    private volatile long version;

    TensorStorage(Storage storage) {
        this.storage = storage;
        MemoryCounters.allocated(storage.device(), storage.byteSize());
    }

    Storage current() {
        return storage;
    }

    Device device() {
        return storage.device();
    }

    /** The number of in-place writes to this memory so far. */
    long version() {
        return version;
    }

    /** Records an in-place write. Not atomic: in-place ops on one tensor from several threads are not supported. */
    void bumpVersion() {
        version++;
    }

    void retain() {
        handles.incrementAndGet();
    }

    /** Drops one handle; the last one frees the memory. */
    void release() {
        if (handles.decrementAndGet() == 0) {
            Storage s = storage;
            MemoryCounters.released(s.device(), s.byteSize());
            s.release();
        }
    }
}
