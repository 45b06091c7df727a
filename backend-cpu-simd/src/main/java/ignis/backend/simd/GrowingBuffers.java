package ignis.backend.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Slots of per-thread scratch buffers that grow to the largest size asked of them and are then reused. */
final class GrowingBuffers {

    private GrowingBuffers() {
    }

    /** Slot {@code slot} of {@code buffers}, replaced by a larger array if it holds fewer than {@code floats}. */
    static float[] floats(float[][] buffers, int slot, int floats) {
        if (buffers[slot].length < floats) {
            buffers[slot] = new float[floats];
        }
        return buffers[slot];
    }

    /** Slot {@code slot} of {@code segments}, replaced by a larger native segment (64-byte aligned) if it holds fewer than {@code bytes}. */
    static MemorySegment bytes(MemorySegment[] segments, int slot, long bytes) {
        if (segments[slot].byteSize() < bytes) {
            segments[slot] = Arena.ofAuto().allocate(bytes, 64);
        }
        return segments[slot];
    }
}
