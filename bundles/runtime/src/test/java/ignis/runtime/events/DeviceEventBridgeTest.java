package ignis.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.Device;
import ignis.tensor.DeviceEvent;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class DeviceEventBridgeTest {

    private static Map<String, Object> properties(Event event) {
        Map<String, Object> out = new TreeMap<>();
        Arrays.stream(event.getPropertyNames()).filter(n -> !n.equals("event.topics")).forEach(n -> out.put(n, event.getProperty(n)));
        return out;
    }

    @Test
    void aMigrationIsPostedWithItsTargetAndFigures() {
        Event event = DeviceEventBridge.toEvent(new DeviceEvent(DeviceEvent.Kind.MIGRATED, Device.of("cuda:0"), Device.CPU,
                null, 3, 4096, 250_000, "backend cuda left"));
        assertEquals("ignis/device/MIGRATED", event.getTopic());
        assertEquals(Map.of("device", "cuda:0", "target", "cpu", "tensors", 3L, "bytes", 4096L, "pauseNanos", 250_000L,
                "reason", "backend cuda left"), properties(event));
    }

    @Test
    void anArrivalIsPostedWithItsBackendAndNoTarget() {
        Event event = DeviceEventBridge.toEvent(new DeviceEvent(DeviceEvent.Kind.ADDED, Device.CPU, null,
                "reference", 0, 0, 1000, "backend reference arrived"));
        assertEquals("ignis/device/ADDED", event.getTopic());
        assertEquals(Map.of("device", "cpu", "backend", "reference", "tensors", 0L, "bytes", 0L, "pauseNanos", 1000L,
                "reason", "backend reference arrived"), properties(event));
    }
}
