package ignis.runtime.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.Device;
import ignis.tensor.DeviceEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeviceEventLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T17:00:00.123456Z"), ZoneOffset.UTC);

    private static DeviceEvent lost(String backend) {
        return new DeviceEvent(DeviceEvent.Kind.LOST, Device.of("opencl:0"), null, backend, 0, 0, 1_500_000, "backend " + backend + " left");
    }

    @Test
    void keepsTheLastEventsUpToItsCapacityAndPrintsTheNewestOnesOldestFirst() {
        DeviceEventLog log = new DeviceEventLog(3, CLOCK);
        for (String backend : new String[] {"a", "b", "c", "d"}) {
            log.add(lost(backend));
        }
        assertEquals("""
                2026-11-22T17:00:00.123Z  lost opencl:0 (c): backend c left, pause 1.500 ms
                2026-11-22T17:00:00.123Z  lost opencl:0 (d): backend d left, pause 1.500 ms""", log.format(2));
        assertEquals(3, log.format(10).lines().count(), "the oldest event fell out");
    }

    @Test
    void saysSoWhenThereIsNoEventAndRejectsACountBelowOne() {
        DeviceEventLog log = new DeviceEventLog(3, CLOCK);
        assertEquals("(no device events since the runtime bundle started)", log.format(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.format(0));
        assertEquals("events: the number of events must be at least 1, got 0", e.getMessage());
    }
}
