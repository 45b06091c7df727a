package ignis.tensor;


/** Found through META-INF/services by the class-path scan. */
public final class ClassPathBackend extends NoKernelsBackend {
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
