package ignis.tensor;

import ignis.tensor.spi.Backend;

/** Found through META-INF/services by the class-path scan. */
public final class ClassPathBackend implements Backend {
    @Override
    public String name() {
        return "class-path-test";
    }

    @Override
    public Device device() {
        return Device.of("test-device:3");
    }

    @Override
    public int ranking() {
        return 7;
    }
}
