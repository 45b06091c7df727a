package ignis.runtime.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.Device;
import ignis.tensor.RegisteredBackend;
import ignis.tensor.spi.Backend;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnisCommandsTest {

    /** A backend that only describes itself: the table reads nothing else. */
    private static Backend describedAs(String name, Device device, int ranking) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "device" -> device;
                    case "ranking" -> ranking;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void devicesPrintsOneAlignedRowPerBackend() {
        String table = IgnisCommands.devicesTable(List.of(
                new RegisteredBackend(describedAs("cpu-simd", Device.CPU, 100), "ignis.backend.simd 0.1.0"),
                new RegisteredBackend(describedAs("opencl", Device.of("opencl:0"), 50), "ignis.backend.opencl 0.1.0")));
        assertEquals("""
                BACKEND   DEVICE    RANKING  BUNDLE
                cpu-simd  cpu       100      ignis.backend.simd 0.1.0
                opencl    opencl:0  50       ignis.backend.opencl 0.1.0""", table);
    }

    @Test
    void devicesSaysSoWhenThereIsNoBackend() {
        assertEquals("""
                BACKEND  DEVICE  RANKING  BUNDLE
                (no backends registered: drop a backend bundle into the deploy folder)""", IgnisCommands.devicesTable(List.of()));
    }
}
