package ignis.runtime.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.HostMemoryStats;
import ignis.tensor.RegisteredBackend;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Backend;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
    void devicesPrintsOneAlignedRowPerBackendAndEachDevicesLiveBytesOnItsFirstRow() {
        String table = IgnisCommands.devicesTable(List.of(
                new RegisteredBackend(describedAs("cpu-simd", Device.CPU, 100), "ignis.backend.simd 0.1.0"),
                new RegisteredBackend(describedAs("reference", Device.CPU, 0), "ignis.backend.reference 0.1.0"),
                new RegisteredBackend(describedAs("opencl", Device.of("opencl:0"), 50), "ignis.backend.opencl 0.1.0")),
                Map.of(Device.CPU, 4096L), Device.CPU);
        assertEquals("""
                BACKEND    DEVICE    RANKING  BUNDLE                         LIVE
                cpu-simd   cpu       100      ignis.backend.simd 0.1.0       4.0 KiB
                reference  cpu       0        ignis.backend.reference 0.1.0
                opencl     opencl:0  50       ignis.backend.opencl 0.1.0     0 B
                best device: cpu (tensors placed follow_best live there)""", table);
    }

    @Test
    void devicesSaysSoWhenThereIsNoBackend() {
        assertEquals("""
                BACKEND  DEVICE  RANKING  BUNDLE  LIVE
                (no backends registered: drop a backend bundle into the deploy folder)""",
                IgnisCommands.devicesTable(List.of(), Map.of(), Device.CPU));
    }

    @Test
    void memoryReportsTensorsBytesPerDeviceTheHostAllocatorAndSwaps() {
        String report = IgnisCommands.memoryReport(7, Map.of(Device.CPU, 1536L),
                new HostMemoryStats(1536, 3L << 20, 512, 1L << 30, 40, 9), 3);
        assertEquals("""
                live tensors  7
                swaps         3 (backends that arrived or left)

                DEVICE  LIVE
                cpu     1.5 KiB

                host caching allocator
                  in use        1.5 KiB
                  peak in use   3.0 MiB
                  cached        512 B of at most 1.0 GiB
                  cache hits    40
                  cache misses  9""", report);
    }

    @Test
    void memoryReadsTheFiguresOfThisTensorApi() {
        String report = commands().memory();
        assertTrue(report.contains("host caching allocator"), report);
        assertTrue(Pattern.compile("(?m)^cpu +\\d").matcher(report).find(), report);
    }

    @Test
    void failMovesTheTensorsOfAFailedDeviceToCpuAndPrintsTheEventsItCaused() {
        DeviceEventLog log = new DeviceEventLog();
        log.activate();
        BackendRegistry.Registration registration = BackendRegistry.register(FakeDevice.ranked(1), "test");
        try (Tensor host = Tensors.of(new float[] {1, 2, 3}, 3);
             Tensor onDevice = host.to(FakeDevice.DEVICE)) {
            String report = new IgnisCommands(null, log).fail("fake:0", "driver", "crashed");

            assertTrue(Pattern.compile("""
                    device fake:0 failed: 1 backend removed
                    lost fake:0 \\(simulated-fake:0\\): device fake:0 failed: driver crashed, pause [0-9.]+ ms
                    migrated 1 tensors \\(\\d+ bytes\\) from fake:0 to cpu: device fake:0 failed: driver crashed, pause [0-9.]+ ms
                    it stays out until its backend registers again: .*""").matcher(report).matches(), report);
            assertEquals(Device.CPU, onDevice.device());
            assertArrayEquals(new float[] {1, 2, 3}, onDevice.toFloatArray());
            assertTrue(log.format(2).contains("lost fake:0 (simulated-fake:0)"), "the event log heard the failure too");
        } finally {
            registration.close();
            log.deactivate();
        }
    }

    @Test
    void failNamesTheDevicesWithABackendWhenTheDeviceHasNone() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands().fail("nothing:0"));
        assertTrue(e.getMessage().startsWith("no backend of device nothing:0 is registered; devices with a backend: [cpu"), e.getMessage());
    }

    @Test
    void cpuCannotFail() {
        assertThrows(IllegalArgumentException.class, () -> commands().fail("cpu"));
    }

    private static IgnisCommands commands() {
        return new IgnisCommands(null, new DeviceEventLog());
    }
}
