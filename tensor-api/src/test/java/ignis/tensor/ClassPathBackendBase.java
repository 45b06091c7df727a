package ignis.tensor;


abstract class ClassPathBackendBase extends NoKernelsBackend {
    @Override
    public String name() {
        return "failing";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public int ranking() {
        return 0;
    }
}
