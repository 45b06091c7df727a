package ignis.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HostCopyTest {

    /** A copy over two pieces and a part, apart or overlapping either way, moves what System.arraycopy moves. */
    @Test
    void copiesInPiecesKeepMemmovesResult() {
        int n = (int) (2 * HostCopy.PIECE_BYTES) + 12_345;
        byte[] original = new byte[n + 4096];
        new SplittableRandom(5).nextBytes(original);
        long[][] moves = {{0, 3000, n - 3000}, {3000, 0, n - 3000}, {0, 1, n - 1}, {1, 0, n - 1}, {0, 0, n}};
        for (long[] move : moves) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment memory = arena.allocateFrom(ValueLayout.JAVA_BYTE, original);
                byte[] moved = original.clone();
                System.arraycopy(moved, (int) move[0], moved, (int) move[1], (int) move[2]);

                HostCopy.copy(memory, move[0], memory, move[1], move[2]);

                assertArrayEquals(moved, memory.toArray(ValueLayout.JAVA_BYTE), "from " + move[0] + " to " + move[1]);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = arena.allocateFrom(ValueLayout.JAVA_BYTE, original);
            MemorySegment to = arena.allocate(original.length);
            HostCopy.copy(from, 0, to, 0, original.length);
            assertEquals(-1, from.mismatch(to));
        }
    }
}
