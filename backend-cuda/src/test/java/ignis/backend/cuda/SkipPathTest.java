package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A machine without a GPU (CI, this build machine): the backend does not register, says why, and
 * nothing throws out of the probe, the ServiceLoader path or the OSGi component.
 */
class SkipPathTest {

    private static boolean driverPresent() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(CudaProbe.DRIVER_LIBRARY, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void aMissingDriverLibraryIsTheReason() {
        CudaProbe.Result result = CudaProbe.probe("libignis-no-such-driver.so.1", getClass().getClassLoader());
        assertFalse(result.available());
        assertEquals(0, result.devices());
        assertTrue(result.reason().contains("libignis-no-such-driver.so.1"), result.reason());
    }

    @Test
    void theProbeOfThisMachineGivesAResultAndNeverThrows() {
        CudaProbe.Result result = CudaProbe.result();
        assertNotNull(result);
        assertEquals(result.available(), result.reason() == null);
        assertEquals(result.available(), result.devices() > 0);
    }

    @Test
    void jcudaWithoutLibcudaThrowsLinkageErrorsThatTheProbeCatches() {
        assumeFalse(driverPresent(), "this machine has " + CudaProbe.DRIVER_LIBRARY);
        // JCuda's static initializer fails with UnsatisfiedLinkError, every later use with NoClassDefFoundError.
        CudaProbe.Result first = CudaProbe.initDriver(List.of());
        CudaProbe.Result second = CudaProbe.initDriver(List.of());
        assertFalse(first.available());
        assertFalse(second.available());
        assertTrue(first.reason().startsWith("JCuda's driver library does not load"), first.reason());
        assertTrue(second.reason().contains("NoClassDefFoundError") || second.reason().contains("UnsatisfiedLinkError"), second.reason());
    }

    @Test
    void withoutAGpuNothingRegistersAndTheConstructorSaysWhy() {
        CudaProbe.Result probe = CudaProbe.result();
        assumeFalse(probe.available(), "this machine has a GPU");
        IllegalStateException e = assertThrows(IllegalStateException.class, CudaBackend::new);
        assertTrue(e.getMessage().contains(probe.reason()), e.getMessage());
        // The registry's class-path scan skips the provider (ServiceConfigurationError) and carries on.
        assertFalse(BackendRegistry.hasBackend(new Device("cuda", 0)));
        assertTrue(BackendRegistry.backends().stream().noneMatch(r -> r.backend().device().type().equals("cuda")));
        assertTrue(BackendRegistry.hasBackend(Device.CPU), "the cpu backends are still found");
    }

    @Test
    void withoutAGpuTheComponentRegistersNoService() {
        assumeFalse(CudaProbe.result().available(), "this machine has a GPU");
        CudaDevices component = new CudaDevices(null); // a BundleContext is only used to register GPUs
        component.deactivate();
    }
}
