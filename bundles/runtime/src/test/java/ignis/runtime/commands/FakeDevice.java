package ignis.runtime.commands;

import ignis.tck.api.SimulatedDevice;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;

/** The device of these tests: fake:0, a simulated device with memory of its own running the cpu's kernels. */
final class FakeDevice {

    static final Device DEVICE = Device.of("fake:0");

    private FakeDevice() {
    }

    static SimulatedDevice ranked(int ranking) {
        SimulatedDevice device = new SimulatedDevice(DEVICE, ranking, BackendRegistry.backendFor(Device.CPU));
        device.present(true);
        return device;
    }
}
