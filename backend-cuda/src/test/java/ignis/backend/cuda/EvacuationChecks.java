package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Tensors (and views of them) on cuda:0 move to cpu with their values when the backend
 * leaves the registry, work queued before is finished first, and the device memory is returned.
 * On a GPU ({@link GpuEvacuationTest}) and on the CPU emulator ({@link EmulatedEvacuationTest});
 * {@link FakeDeviceBackendTest} covers the plumbing everywhere.
 */
abstract class EvacuationChecks {

    /** The device under test, or an assumption failure saying why there is none. */
    abstract CudaApi open();


    @Test
    void tensorsOnTheGpuMoveToCpuWhenTheBackendLeaves() {
        CudaBackend backend = new CudaBackend(0, open());
        Tensor sum;
        Tensor transposed;
        try (BackendRegistry.Registration registration = BackendRegistry.register(backend, "test");
             Tensor host = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor onDevice = host.to(backend.device())) {
            sum = onDevice.add(onDevice); // queued, maybe not yet run when the backend leaves
            transposed = sum.transpose(0, 1);
            assertEquals(backend.device(), sum.device());
            registration.close();
            assertEquals(Device.CPU, sum.device());
            assertEquals(Device.CPU, transposed.device());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, sum.toFloatArray());
            try (Tensor dense = transposed.contiguous()) {
                assertArrayEquals(new float[] {2, 8, 4, 10, 6, 12}, dense.toFloatArray());
            }
            assertEquals(0, Tensors.liveBytes(backend.device()));
        } finally {
            backend.close();
        }
        sum.close();
        transposed.close();
        assertEquals(0, backend.allocator().inUseBytes());
    }
}
