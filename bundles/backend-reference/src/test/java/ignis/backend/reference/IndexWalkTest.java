package ignis.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexWalkTest {

    private static List<long[]> visit(long... shape) {
        List<long[]> seen = new ArrayList<>();
        IndexWalk walk = new IndexWalk(shape);
        while (walk.next()) {
            seen.add(walk.index().clone());
        }
        return seen;
    }

    @Test
    void rankZeroHasExactlyOneEmptyIndex() {
        List<long[]> seen = visit();
        assertEquals(1, seen.size());
        assertEquals(0, seen.get(0).length);
    }

    @Test
    void visitsRowMajorWithTheLastAxisFastest() {
        List<long[]> seen = visit(2, 3);
        long[][] expected = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};
        assertEquals(expected.length, seen.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], seen.get(i));
        }
    }

    @Test
    void visitsEveryIndexOfAHigherRankShapeOnce() {
        List<long[]> seen = visit(2, 1, 3, 4);
        assertEquals(24, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            long[] index = seen.get(i);
            assertEquals(i, ((index[0] * 1 + index[1]) * 3 + index[2]) * 4 + index[3]);
        }
    }

    @Test
    void aZeroSizeHasNoIndex() {
        assertTrue(visit(3, 0, 2).isEmpty());
    }

    @Test
    void staysFinishedAfterTheLastIndex() {
        IndexWalk walk = new IndexWalk(new long[] {2});
        assertTrue(walk.next());
        assertTrue(walk.next());
        assertFalse(walk.next());
        assertFalse(walk.next());
    }
}
