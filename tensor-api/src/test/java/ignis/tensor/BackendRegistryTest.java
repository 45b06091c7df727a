package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

    @Test
    void findsClassPathBackendsAndSkipsTheOnesThatFailToLoad() {
        List<RegisteredBackend> found = BackendRegistry.backends();
        List<String> names = found.stream().map(r -> r.backend().name()).toList();
        assertTrue(names.contains("class-path-test"), names.toString());
        assertFalse(names.contains("failing"), names.toString());
        RegisteredBackend classPath = found.stream().filter(r -> r.backend().name().equals("class-path-test")).findFirst().orElseThrow();
        assertEquals("test-classes", classPath.origin());
        assertEquals(Device.of("test-device:3"), classPath.backend().device());
    }

    @Test
    void ordersByDeviceThenHighestRankingFirst() {
        Device device = Device.of("order-test");
        try (var low = BackendRegistry.register(new TestBackend("low", device, 1), "test");
             var high = BackendRegistry.register(new TestBackend("high", device, 100), "test");
             var middle = BackendRegistry.register(new TestBackend("middle", device, 50), "test")) {
            List<String> names = BackendRegistry.backends().stream()
                    .filter(r -> r.backend().device().equals(device))
                    .map(r -> r.backend().name())
                    .toList();
            assertEquals(List.of("high", "middle", "low"), names);
        }
    }

    @Test
    void anOperatorCanOverrideARankingWithASystemProperty() {
        Device device = Device.of("override-test");
        System.setProperty("ignis.ranking.overridden", "500");
        try (var plain = BackendRegistry.register(new TestBackend("plain", device, 100), "test");
             var overridden = BackendRegistry.register(new TestBackend("overridden", device, 1), "test")) {
            RegisteredBackend first = BackendRegistry.backends().stream()
                    .filter(r -> r.backend().device().equals(device)).findFirst().orElseThrow();
            assertEquals("overridden", first.backend().name());
            assertEquals(500, first.ranking());
            assertEquals("overridden", BackendRegistry.backendFor(device).name());
        } finally {
            System.clearProperty("ignis.ranking.overridden");
        }
    }

    @Test
    void closingARegistrationRemovesExactlyThatBackend() {
        Device device = Device.of("close-test");
        TestBackend backend = new TestBackend("twin", device, 5);
        var first = BackendRegistry.register(backend, "first");
        var second = BackendRegistry.register(backend, "second");
        first.close();
        first.close();
        List<String> origins = BackendRegistry.backends().stream()
                .filter(r -> r.backend().device().equals(device))
                .map(RegisteredBackend::origin)
                .toList();
        assertEquals(List.of("second"), origins);
        second.close();
        assertTrue(BackendRegistry.backends().stream().noneMatch(r -> r.backend().device().equals(device)));
    }

    @Test
    void snapshotsCannotBeModified() {
        assertThrows(UnsupportedOperationException.class,
                () -> BackendRegistry.backends().add(new RegisteredBackend(new TestBackend("x", Device.CPU, 0), "x")));
    }
}
