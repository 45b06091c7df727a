package ignis.tensor.spi;

import ignis.tensor.Device;
import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Host memory: an off-heap segment owned by tensor-api, shared by every backend of the cpu device
 * and the source or target of a device backend's copies.
 */
@ProviderType
public interface HostStorage extends Storage {

    /** The memory, valid until the storage is released. Little-endian, as the host's layouts. */
    MemorySegment segment();

    @Override
    default Device device() {
        return Device.CPU;
    }

    @Override
    default long byteSize() {
        return segment().byteSize();
    }
}
