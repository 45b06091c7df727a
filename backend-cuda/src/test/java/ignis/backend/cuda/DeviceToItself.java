package ignis.backend.cuda;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.RegisteredBackend;
import java.util.List;

/**
 * For a test that registers a cuda:0 backend of its own: takes the ones already registered (the class
 * path's, on a machine with a GPU) out of the registry, so that the test's backend is the device's
 * only one, and puts them back when closed.
 */
final class DeviceToItself implements AutoCloseable {

    static final Device CUDA0 = new Device("cuda", 0);

    private final List<RegisteredBackend> others;

    DeviceToItself() {
        others = BackendRegistry.backends().stream().filter(r -> r.backend().device().equals(CUDA0)).toList();
        if (!others.isEmpty()) {
            BackendRegistry.fail(CUDA0, "a test registers a backend of its own");
        }
    }

    @Override
    public void close() {
        others.forEach(r -> BackendRegistry.register(r.backend(), r.origin()));
    }
}
