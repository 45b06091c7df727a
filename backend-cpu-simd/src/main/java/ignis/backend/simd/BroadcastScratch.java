package ignis.backend.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per thread, room for two vectors of the widest shape, at {@link #FIRST} and {@link #SECOND}: a
 * broadcast operand is written there in every lane and reloaded from the same place on every step,
 * so that a kernel's loop has one shape whatever its operands' strides (a vector chosen by a branch
 * would defeat the JIT's register allocation of vectors).
 */
final class BroadcastScratch {

    static final long FIRST = 0;
    static final long SECOND = 256;

    private static final ThreadLocal<MemorySegment> SLOTS = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(512, 64));

    private BroadcastScratch() {
    }

    /** The calling thread's scratch. */
    static MemorySegment current() {
        return SLOTS.get();
    }

    /**
     * Where a run's operand is read from: {@code src} itself, or for a broadcast ({@code stride} 0) the
     * calling thread's scratch with the element spread from byte {@code at} ({@link #spread}). {@link #offset}
     * gives the byte offset to read from.
     */
    static MemorySegment source(MemorySegment src, long index, long stride, int bytes, int lanes, long at) {
        return stride == 0 ? spread(src, index, bytes, lanes, at) : src;
    }

    /** The byte offset that goes with {@link #source}: the element's own, or {@code at} in the scratch. */
    static long offset(long index, long stride, int bytes, long at) {
        return stride == 0 ? at : index * bytes;
    }

    /**
     * Copies the {@code bytes}-wide element at {@code index} of {@code src} into {@code lanes} lanes of the
     * calling thread's scratch from byte {@code at}, as raw bits (no float conversion touches a NaN's
     * payload), and returns the scratch.
     */
    private static MemorySegment spread(MemorySegment src, long index, int bytes, int lanes, long at) {
        MemorySegment scratch = SLOTS.get();
        for (int lane = 0; lane < lanes; lane++) {
            MemorySegment.copy(src, index * bytes, scratch, at + (long) lane * bytes, bytes);
        }
        return scratch;
    }
}
