package ignis.runtime.commands;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.DeviceEvent;
import ignis.tensor.DeviceEvents;
import ignis.tensor.HostMemoryStats;
import ignis.tensor.RegisteredBackend;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code ignis:} commands of the Gogo shell, also run by {@code ./ignis COMMAND}. */
@Component(service = IgnisCommands.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=devices",
        "osgi.command.function=memory",
        "osgi.command.function=move",
        "osgi.command.function=fail",
        "osgi.command.function=events"})
public final class IgnisCommands {


    private static final int DEFAULT_EVENTS = 20;

    private final BundleContext context;
    private final DeviceEventLog eventLog;

    @Activate
    public IgnisCommands(BundleContext context, @Reference DeviceEventLog eventLog) {
        this.context = context;
        this.eventLog = eventLog;
    }

    /** The registered backends: name, device, ranking, the bundle that provides each, and each device's live bytes. */
    public String devices() {
        return devicesTable(BackendRegistry.backends(), Tensors.liveBytes(), Device.best());
    }

    /** Live tensors, live bytes per device, the host caching allocator's figures and the number of swaps. */
    public String memory() {
        return memoryReport(Tensors.liveTensors(), liveBytesOfEveryDevice(), Tensors.hostMemoryStats(), DeviceEvents.swaps());
    }

    /** Moves the module registered as {@code name} to {@code device}, or to the best device for {@code best}. */
    public String move(String name, String device) {
        return moveModule(name, device, null);
    }

    /** Moves the module, then places it: strict, fallback or follow_best. */
    public String move(String name, String device, String policy) {
        return moveModule(name, device, policy);
    }

    /** Simulates the failure of a device: its backends leave and its tensors move to cpu. */
    public String fail(String device, String... reason) {
        Device failing = Device.of(device);
        String why = reason.length == 0 ? "simulated with ignis:fail" : String.join(" ", reason);
        List<DeviceEvent> events = new ArrayList<>();
        Thread caller = Thread.currentThread();
        int removed;
        // Listeners run on the thread that changed the devices: keep this call's events, not another thread's.
        try (DeviceEvents.Subscription subscription = DeviceEvents.subscribe(e -> {
            if (Thread.currentThread() == caller) {
                events.add(e);
            }
        })) {
            removed = BackendRegistry.fail(failing, why);
        }
        if (removed == 0) {
            throw new IllegalArgumentException("no backend of device " + failing + " is registered; devices with a backend: "
                    + devicesWithBackend());
        }
        return failReport(failing, removed, events);
    }

    /** The last 20 device events. */
    public String events() {
        return eventLog.format(DEFAULT_EVENTS);
    }

    /** The last {@code count} device events, oldest first. */
    public String events(int count) {
        return eventLog.format(count);
    }

    private String moveModule(String name, String device, String policy) {
        if (!nnPresent()) {
            throw new IllegalStateException("move needs the nn bundle (ignis.nn), which is not installed: "
                    + "drop nn-bundle.jar into the deploy folder");
        }
        return ModuleMove.move(context, name, device, policy);
    }

    /** {@code [cpu, opencl:0]}, or {@code none}. */
    static String devicesWithBackend() {
        List<Device> devices = BackendRegistry.devices();
        return devices.isEmpty() ? "none" : devices.toString();
    }

    /** Whether the nn bundle is there; loading ModuleMove without it would fail obscurely. */
    private static boolean nnPresent() {
        try {
            Class.forName("ignis.nn.Module", false, IgnisCommands.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Every device with a backend or with tensor memory, cpu always included, by name. */
    private static Map<Device, Long> liveBytesOfEveryDevice() {
        Map<Device, Long> bytes = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        bytes.put(Device.CPU, 0L);
        BackendRegistry.backends().forEach(r -> bytes.put(r.backend().device(), 0L));
        bytes.putAll(Tensors.liveBytes());
        return bytes;
    }

    /**
     * One row per backend, grouped by device with the backend that runs the device's kernels first; the
     * device's live bytes on that row.
     */
    static String devicesTable(List<RegisteredBackend> backends, Map<Device, Long> liveBytes, Device best) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BACKEND", "DEVICE", "RANKING", "BUNDLE", "LIVE"});
        Device previous = null;
        for (RegisteredBackend r : backends) {
            Device device = r.backend().device();
            String live = device.equals(previous) ? "" : ByteSize.format(liveBytes.getOrDefault(device, 0L));
            rows.add(new String[] {r.backend().name(), device.toString(), Integer.toString(r.ranking()), r.origin(), live});
            previous = device;
        }
        String table = TextTable.format(rows);
        if (backends.isEmpty()) {
            return table + "\n(no backends registered: drop a backend bundle into the deploy folder)";
        }
        return table + "\nbest device: " + best + " (tensors placed follow_best live there)";
    }

    static String memoryReport(long liveTensors, Map<Device, Long> liveBytes, HostMemoryStats host, long swaps) {
        List<String[]> devices = new ArrayList<>();
        devices.add(new String[] {"DEVICE", "LIVE"});
        liveBytes.forEach((device, bytes) -> devices.add(new String[] {device.toString(), ByteSize.format(bytes)}));
        String summary = TextTable.format(List.of(
                new String[] {"live tensors", Long.toString(liveTensors)},
                new String[] {"swaps", swaps + " (backends that arrived or left)"}));
        String allocator = TextTable.format(List.of(
                new String[] {"in use", ByteSize.format(host.inUseBytes())},
                new String[] {"peak in use", ByteSize.format(host.peakInUseBytes())},
                new String[] {"cached", ByteSize.format(host.cachedBytes()) + " of at most " + ByteSize.format(host.cacheLimit())},
                new String[] {"cache hits", Long.toString(host.hits())},
                new String[] {"cache misses", Long.toString(host.misses())}));
        return summary + "\n\n" + TextTable.format(devices) + "\n\nhost caching allocator\n" + allocator.indent(2).stripTrailing();
    }

    static String failReport(Device device, int removed, List<DeviceEvent> events) {
        StringBuilder out = new StringBuilder("device " + device + " failed: " + removed
                + (removed == 1 ? " backend" : " backends") + " removed");
        events.forEach(e -> out.append('\n').append(e));
        return out.append("\nit stays out until its backend registers again: stop and start its bundle (lb, stop ID, start ID)").toString();
    }
}
