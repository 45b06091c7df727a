package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The registry's hot-swap contract: a leaving device backend's tensors move to cpu and stay the same objects. */
class EvacuationTest {

    @Test
    void tensorsOnALeavingDeviceMoveToCpuWithTheirValuesViewsAndIdentity() {
        FakeDeviceBackend backend = new FakeDeviceBackend();
        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor onDevice;
        Tensor transposed;
        try (BackendRegistry.Registration registration = BackendRegistry.register(backend, "test");
             Tensor host = Tensors.of(values, 2, 3)) {
            onDevice = host.to(FakeDeviceBackend.DEVICE);
            transposed = onDevice.transpose(0, 1);
            assertEquals(FakeDeviceBackend.DEVICE, onDevice.device());
            assertEquals(6 * 4, Tensors.liveBytes(FakeDeviceBackend.DEVICE));

            registration.close();

            assertEquals(Device.CPU, onDevice.device());
            assertEquals(Device.CPU, transposed.device(), "views share the moved memory");
            assertArrayEquals(new long[] {1, 3}, transposed.stride());
            assertArrayEquals(values, onDevice.toFloatArray());
            assertEquals(0, Tensors.liveBytes(FakeDeviceBackend.DEVICE));
            assertTrue(backend.allocated.stream().allMatch(s -> s.released), "the device memory was freed");
        }
        onDevice.close();
        transposed.close();
    }

    @Test
    void whenAnotherBackendOfTheDeviceStaysTheLeavingOnesMemoryMovesToIt() {
        FakeDeviceBackend first = new FakeDeviceBackend();
        FakeDeviceBackend second = new FakeDeviceBackend();
        float[] values = {1, 2, 3};
        try (BackendRegistry.Registration registration = BackendRegistry.register(first, "test");
             Tensor host = Tensors.of(values);
             Tensor onDevice = host.to(FakeDeviceBackend.DEVICE);
             Tensor view = onDevice.narrow(0, 1, 2)) {
            assertEquals(1, first.allocated.size());
            try (BackendRegistry.Registration staying = BackendRegistry.register(second, "test")) {
                registration.close();

                assertEquals(FakeDeviceBackend.DEVICE, onDevice.device(), "the device still has a backend");
                assertTrue(first.allocated.stream().allMatch(s -> s.released), "nothing left in the leaving backend's memory");
                assertEquals(1, second.allocated.size());
                assertArrayEquals(values, onDevice.toFloatArray());
                assertArrayEquals(new float[] {2, 3}, view.toFloatArray());

                staying.close();
                assertEquals(Device.CPU, view.device());
                assertArrayEquals(values, onDevice.toFloatArray());
                assertTrue(second.allocated.stream().allMatch(s -> s.released));
            }
        }
    }

    @Test
    void closedTensorsAreNotMovedAndTheirMemoryIsFreedOnce() {
        FakeDeviceBackend backend = new FakeDeviceBackend();
        try (BackendRegistry.Registration registration = BackendRegistry.register(backend, "test");
             Tensor host = Tensors.of(new float[] {1, 2})) {
            host.to(FakeDeviceBackend.DEVICE).close();
            registration.close();
            assertEquals(1, backend.allocated.size());
            assertTrue(backend.allocated.getFirst().released);
        }
    }
}
