package ignis.backend.reference;

import static ignis.backend.reference.Tensors.readFloat32;
import static ignis.backend.reference.Tensors.readFloat64;
import static ignis.backend.reference.Tensors.readInt32;
import static ignis.backend.reference.Tensors.readInt64;
import static ignis.backend.reference.Tensors.shape;
import static ignis.backend.reference.Tensors.view;
import static ignis.backend.reference.Tensors.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.Philox;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.TensorView;
import org.junit.jupiter.api.Test;

/**
 * The draws are recomputed here from Philox's raw output words with the conversions that
 * {@link Philox} documents, so that the kernel's use of the counter (offset + row-major position) and
 * its scaling are checked, not just repeated.
 */
class RandomKernelTest {

    private static final long SEED = 0x1234_5678_9ABC_DEF0L;

    private final Backend backend = new ReferenceBackend();

    private static long words64(int low, int high) {
        return (long) high << 32 | low & 0xFFFFFFFFL;
    }

    @Test
    void philoxMatchesTheKnownAnswersOfRandom123() {
        // Random123's kat_vectors for philox4x32-10: counter and key all zeros, and all ones.
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, Philox.block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, Philox.block(-1, -1, -1, -1, -1, -1));
    }

    @Test
    void uniformFloat32UsesCounterOffsetPlusRowMajorPosition() {
        // The output is a transposed view: row-major position follows the shape, not the memory.
        TensorView storage = zeros(DType.FLOAT32, 6);
        TensorView out = view(storage, 0, shape(2, 3), shape(1, 2));
        long offset = 1000;
        backend.random(RandomDistribution.UNIFORM, out, -2, 3, SEED, offset);
        float[] actual = readFloat32(out);
        for (int i = 0; i < 6; i++) {
            int w0 = Philox.block(SEED, offset + i)[0];
            double unit = (w0 >>> 8) / 16777216.0;
            assertEquals((float) (-2 + 5 * unit), actual[i], "element " + i);
            assertTrue(actual[i] >= -2 && actual[i] <= 3);
        }
    }

    @Test
    void uniformFloat64Uses53BitsOfTwoWords() {
        TensorView out = zeros(DType.FLOAT64, 5);
        backend.random(RandomDistribution.UNIFORM, out, 10, 12, SEED, 7);
        double[] actual = readFloat64(out);
        for (int i = 0; i < 5; i++) {
            int[] w = Philox.block(SEED, 7 + i);
            double unit = (words64(w[0], w[1]) >>> 11) * 0x1p-53;
            assertEquals(10 + 2 * unit, actual[i], 0.0);
        }
    }

    @Test
    void normalIsMeanPlusStdTimesBoxMuller() {
        TensorView out64 = zeros(DType.FLOAT64, 4);
        TensorView out32 = zeros(DType.FLOAT32, 4);
        backend.random(RandomDistribution.NORMAL, out64, 1.5, 2, SEED, 0);
        backend.random(RandomDistribution.NORMAL, out32, 1.5, 2, SEED, 0);
        double[] actual64 = readFloat64(out64);
        float[] actual32 = readFloat32(out32);
        for (int i = 0; i < 4; i++) {
            int[] w = Philox.block(SEED, i);
            double u1 = ((words64(w[0], w[1]) >>> 11) + 1) * 0x1p-53;
            double u2 = (words64(w[2], w[3]) >>> 11) * 0x1p-53;
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            assertEquals(1.5 + 2 * z, actual64[i], 1e-12);
            double v1 = ((w[0] >>> 8) + 1) * 0x1p-24;
            double v2 = (w[1] >>> 8) * 0x1p-24;
            float z32 = (float) (Math.sqrt(-2 * Math.log(v1)) * Math.cos(2 * Math.PI * v2));
            assertEquals((float) (1.5 + 2 * (double) z32), actual32[i]);
        }
    }

    @Test
    void normalHasTheRequestedMeanAndDeviation() {
        TensorView out = zeros(DType.FLOAT32, 20_000);
        backend.random(RandomDistribution.NORMAL, out, -3, 0.5, 42, 0);
        double sum = 0;
        double squares = 0;
        for (float value : readFloat32(out)) {
            sum += value;
            squares += value * (double) value;
        }
        double mean = sum / 20_000;
        double deviation = Math.sqrt(squares / 20_000 - mean * mean);
        assertEquals(-3, mean, 0.02);
        assertEquals(0.5, deviation, 0.02);
    }

    @Test
    void integersAreTheSameDrawsInEveryOutputDtype() {
        long low = -5;
        long high = 7;
        TensorView ints = zeros(DType.INT32, 50);
        TensorView longs = zeros(DType.INT64, 50);
        TensorView floats = zeros(DType.FLOAT32, 50);
        TensorView doubles = zeros(DType.FLOAT64, 50);
        for (TensorView out : new TensorView[] {ints, longs, floats, doubles}) {
            backend.random(RandomDistribution.INTEGER, out, low, high, SEED, 3);
        }
        long[] expected = new long[50];
        for (int i = 0; i < 50; i++) {
            int[] w = Philox.block(SEED, 3 + i);
            expected[i] = low + Math.unsignedMultiplyHigh(words64(w[0], w[1]), high - low);
            assertTrue(expected[i] >= low && expected[i] < high);
        }
        assertArrayEquals(expected, readInt64(longs));
        int[] fromInts = readInt32(ints);
        float[] fromFloats = readFloat32(floats);
        double[] fromDoubles = readFloat64(doubles);
        for (int i = 0; i < 50; i++) {
            assertEquals(expected[i], fromInts[i]);
            assertEquals(expected[i], fromFloats[i]);
            assertEquals(expected[i], fromDoubles[i]);
        }
    }

    @Test
    void integersCoverTheFullInt64Range() {
        TensorView out = zeros(DType.INT64, 200);
        backend.random(RandomDistribution.INTEGER, out, Long.MIN_VALUE, Long.MAX_VALUE, SEED, 0);
        boolean negative = false;
        boolean positive = false;
        for (long value : readInt64(out)) {
            negative |= value < 0;
            positive |= value > 0;
        }
        assertTrue(negative && positive);
    }

    @Test
    void rankZeroUsesTheOffsetItself() {
        TensorView out = zeros(DType.FLOAT32);
        backend.random(RandomDistribution.UNIFORM, out, 0, 1, SEED, 99);
        assertEquals(Philox.uniform32(SEED, 99), readFloat32(out)[0]);
    }

    @Test
    void uniformIntoAnIntegerTensorIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> backend.random(RandomDistribution.UNIFORM, zeros(DType.INT32, 2), 0, 1, SEED, 0));
    }
}
