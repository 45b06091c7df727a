package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InnerRunsTest {

    /** Every element's offsets, operand by operand, in the order the walk visits them. */
    private static List<long[]> walk(InnerRuns runs, int operands) {
        List<long[]> visited = new ArrayList<>();
        while (runs.next()) {
            for (long j = 0; j < runs.length(); j++) {
                long[] at = new long[operands];
                for (int k = 0; k < operands; k++) {
                    at[k] = runs.offset(k) + j * runs.stride(k);
                }
                visited.add(at);
            }
        }
        return visited;
    }

    /** The same, by unravelling every row-major position. */
    private static List<long[]> naive(long[] shape, long[] offsets, long[][] strides) {
        long numel = 1;
        for (long s : shape) {
            numel *= s;
        }
        List<long[]> visited = new ArrayList<>();
        for (long i = 0; i < numel; i++) {
            long[] at = offsets.clone();
            long rest = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                long index = rest % shape[d];
                rest /= shape[d];
                for (int k = 0; k < at.length; k++) {
                    at[k] += index * strides[k][d];
                }
            }
            visited.add(at);
        }
        return visited;
    }

    @Test
    void visitsEveryElementInRowMajorOrder() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 3000; trial++) {
            int rank = random.nextInt(0, 5);
            int operands = random.nextInt(1, 4);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = random.nextInt(0, 5);
            }
            long[][] strides = new long[operands][rank];
            long[] offsets = new long[operands];
            for (int k = 0; k < operands; k++) {
                offsets[k] = random.nextInt(0, 9);
                // Half the operands row-major (mergeable), the others with random strides, zeros included.
                long s = 1;
                for (int d = rank - 1; d >= 0; d--) {
                    strides[k][d] = k % 2 == 0 ? s : random.nextInt(0, 8);
                    s *= Math.max(shape[d], 1);
                }
            }
            InnerRuns runs = InnerRuns.over(shape, offsets, strides);
            List<long[]> got = walk(runs, operands);
            List<long[]> expected = naive(shape, offsets, strides);
            String what = "shape " + Arrays.toString(shape) + " strides " + Arrays.deepToString(strides);
            assertEquals(expected.size(), got.size(), what);
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), what + " element " + i);
            }
            // seek: starting at any run gives the same offsets as walking there.
            if (runs.runs() > 1) {
                long target = random.nextLong(runs.runs());
                runs.seek(target);
                assertTrue(runs.next());
                assertEquals(target, runs.run());
                long[] at = new long[operands];
                for (int k = 0; k < operands; k++) {
                    at[k] = runs.offset(k);
                }
                assertArrayEquals(expected.get((int) (target * runs.length())), at, what + " seek " + target);
            }
        }
    }

    @Test
    void mergesDenseDimensionsIntoOneRun() {
        long[] shape = {2, 3, 4};
        long[] rowMajor = {12, 4, 1};
        InnerRuns runs = InnerRuns.over(shape, new long[] {0, 5}, rowMajor, rowMajor);
        assertEquals(1, runs.runs());
        assertEquals(24, runs.length());
        assertEquals(1, runs.stride(0));
    }

    @Test
    void keepsRunsWhereAnOperandIsPaddedOrBroadcast() {
        InnerRuns padded = InnerRuns.over(new long[] {2, 67}, new long[] {0, 5}, new long[] {67, 1}, new long[] {70, 1});
        assertEquals(2, padded.runs());
        assertEquals(67, padded.length());
        InnerRuns broadcast = InnerRuns.over(new long[] {3, 8}, new long[] {0, 0}, new long[] {8, 1}, new long[] {0, 1});
        assertEquals(3, broadcast.runs());
        assertEquals(1, broadcast.stride(1));
        InnerRuns trailing = InnerRuns.over(new long[] {3, 8}, new long[] {0, 0}, new long[] {8, 1}, new long[] {1, 0});
        assertEquals(8, trailing.length());
        assertEquals(0, trailing.stride(1));
    }

    @Test
    void dropsDimensionsOfSizeOne() {
        InnerRuns runs = InnerRuns.over(new long[] {1, 5, 1}, new long[] {2}, new long[] {99, 3, 77});
        assertEquals(1, runs.runs());
        assertEquals(5, runs.length());
        assertEquals(3, runs.stride(0));
    }

    @Test
    void rankZeroIsOneElementAndAZeroSizeIsNone() {
        InnerRuns scalar = InnerRuns.over(new long[0], new long[] {7, 3}, new long[0], new long[0]);
        assertTrue(scalar.next());
        assertEquals(1, scalar.length());
        assertEquals(7, scalar.offset(0));
        assertEquals(3, scalar.offset(1));
        assertFalse(scalar.next());
        InnerRuns empty = InnerRuns.over(new long[] {3, 0, 2}, new long[] {0}, new long[] {0, 2, 1});
        assertEquals(0, empty.runs());
        assertFalse(empty.next());
    }

    @Test
    void restartsFromNewOffsets() {
        InnerRuns runs = InnerRuns.over(new long[] {2, 3}, new long[] {0}, new long[] {10, 2});
        assertEquals(List.of(0L, 10L), starts(runs));
        runs.restart(100);
        assertEquals(List.of(100L, 110L), starts(runs));
    }

    private static List<Long> starts(InnerRuns runs) {
        List<Long> starts = new ArrayList<>();
        while (runs.next()) {
            starts.add(runs.offset(0));
        }
        return starts;
    }
}
