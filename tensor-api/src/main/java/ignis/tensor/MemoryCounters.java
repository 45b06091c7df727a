package ignis.tensor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live-tensor and live-byte counters behind {@link Tensors#liveTensors()} and {@link Tensors#liveBytes}. */
final class MemoryCounters {

    private static final AtomicLong LIVE_TENSORS = new AtomicLong();
    private static final Map<Device, AtomicLong> LIVE_BYTES = new ConcurrentHashMap<>();

    private MemoryCounters() {
    }

    static void tensorOpened() {
        LIVE_TENSORS.incrementAndGet();
    }

    static void tensorClosed() {
        LIVE_TENSORS.decrementAndGet();
    }

    static long liveTensors() {
        return LIVE_TENSORS.get();
    }

    static void allocated(Device device, long bytes) {
        LIVE_BYTES.computeIfAbsent(device, d -> new AtomicLong()).addAndGet(bytes);
    }

    static void released(Device device, long bytes) {
        LIVE_BYTES.computeIfAbsent(device, d -> new AtomicLong()).addAndGet(-bytes);
    }

    static long liveBytes(Device device) {
        AtomicLong bytes = LIVE_BYTES.get(device);
        return bytes == null ? 0 : bytes.get();
    }

    static Map<Device, Long> liveBytes() {
        Map<Device, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        LIVE_BYTES.forEach((device, bytes) -> out.put(device, bytes.get()));
        return out;
    }
}
