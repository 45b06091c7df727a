package ignis.tck;

import ignis.tensor.spi.HostStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Host memory the kit owns: a 64-byte aligned segment of an automatic arena, little-endian. */
final class KitHostStorage implements HostStorage {

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;

    KitHostStorage(long bytes) {
        segment = Arena.ofAuto().allocate(Math.max(bytes, 1), 64);
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    /** The memory goes with the automatic arena once unreachable. */
    @Override
    public void release() {
    }

    /** Sets every byte to {@code value}. */
    void fillBytes(byte value) {
        segment.fill(value);
    }

    /** The raw bits of element {@code index} of {@code size} bytes, zero-extended. */
    long get(long index, int size) {
        return switch (size) {
            case 1 -> segment.get(ValueLayout.JAVA_BYTE, index) & 0xFFL;
            case 2 -> segment.get(SHORT, index * 2) & 0xFFFFL;
            case 4 -> segment.get(INT, index * 4) & 0xFFFFFFFFL;
            case 8 -> segment.get(LONG, index * 8);
            default -> throw new IllegalArgumentException("element size " + size);
        };
    }

    void set(long index, int size, long raw) {
        switch (size) {
            case 1 -> segment.set(ValueLayout.JAVA_BYTE, index, (byte) raw);
            case 2 -> segment.set(SHORT, index * 2, (short) raw);
            case 4 -> segment.set(INT, index * 4, (int) raw);
            case 8 -> segment.set(LONG, index * 8, raw);
            default -> throw new IllegalArgumentException("element size " + size);
        }
    }
}
