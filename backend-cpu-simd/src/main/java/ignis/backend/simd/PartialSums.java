package ignis.backend.simd;

import static ignis.backend.simd.Elements.FLOAT;
import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.ComputePool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums over the chunks of a batch (a weight gradient's products), split over the {@link ComputePool}:
 * the chunks of a part add into the part's own sums, which are added up in part order at the end, so
 * that a run repeats bit for bit for a given number of threads.
 */
final class PartialSums {

    private static final VectorSpecies<Float> FLOATS = Gemm.FLOATS.species();

    /** Adds the terms of one chunk to the sums from {@code sumsOff}. */
    interface Terms {
        void addTo(long chunk, MemorySegment sums, long sumsOff);
    }

    private PartialSums() {
    }

    /**
     * The {@code size} sums of the terms of {@code chunks} chunks, in the first {@code size} floats of
     * the returned segment: slot {@code slot} of the calling thread's {@code segments}, grown to hold a
     * part's sums per part.
     */
    static MemorySegment over(int chunks, int size, MemorySegment[] segments, int slot, Terms terms) {
        int parts = ComputePool.parts(chunks, 1);
        long bytes = (long) parts * size * Float.BYTES;
        MemorySegment sums = GrowingBuffers.bytes(segments, slot, bytes);
        sums.asSlice(0, bytes).fill((byte) 0);
        ComputePool.forRange(parts, 1, (fromPart, toPart) -> {
            for (long part = fromPart; part < toPart; part++) {
                for (long chunk = chunks * part / parts; chunk < chunks * (part + 1) / parts; chunk++) {
                    terms.addTo(chunk, sums, part * size);
                }
            }
        });
        int lanes = FLOATS.length();
        int whole = size / lanes * lanes;
        for (int part = 1; part < parts; part++) {
            long from = (long) part * size;
            for (int e = 0; e < whole; e += lanes) {
                FloatVector total = FloatVector.fromMemorySegment(FLOATS, sums, (long) e * Float.BYTES, ORDER);
                total.add(FloatVector.fromMemorySegment(FLOATS, sums, (from + e) * Float.BYTES, ORDER))
                        .intoMemorySegment(sums, (long) e * Float.BYTES, ORDER);
            }
            for (int e = whole; e < size; e++) {
                sums.setAtIndex(FLOAT, e, sums.getAtIndex(FLOAT, e) + sums.getAtIndex(FLOAT, from + e));
            }
        }
        return sums;
    }
}
