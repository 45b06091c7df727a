package ignis.runtime.events;

import ignis.tensor.DeviceEvent;
import ignis.tensor.DeviceEvents;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts every {@link DeviceEvent} to the Event Admin, asynchronously, on the topic
 * {@code ignis/device/ADDED}, {@code ignis/device/LOST} or {@code ignis/device/MIGRATED}, with the
 * event's fields as properties: {@code device}, {@code target} (migrations), {@code backend} (arrivals
 * and departures) and {@code reason} as strings; {@code tensors}, {@code bytes} and {@code pauseNanos}
 * as longs. Without an Event Admin the component is never satisfied and does nothing.
 */
@Component(immediate = true)
public final class DeviceEventBridge {

    public static final String TOPIC_PREFIX = "ignis/device/";

    private final DeviceEvents.Subscription subscription;

    @Activate
    public DeviceEventBridge(@Reference EventAdmin eventAdmin) {
        subscription = DeviceEvents.subscribe(event -> eventAdmin.postEvent(toEvent(event)));
    }

    @Deactivate
    void deactivate() {
        subscription.close();
    }

    static Event toEvent(DeviceEvent event) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("device", event.device().toString());
        if (event.target() != null) {
            properties.put("target", event.target().toString());
        }
        if (event.backend() != null) {
            properties.put("backend", event.backend());
        }
        properties.put("tensors", event.tensors());
        properties.put("bytes", event.bytes());
        properties.put("pauseNanos", event.pauseNanos());
        properties.put("reason", event.reason());
        return new Event(TOPIC_PREFIX + event.kind().name(), properties);
    }
}
