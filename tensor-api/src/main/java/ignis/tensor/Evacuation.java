package ignis.tensor;

import ignis.tensor.internal.HostMemory;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.lang.System.Logger.Level;

/**
 * Moves every live tensor off a device whose backend is leaving, to host memory, through the
 * leaving backend's own copy: the tensors keep their identity, shape and values, and only their
 * device changes (the hot-swap contract of the registry).
 */
final class Evacuation {

    private static final System.Logger LOG = System.getLogger(Evacuation.class.getName());

    private Evacuation() {
    }

    static void toHost(DeviceBackend backend) {
        Device device = backend.device();
        long start = System.nanoTime();
        long tensors = 0;
        long bytes = 0;
        for (TensorStorage resident : TensorStorage.residentsOf(device)) {
            long moved = resident.moveWith(old -> {
                long elements = old.byteSize() / resident.dtype().byteSize();
                HostStorage host = HostMemory.instance().allocate(old.byteSize());
                backend.copyToHost(flat(host, resident.dtype(), elements), flat(old, resident.dtype(), elements));
                backend.synchronize();
                return host;
            });
            tensors += moved > 0 ? 1 : 0;
            bytes += moved;
        }
        if (tensors > 0) {
            String message = String.format("%s is leaving: moved %d storages (%d bytes) to cpu in %.1f ms",
                    device, tensors, bytes, (System.nanoTime() - start) / 1e6);
            LOG.log(Level.INFO, message);
        }
    }

    private static TensorView flat(Storage storage, DType dtype, long elements) {
        return new TensorView(storage, dtype, 0, new long[] {elements}, new long[] {1});
    }
}
