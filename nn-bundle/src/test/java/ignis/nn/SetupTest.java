package ignis.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ignis.tensor.AutogradRegistry;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import org.junit.jupiter.api.Test;

/** The tests run on the reference backend and the autograd engine, both found through ServiceLoader. */
class SetupTest {

    @Test
    void referenceBackendAndAutogradEngineAreFound() {
        assertEquals("ignis.backend.reference", BackendRegistry.backendFor(Device.CPU).getClass().getPackageName());
        assertNotNull(AutogradRegistry.engine());
    }
}
