package ignis.tensor;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where {@link DeviceEvent}s are published. Listeners are called on the thread that made the change,
 * after ops may run again; a listener that throws is logged and does not stop the others. Inside
 * OSGi the runtime also posts every event to the Event Admin.
 */
public final class DeviceEvents {

    private static final System.Logger LOG = System.getLogger(DeviceEvents.class.getName());
    private static final List<Consumer<? super DeviceEvent>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final AtomicLong SWAPS = new AtomicLong();

    private DeviceEvents() {
    }

    /** A listener's subscription; closing it stops the calls. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    public static Subscription subscribe(Consumer<? super DeviceEvent> listener) {
        Consumer<? super DeviceEvent> entry = listener::accept; // a distinct object, so one listener may subscribe twice
        LISTENERS.add(entry);
        return () -> LISTENERS.remove(entry);
    }

    /** How many times a backend arrived or left since the JVM started. */
    public static long swaps() {
        return SWAPS.get();
    }

    static void publish(List<DeviceEvent> events) {
        for (DeviceEvent event : events) {
            if (event.kind() != DeviceEvent.Kind.MIGRATED) {
                SWAPS.incrementAndGet();
            }
            LOG.log(Level.INFO, event.toString());
            for (Consumer<? super DeviceEvent> listener : LISTENERS) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a device event listener failed on " + event, e);
                }
            }
        }
    }
}
