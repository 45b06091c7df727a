package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Without the autograd bundle, tensors that require grad compute as usual and backward() says what is missing. */
class NoAutogradEngineTest {

    @Test
    void backwardSaysThatNoEngineIsInstalled() {
        assertNull(AutogradRegistry.engine(), "this module's tests run without an autograd engine");
        try (BackendRegistry.Registration registration = BackendRegistry.register(new FakeDeviceBackend(), "test");
             Tensor x = Tensors.of(new float[] {1, 2}).requiresGrad_(true);
             Tensor moved = x.to(FakeDeviceBackend.DEVICE)) {
            assertEquals(FakeDeviceBackend.DEVICE, moved.device());
            assertNull(moved.gradFn());
            IllegalStateException e = assertThrows(IllegalStateException.class, x::backward);
            assertEquals("backward(): no autograd engine is installed (install the ignis autograd bundle)", e.getMessage());
        }
    }
}
