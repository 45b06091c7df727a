package ignis.tensor;

import ignis.tensor.spi.Backend;
import ignis.tensor.spi.DeviceBackend;
import java.lang.System.Logger.Level;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The only place that knows which backends exist. Inside OSGi, backend services are registered here
 * as they come and go; off OSGi, the backends on the class path are found once with
 * {@link ServiceLoader}. Code may also {@linkplain #register register} a backend itself.
 */
public final class BackendRegistry {

    private static final System.Logger LOG = System.getLogger(BackendRegistry.class.getName());

    private static final Comparator<RegisteredBackend> ORDER = Comparator
            .comparing((RegisteredBackend r) -> r.backend().device().toString())
            .thenComparing(r -> -r.ranking())
            .thenComparing(r -> r.backend().name());

    private static final Object LOCK = new Object();
    private static List<RegisteredBackend> backends = List.of();
    private static volatile Map<Device, Backend> best = Map.of();
    private static boolean classPathScanned;

    private BackendRegistry() {
    }

    /**
     * The present backends, ordered by device, then from the highest ranking down. An immutable snapshot.
     */
    public static List<RegisteredBackend> backends() {
        synchronized (LOCK) {
            scanClassPathOnce();
            return backends;
        }
    }

    /**
     * The highest-ranked backend of a device: the one that runs its kernels.
     *
     * @throws IllegalStateException naming the device and the devices that have backends
     */
    public static Backend backendFor(Device device) {
        Backend backend = best.get(device);
        if (backend == null) {
            synchronized (LOCK) {
                scanClassPathOnce();
                backend = best.get(device);
            }
        }
        if (backend == null) {
            throw new IllegalStateException("no backend for device " + device + " is registered"
                    + (best.isEmpty() ? " (no backend at all: install backend-cpu-simd or backend-reference)"
                            : "; devices with a backend: " + devices()));
        }
        return backend;
    }

    /** The devices that have a backend, ordered by name. */
    public static List<Device> devices() {
        return backends().stream().map(r -> r.backend().device()).distinct().toList();
    }

    /** The device of the highest-ranked backend, or cpu when there is none. */
    static Device bestDevice() {
        return backends().stream()
                .max(Comparator.comparingInt(RegisteredBackend::ranking))
                .map(r -> r.backend().device())
                .orElse(Device.CPU);
    }

    /** Whether a backend for the device is registered. */
    public static boolean hasBackend(Device device) {
        synchronized (LOCK) {
            scanClassPathOnce();
        }
        return best.containsKey(device);
    }

    private static void scanClassPathOnce() {
        if (!classPathScanned) {
            classPathScanned = true;
            if (insideOsgi()) {
                return; // backends arrive as services; ServiceLoader would only see the launcher's class path
            }
            for (Backend backend : loadFromClassPath()) {
                add(new RegisteredBackend(backend, originOf(backend)));
            }
        }
    }

    /**
     * Registers a backend until the returned registration is closed. Waits for the ops in flight; when
     * the backend's device becomes the best one, the tensors placed {@link Placement#FOLLOW_BEST} move
     * to it before ops run again.
     *
     * @param origin where the backend comes from, shown by {@code ignis devices}
     * @throws IllegalStateException when called on a thread that holds the {@link DeviceGate}
     */
    public static Registration register(Backend backend, String origin) {
        RegisteredBackend entry = new RegisteredBackend(backend, origin);
        Device device = backend.device();
        List<DeviceEvent> events = new ArrayList<>();
        Migration.Moved[] followed = {null};
        long pause = DeviceGate.exclusive(() -> {
            synchronized (LOCK) {
                scanClassPathOnce();
                add(entry);
            }
            followed[0] = Migration.followers(bestDevice());
        });
        String reason = "backend " + backend.name() + " arrived";
        events.add(new DeviceEvent(DeviceEvent.Kind.ADDED, device, null, backend.name(), 0, 0, pause, reason));
        events.addAll(Migration.events(followed[0], pause, reason + ": following the best device"));
        DeviceEvents.publish(events);
        return new Registration(entry);
    }

    /**
     * Simulates the failure of a device, or reports a real one: every backend of the device leaves the
     * registry as if its bundle had stopped (the tensors on it move to cpu, STRICT ones are marked lost),
     * and stays out until it registers again. Returns the number of backends removed.
     */
    public static int fail(Device device, String reason) {
        if (device.equals(Device.CPU)) {
            throw new IllegalArgumentException("cpu cannot fail: it holds the host memory that other devices fall back to");
        }
        List<Registration> gone;
        synchronized (LOCK) {
            scanClassPathOnce();
            gone = backends.stream().filter(r -> r.backend().device().equals(device)).map(Registration::new).toList();
        }
        for (Registration registration : gone) {
            registration.leave("device " + device + " failed: " + reason);
        }
        return gone.size();
    }

    private static void add(RegisteredBackend entry) {
        List<RegisteredBackend> next = new ArrayList<>(backends);
        next.add(entry);
        publish(next);
    }

    private static void publish(List<RegisteredBackend> next) {
        next.sort(ORDER);
        backends = List.copyOf(next);
        Map<Device, Backend> bestOf = new HashMap<>();
        for (RegisteredBackend r : backends) {
            bestOf.putIfAbsent(r.backend().device(), r.backend());
        }
        best = Map.copyOf(bestOf);
    }

    /**
     * A backend's presence in the registry; closing it removes the backend. It waits for the ops in
     * flight; when the last backend of a device with memory of its own leaves, every tensor on that
     * device is first moved to cpu through it, and the FOLLOW_BEST ones then go on to the best device
     * left. When another backend of the device stays, the tensors in memory that the leaving one
     * allocated move to it instead. Closing twice, or after the device {@linkplain #fail failed}, does nothing.
     */
    public static final class Registration implements AutoCloseable {
        private final RegisteredBackend entry;

        private Registration(RegisteredBackend entry) {
            this.entry = entry;
        }

        @Override
        public void close() {
            leave("backend " + entry.backend().name() + " left");
        }

        private void leave(String reason) {
            Backend leaving = entry.backend();
            Device device = leaving.device();
            boolean[] present = {false};
            Migration.Moved[] evacuated = {null};
            Migration.Moved[] followed = {null};
            long pause = DeviceGate.exclusive(() -> {
                boolean lastOfDevice;
                synchronized (LOCK) {
                    present[0] = backends.stream().anyMatch(r -> r == entry);
                    lastOfDevice = backends.stream().noneMatch(r -> r != entry && r.backend().device().equals(device));
                }
                if (!present[0]) {
                    return;
                }
                try {
                    if (lastOfDevice && leaving instanceof DeviceBackend deviceBackend) {
                        evacuated[0] = Migration.evacuate(deviceBackend);
                    }
                } finally { // whatever the evacuation met, the backend leaves
                    synchronized (LOCK) {
                        List<RegisteredBackend> next = new ArrayList<>(backends);
                        next.removeIf(r -> r == entry);
                        publish(next);
                    }
                }
                if (!lastOfDevice && leaving instanceof DeviceBackend deviceBackend) {
                    evacuated[0] = Migration.handOver(deviceBackend); // its memory goes with it
                }
                followed[0] = Migration.followers(bestDevice());
            });
            if (!present[0]) {
                return;
            }
            List<DeviceEvent> events = new ArrayList<>();
            events.add(new DeviceEvent(DeviceEvent.Kind.LOST, device, null, leaving.name(), 0, 0, pause, reason));
            events.addAll(Migration.events(evacuated[0], pause, reason));
            events.addAll(Migration.events(followed[0], pause, reason + ": following the best device"));
            DeviceEvents.publish(events);
        }
    }

    /** Whether tensor-api was loaded by an OSGi framework (its loader is a BundleReference), checked by name so that off OSGi no OSGi class is needed. */
    private static boolean insideOsgi() {
        ClassLoader loader = BackendRegistry.class.getClassLoader();
        for (Class<?> c = loader == null ? null : loader.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                if (implemented.getName().equals("org.osgi.framework.BundleReference")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Providers that fail to load or link (a SIMD backend on a JVM without the Vector API) are skipped and logged. */
    private static List<Backend> loadFromClassPath() {
        List<Backend> found = new ArrayList<>();
        Iterator<Backend> providers = ServiceLoader.load(Backend.class).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return found;
                }
                found.add(Objects.requireNonNull(providers.next()));
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.log(Level.WARNING, "skipping a backend that cannot be loaded: " + e);
            }
        }
    }

    private static String originOf(Backend backend) {
        CodeSource source = backend.getClass().getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "class path";
        }
        String path = source.getLocation().getPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
