package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link InnerRuns#range} and {@link InnerRuns#nextSpan}: what the threads of a split walk each visit. */
class InnerRunsSpansTest {

    /** Every element's offsets in row-major order, by unravelling each position (independent of InnerRuns). */
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

    private static List<long[]> spans(InnerRuns runs, int operands) {
        List<long[]> visited = new ArrayList<>();
        while (runs.nextSpan()) {
            for (long j = 0; j < runs.spanLength(); j++) {
                long[] at = new long[operands];
                for (int k = 0; k < operands; k++) {
                    at[k] = runs.spanOffset(k) + j * runs.stride(k);
                }
                visited.add(at);
            }
        }
        return visited;
    }

    @Test
    void rangesVisitExactlyTheirElementsAndCopiesAreIndependent() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            int rank = random.nextInt(0, 5);
            int operands = random.nextInt(1, 4);
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = random.nextInt(0, 6);
            }
            long[][] strides = new long[operands][rank];
            long[] offsets = new long[operands];
            for (int k = 0; k < operands; k++) {
                offsets[k] = random.nextInt(0, 9);
                long s = 1;
                for (int d = rank - 1; d >= 0; d--) {
                    strides[k][d] = k % 2 == 0 ? s : random.nextInt(0, 8);
                    s *= Math.max(shape[d], 1);
                }
            }
            InnerRuns runs = InnerRuns.over(shape, offsets, strides);
            List<long[]> expected = naive(shape, offsets, strides);
            assertEquals(expected.size(), runs.elements());
            String what = "shape " + Arrays.toString(shape) + " strides " + Arrays.deepToString(strides);
            // The whole walk without a range, then three consecutive ranges on copies.
            List<long[]> whole = spans(runs.copy(), operands);
            assertEquals(expected.size(), whole.size(), what);
            long n = expected.size();
            long a = n == 0 ? 0 : random.nextLong(n + 1);
            long b = a + (n - a == 0 ? 0 : random.nextLong(n - a + 1));
            List<long[]> pieces = new ArrayList<>();
            for (long[] range : new long[][] {{0, a}, {a, b}, {b, n}}) {
                InnerRuns mine = runs.copy();
                mine.range(range[0], range[1]);
                List<long[]> got = spans(mine, operands);
                assertEquals(range[1] - range[0], got.size(), what + " range " + Arrays.toString(range));
                pieces.addAll(got);
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(expected.get(i), whole.get(i), what + " element " + i);
                assertArrayEquals(expected.get(i), pieces.get(i), what + " element " + i + " of the ranges");
            }
        }
    }

    @Test
    void aRangeThatStartsAndEndsInsideRuns() {
        // Two runs of 5 (the second operand is padded): elements [3, 8) are 2 of run 0 and 3 of run 1.
        InnerRuns runs = InnerRuns.over(new long[] {2, 5}, new long[] {0, 100}, new long[] {5, 1}, new long[] {7, 1});
        runs.range(3, 8);
        List<long[]> spans = new ArrayList<>();
        while (runs.nextSpan()) {
            spans.add(new long[] {runs.spanOffset(0), runs.spanOffset(1), runs.spanLength()});
        }
        assertEquals(2, spans.size());
        assertArrayEquals(new long[] {3, 103, 2}, spans.get(0));
        assertArrayEquals(new long[] {5, 107, 3}, spans.get(1));
    }

    @Test
    void refusesRangesOutsideTheWalk() {
        InnerRuns runs = InnerRuns.over(new long[] {4}, new long[] {0}, new long[] {1});
        assertThrows(IndexOutOfBoundsException.class, () -> runs.range(-1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> runs.range(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> runs.range(0, 5));
    }
}
