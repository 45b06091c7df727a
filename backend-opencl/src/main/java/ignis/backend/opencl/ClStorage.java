package ignis.backend.opencl;

import ignis.tensor.Device;
import ignis.tensor.spi.Storage;
import java.util.concurrent.atomic.AtomicBoolean;

/** A buffer of an OpenCL device, owned by the backend of that device. */
final class ClStorage implements Storage {

    final ClContext cl;
    final long mem;
    private final long bytes;
    private final Device device;
    private final AtomicBoolean released = new AtomicBoolean();

    ClStorage(ClContext cl, Device device, long bytes) {
        this.cl = cl;
        this.device = device;
        this.bytes = bytes;
        this.mem = cl.allocate(bytes);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long byteSize() {
        return bytes;
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("opencl storage of " + bytes + " bytes on " + device + " released twice");
        }
        cl.free(mem, bytes);
    }

    @Override
    public String toString() {
        return "ClStorage[" + bytes + " bytes on " + device + "]";
    }
}
