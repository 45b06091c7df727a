package ignis.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Storage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What the kit does not cover: failures (build errors, device memory running out), closing, and discovery. */
class OpenCLBackendTest {

    @Test
    void aKernelThatFailsToBuildNamesItselfTheErrorCodeAndTheBuildLog() {
        OpenCLBackend backend = OpenCLDevice.backend();
        ClException e = assertThrows(ClException.class,
                () -> backend.cl.launch("broken_kernel", () -> "__kernel void broken_kernel(__global int* p) { p[0] = undeclared_name; }\n", 1,
                        new ClContext.Mem(0)));
        assertTrue(e.getMessage().contains("broken_kernel"), e.getMessage());
        assertTrue(e.getMessage().contains("-11") && e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared_name"), "the build log names the culprit: " + e.getMessage());
        assertEquals(-11, e.code);
    }

    @Test
    void runningOutOfDeviceMemoryIsAnOutOfMemoryErrorNamingTheDevice() {
        OpenCLBackend backend = OpenCLDevice.backend();
        long tooMuch = backend.cl.globalMemory + 1;
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> backend.allocate(tooMuch));
        assertTrue(e.getMessage().contains("opencl:0") && e.getMessage().contains(Long.toString(tooMuch)), e.getMessage());
        // the backend still works afterwards
        Storage s = backend.allocate(64);
        s.release();
    }

    @Test
    void closingReleasesEveryBufferAndRefusesFurtherWork() {
        Assumptions.assumeTrue(OpenCLBackend.available(), () -> "skipped: " + OpenCLBackend.unavailableReason());
        OpenCLBackend own = new OpenCLBackend(0);
        Storage kept = own.allocate(1 << 20);
        own.allocate(1000).release();
        assertEquals(1 << 20, own.cl.liveBytes());
        own.close();
        assertEquals(0, own.cl.liveBytes());
        assertThrows(IllegalStateException.class, () -> own.allocate(16));
        kept.release(); // after close: nothing left to do, and no error
        own.close(); // twice is fine
    }

    @Test
    void theServiceLoaderFindsOpencl0AndItComputes() {
        Assumptions.assumeTrue(OpenCLBackend.available(), () -> "skipped: " + OpenCLBackend.unavailableReason());
        Device device = Device.of("opencl:0");
        assertTrue(BackendRegistry.hasBackend(device), "opencl:0 through META-INF/services");
        try (var scope = Tensors.scope()) {
            Tensor a = Tensors.ones(Shape.of(2, 3), DType.FLOAT32, device);
            Tensor b = a.add(a).sum();
            assertEquals(device, b.device());
            assertEquals(12f, b.toFloatArray()[0]);
        }
    }
}
