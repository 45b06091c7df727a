package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ignis.tensor.spi.HostCopy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Copies between Java arrays and host memory longer than the pieces they go in ({@link HostCopy#PIECE_BYTES}), for each element size. */
class TransfersTest {

    /** Elements of 8 bytes spanning two whole pieces and part of a third; 4-byte ones a whole piece and a part. */
    private static final int N = (int) (2 * HostCopy.PIECE_BYTES / Long.BYTES) + 12_345;

    @Test
    void arraysRoundTripAcrossPieceBoundaries() {
        float[] floats = new float[N];
        double[] doubles = new double[N];
        int[] ints = new int[N];
        long[] longs = new long[N];
        for (int i = 0; i < N; i++) {
            floats[i] = i;
            doubles[i] = i + 0.5;
            ints[i] = -i;
            longs[i] = 3L * i - 7;
        }
        try (Tensor f = Tensors.of(floats, N); Tensor d = Tensors.of(doubles, N); Tensor n = Tensors.of(ints, N);
             Tensor l = Tensors.of(longs, N)) {
            assertArrayEquals(floats, f.toFloatArray());
            assertArrayEquals(doubles, d.toDoubleArray());
            assertArrayEquals(ints, n.toIntArray());
            assertArrayEquals(longs, l.toLongArray());
        }
    }

    @Test
    void aViewStartingPartWayCopiesOutItsOwnElements() {
        long[] longs = new long[N];
        Arrays.setAll(longs, i -> i);
        long start = HostCopy.PIECE_BYTES / Long.BYTES - 3;
        try (Tensor all = Tensors.of(longs, N); Tensor tail = all.narrow(0, start, N - start)) {
            assertArrayEquals(Arrays.copyOfRange(longs, (int) start, N), tail.toLongArray());
        }
    }
}
