package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tensors (and views of them) on cuda:0 move to cpu with their values when the backend
 * leaves the registry, work queued before is finished first, and the device memory is returned;
 * when another backend of cuda:0 stays, they move to its memory instead.
 * On a GPU ({@link GpuEvacuationTest}) and on the CPU emulator ({@link EmulatedEvacuationTest});
 * {@link FakeDeviceBackendTest} covers the plumbing everywhere.
 */
abstract class EvacuationChecks {

    private static final Device CUDA0 = DeviceToItself.CUDA0;

    /** The device under test, or an assumption failure saying why there is none. */
    abstract CudaApi open();

    private DeviceToItself deviceToItself;

    @BeforeEach
    void takeTheDevice() {
        deviceToItself = new DeviceToItself();
    }

    @AfterEach
    void giveItBack() {
        deviceToItself.close();
    }

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

    @Test
    void whenAnotherBackendOfTheGpuStaysTheTensorsMoveToItsMemory() {
        CudaBackend leaving = new CudaBackend(0, open());
        CudaBackend staying = new CudaBackend(0, open());
        try (BackendRegistry.Registration first = BackendRegistry.register(leaving, "test");
             Tensor host = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
             Tensor onDevice = host.to(CUDA0);
             Tensor product = onDevice.matmul(onDevice)) { // queued on the leaving backend's stream
            try (BackendRegistry.Registration second = BackendRegistry.register(staying, "test")) {
                first.close();
                leaving.close();
                assertEquals(0, leaving.allocator().inUseBytes(), "the leaving backend's memory is all returned");
                assertEquals(CUDA0, product.device());
                assertArrayEquals(new float[] {7, 10, 15, 22}, product.toFloatArray());
                try (Tensor again = product.add(onDevice)) {
                    assertArrayEquals(new float[] {8, 12, 18, 26}, again.toFloatArray());
                }
                second.close();
                assertEquals(Device.CPU, product.device());
                assertArrayEquals(new float[] {7, 10, 15, 22}, product.toFloatArray());
            }
        } finally {
            leaving.close();
            staying.close();
        }
        assertEquals(0, staying.allocator().inUseBytes());
    }
}
