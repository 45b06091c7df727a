package ignis.tensor;

import java.util.Objects;

/**
 * Something that happened to the devices: a backend arrived or left, or tensors were migrated.
 *
 * @param kind       what happened
 * @param device     the device that was added or lost, or the device the tensors left
 * @param target     where migrated tensors went; null for the other kinds
 * @param backend    the name of the backend that arrived or left; null for a migration
 * @param tensors    the storages migrated (a tensor and its views share one); 0 for the other kinds
 * @param bytes      the bytes migrated; 0 for the other kinds
 * @param pauseNanos how long ops were held back for the change (waiting for in-flight ops, moving memory)
 * @param reason     why: {@code "backend cpu-simd left"}, {@code "simulated failure"}, ...
 */
public record DeviceEvent(Kind kind, Device device, Device target, String backend, long tensors, long bytes,
                          long pauseNanos, String reason) {

    /** The kinds of device events. */
    public enum Kind {
        /** A backend registered; its device may be new. */
        ADDED,
        /** A backend left, or its device failed. */
        LOST,
        /** Tensors moved from {@code device} to {@code target}. */
        MIGRATED
    }

    public DeviceEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ADDED -> String.format("added %s (%s): %s, pause %.3f ms", device, backend, reason, pauseNanos / 1e6);
            case LOST -> String.format("lost %s (%s): %s, pause %.3f ms", device, backend, reason, pauseNanos / 1e6);
            case MIGRATED -> String.format("migrated %d tensors (%d bytes) from %s to %s: %s, pause %.3f ms",
                    tensors, bytes, device, target, reason, pauseNanos / 1e6);
        };
    }
}
