package ignis.tensor.spi;

import ignis.tensor.Device;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A block of memory on a device, owned by the backend that allocated it (or by tensor-api for the
 * host). The core never looks inside a device's storage; it passes it back to kernels in
 * {@link TensorView}s.
 */
@ConsumerType
public interface Storage {

    Device device();

    /** The size of the block in bytes. */
    long byteSize();

    /**
     * Returns the memory to its allocator. Called once, by the core, when the last tensor using the
     * storage is closed or collected; the storage is not used afterwards.
     */
    void release();
}
