package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Operands on two devices are an error that names both, as in PyTorch, and no op moves data silently. */
class DeviceMixingTest {

    @Test
    void mixingDevicesIsAnErrorNamingBoth() {
        try (BackendRegistry.Registration registration = BackendRegistry.register(new FakeDeviceBackend(), "test");
             Tensor host = Tensors.of(new float[] {1, 2});
             Tensor onDevice = host.to(FakeDeviceBackend.DEVICE)) {
            long live = Tensors.liveTensors();
            IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> host.add(onDevice));
            assertEquals("add: expected all tensors to be on the same device, but found tensors on cpu and fake:0", add.getMessage());
            IllegalArgumentException matmul = assertThrows(IllegalArgumentException.class, () -> onDevice.matmul(host));
            assertEquals("matmul: expected all tensors to be on the same device, but found tensors on fake:0 and cpu", matmul.getMessage());
            IllegalArgumentException cat = assertThrows(IllegalArgumentException.class, () -> Tensors.cat(List.of(host, onDevice), 0));
            assertEquals("cat: expected all tensors to be on the same device, but found tensors on cpu and fake:0", cat.getMessage());
            // At most: the GC's cleaner may close tensors that other tests in this JVM left open, meanwhile.
            assertTrue(Tensors.liveTensors() <= live, "a refused op leaves no tensor behind");
            assertEquals(FakeDeviceBackend.DEVICE, onDevice.device());
        }
    }

    @Test
    void aDeviceWithoutABackendIsNamedInTheError() {
        try (Tensor host = Tensors.of(new float[] {1})) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> host.to(Device.of("nowhere:3")));
            assertEquals(true, e.getMessage().startsWith("no backend for device nowhere:3 is registered"), e.getMessage());
        }
    }
}
