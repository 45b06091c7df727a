package ignis.runtime.commands;

import ignis.tensor.DeviceEvent;
import ignis.tensor.DeviceEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The last device events, with the time each arrived, kept while the runtime bundle is active: what
 * {@code ignis:events} prints. Immediate, so that it hears the backends the deploy folder brings.
 */
@Component(service = DeviceEventLog.class, immediate = true)
public final class DeviceEventLog {

    private static final int CAPACITY = 256;

    /** An event and when it was published. */
    record Entry(Instant at, DeviceEvent event) {
        @Override
        public String toString() {
            return at.truncatedTo(ChronoUnit.MILLIS) + "  " + event;
        }
    }

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>(); // guarded by this
    private DeviceEvents.Subscription subscription;

    public DeviceEventLog() {
        this(CAPACITY, Clock.systemUTC());
    }

    DeviceEventLog(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    @Activate
    void activate() {
        subscription = DeviceEvents.subscribe(this::add);
    }

    @Deactivate
    void deactivate() {
        subscription.close();
    }

    synchronized void add(DeviceEvent event) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(clock.instant(), event));
    }

    /** The last {@code count} events, oldest first. */
    private synchronized List<Entry> last(int count) {
        return entries.stream().skip(Math.max(0, entries.size() - count)).toList();
    }

    /** The last {@code count} events, one a line, oldest first. */
    String format(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("events: the number of events must be at least 1, got " + count);
        }
        List<Entry> last = last(count);
        if (last.isEmpty()) {
            return "(no device events since the runtime bundle started)";
        }
        return last.stream().map(Entry::toString).collect(Collectors.joining("\n"));
    }
}
