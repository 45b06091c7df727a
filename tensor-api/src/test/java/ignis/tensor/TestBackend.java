package ignis.tensor;

final class TestBackend extends NoKernelsBackend {
    private final String name;
    private final Device device;
    private final int ranking;

    TestBackend(String name, Device device, int ranking) {
        this.name = name;
        this.device = device;
        this.ranking = ranking;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int ranking() {
        return ranking;
    }
}
