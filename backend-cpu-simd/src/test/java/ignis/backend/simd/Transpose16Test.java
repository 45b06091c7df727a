package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link Transpose16#block} against the definition, with row strides and destinations that are not the block's own. */
class Transpose16Test {

    @Test
    void columnsBecomeRowsAtTheirDestinations() {
        assumeTrue(FloatVector.SPECIES_PREFERRED.length() >= 16, "needs 512-bit vectors");
        long stride = 37;
        long from = 5;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate((from + 16 * stride) * Float.BYTES);
            for (long i = 0; i < src.byteSize() / Float.BYTES; i++) {
                src.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
            }
            int first = 3;
            int second = 500;
            int step = 20;
            float[] to = new float[700];
            Transpose16.block(src, from, stride, to, first, second, step);
            for (int q = 0; q < 16; q++) {
                int row = (q < 8 ? first + q * step : second + (q - 8) * step);
                for (int j = 0; j < 16; j++) {
                    // column q of source row j lands in destination row q, position j
                    assertEquals(from + j * stride + q, to[row + j], "column " + q + ", row " + j);
                }
            }
        }
    }
}
