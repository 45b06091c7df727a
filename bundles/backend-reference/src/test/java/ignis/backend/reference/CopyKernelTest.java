package ignis.backend.reference;

import static ignis.backend.reference.Tensors.bits16;
import static ignis.backend.reference.Tensors.bool;
import static ignis.backend.reference.Tensors.exact;
import static ignis.backend.reference.Tensors.float32;
import static ignis.backend.reference.Tensors.float64;
import static ignis.backend.reference.Tensors.int32;
import static ignis.backend.reference.Tensors.int64;
import static ignis.backend.reference.Tensors.readBits16;
import static ignis.backend.reference.Tensors.readBoolBytes;
import static ignis.backend.reference.Tensors.readExact;
import static ignis.backend.reference.Tensors.readFloat32;
import static ignis.backend.reference.Tensors.readFloat64;
import static ignis.backend.reference.Tensors.readInt32;
import static ignis.backend.reference.Tensors.readInt64;
import static ignis.backend.reference.Tensors.segment;
import static ignis.backend.reference.Tensors.shape;
import static ignis.backend.reference.Tensors.view;
import static ignis.backend.reference.Tensors.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CopyKernelTest {

    private final Backend backend = new ReferenceBackend();

    private TensorView copyTo(DType dtype, TensorView src) {
        TensorView dst = zeros(dtype, src.shape());
        backend.copy(dst, src);
        return dst;
    }

    static Stream<Arguments> everyDtypePair() {
        return Stream.of(DType.values()).flatMap(from -> Stream.of(DType.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("everyDtypePair")
    void smallValuesConvertBetweenEveryPairOfDtypes(DType from, DType to) {
        double[] values = from == DType.BOOL ? new double[] {0, 1, 1, 0} : new double[] {0, 1, 5, 96};
        double[] expected = values.clone();
        if (to == DType.BOOL) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] = expected[i] != 0 ? 1 : 0;
            }
        }
        assertArrayEquals(expected, readExact(copyTo(to, exact(from, shape(2, 2), values))));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("everyDtypePair")
    void negativeValuesConvertBetweenSignedDtypes(DType from, DType to) {
        if (from == DType.BOOL || to == DType.BOOL) {
            return;
        }
        assertArrayEquals(new double[] {-1, -7, -100}, readExact(copyTo(to, exact(from, shape(3), -1, -7, -100))));
    }

    @Test
    void floatToIntegerTruncatesTowardZero() {
        TensorView src = float32(shape(6), 2.7f, -2.7f, 0.5f, -0.5f, 1e9f, -0f);
        assertArrayEquals(new int[] {2, -2, 0, 0, 1_000_000_000, 0}, readInt32(copyTo(DType.INT32, src)));
        assertArrayEquals(new long[] {2, -2, 0, 0, 1_000_000_000, 0}, readInt64(copyTo(DType.INT64, src)));
    }

    @Test
    void floatToIntegerOutOfRangeFollowsJavasCast() {
        // Documented choice: Java's cast (NaN to 0, saturation at the bounds); PyTorch leaves it undefined.
        TensorView src = float64(shape(5), Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3e9, -3e19);
        assertArrayEquals(new int[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE},
                readInt32(copyTo(DType.INT32, src)));
        assertArrayEquals(new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, 3_000_000_000L, Long.MIN_VALUE},
                readInt64(copyTo(DType.INT64, src)));
    }

    @Test
    void int64ToInt32WrapsAround() {
        TensorView src = int64(shape(4), (1L << 32) + 5, -1, 1L << 31, -(1L << 31) - 1);
        assertArrayEquals(new int[] {5, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}, readInt32(copyTo(DType.INT32, src)));
    }

    @Test
    void anyNonZeroIsTrue() {
        assertArrayEquals(new byte[] {1, 0, 1, 1, 0, 1},
                readBoolBytes(copyTo(DType.BOOL, float32(shape(6), Float.NaN, -0f, 1e-45f, Float.NEGATIVE_INFINITY, 0f, -2f))));
        assertArrayEquals(new byte[] {0, 1, 1}, readBoolBytes(copyTo(DType.BOOL, int64(shape(3), 0, Long.MIN_VALUE, 256))));
        // 256 as int32 is not 0 even though its low byte is.
        assertArrayEquals(new byte[] {1, 0}, readBoolBytes(copyTo(DType.BOOL, int32(shape(2), 256, 0))));
        assertArrayEquals(new byte[] {1, 0},
                readBoolBytes(copyTo(DType.BOOL, bits16(DType.FLOAT16, shape(2), 0x0001, 0x8000))));
    }

    @Test
    void boolBytesOtherThanOneReadAsTrue() {
        TensorView flags = bool(shape(3), false, true, true);
        segment(flags).set(ValueLayout.JAVA_BYTE, 2, (byte) 7);
        assertArrayEquals(new int[] {0, 1, 1}, readInt32(copyTo(DType.INT32, flags)));
        assertArrayEquals(new float[] {0, 1, 1}, readFloat32(copyTo(DType.FLOAT32, flags)));
    }

    @Test
    void int64ToFloat32RoundsOnceFromTheExactValue() {
        // 2^60 + 2^36 + 1 is just above the midpoint between the floats 2^60 and 2^60 + 2^37. Through
        // double it would first round to the midpoint 2^60 + 2^36 and then to even, 2^60.
        long value = (1L << 60) + (1L << 36) + 1;
        assertEquals(0x1p60f + 0x1p37f, readFloat32(copyTo(DType.FLOAT32, int64(shape(1), value)))[0]);
        assertEquals(0x1p53, readFloat64(copyTo(DType.FLOAT64, int64(shape(1), (1L << 53) + 1)))[0]);
        assertEquals(16777216f, readFloat32(copyTo(DType.FLOAT32, int32(shape(1), 16777217)))[0]);
    }

    @Test
    void float64ToFloat32RoundsToNearestEven() {
        TensorView src = float64(shape(5), 1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-50, 1e39, 1e-46, Double.NaN);
        float[] out = readFloat32(copyTo(DType.FLOAT32, src));
        assertEquals(1f, out[0]);
        assertEquals(1f + 0x1p-23f, out[1]);
        assertEquals(Float.POSITIVE_INFINITY, out[2]);
        assertEquals(0f, out[3]);
        assertTrue(Float.isNaN(out[4]));
    }

    @Test
    void toFloat16() {
        TensorView src = float64(shape(5), 1.0 / 3, 65520, -65519, 0x1p-25, Double.NaN);
        int[] out = readBits16(copyTo(DType.FLOAT16, src));
        assertEquals(0x3555, out[0]);
        assertEquals(0x7C00, out[1]);
        assertEquals(0xFBFF, out[2]);
        assertEquals(0x0000, out[3]);
        assertEquals(0x7C00, out[4] & 0x7C00, "NaN: exponent all ones");
        assertTrue((out[4] & 0x03FF) != 0, "NaN: fraction non-zero");
        assertArrayEquals(new int[] {0x3C00, 0x0000}, readBits16(copyTo(DType.FLOAT16, bool(shape(2), true, false))));
        assertArrayEquals(new int[] {0x6400, 0xE400}, readBits16(copyTo(DType.FLOAT16, int64(shape(2), 1024, -1024))));
    }

    @Test
    void float64NarrowsToFloat16ThroughFloat32AsPyTorchDoes() {
        // 1 + 2^-11 + 2^-40 rounds to the float 1 + 2^-11, a float16 tie that goes to even: 1.0.
        assertEquals(0x3C00, readBits16(copyTo(DType.FLOAT16, float64(shape(1), 1 + 0x1p-11 + 0x1p-40)))[0]);
    }

    @Test
    void toBfloat16() {
        TensorView src = float32(shape(5), 1.00390625f, 1.01171875f, Float.MAX_VALUE, -2.5f, Float.NaN);
        int[] out = readBits16(copyTo(DType.BFLOAT16, src));
        assertEquals(0x3F80, out[0]);
        assertEquals(0x3F82, out[1]);
        assertEquals(0x7F80, out[2]);
        assertEquals(0xC020, out[3]);
        assertTrue((out[4] & 0x7F80) == 0x7F80 && (out[4] & 0x7F) != 0, "NaN");
        assertArrayEquals(new int[] {0x4B80}, readBits16(copyTo(DType.BFLOAT16, int32(shape(1), 16777216))));
    }

    @Test
    void fromSixteenBitFloats() {
        // float16 0x3E00 = 1.5, 0xC100 = -2.5; bfloat16 0x4049 = 3.140625, 0xC0A0 = -5.
        assertArrayEquals(new double[] {1.5, -2.5}, readFloat64(copyTo(DType.FLOAT64, bits16(DType.FLOAT16, shape(2), 0x3E00, 0xC100))));
        assertArrayEquals(new int[] {1, -2}, readInt32(copyTo(DType.INT32, bits16(DType.FLOAT16, shape(2), 0x3E00, 0xC100))));
        assertArrayEquals(new long[] {3, -5}, readInt64(copyTo(DType.INT64, bits16(DType.BFLOAT16, shape(2), 0x4049, 0xC0A0))));
        assertArrayEquals(new float[] {3.140625f, -5f}, readFloat32(copyTo(DType.FLOAT32, bits16(DType.BFLOAT16, shape(2), 0x4049, 0xC0A0))));
        // float16 to bfloat16: 1/3 in float16 (0x3555 = 0.333251953125) rounds to bfloat16 0x3EAB.
        assertArrayEquals(new int[] {0x3EAB}, readBits16(copyTo(DType.BFLOAT16, bits16(DType.FLOAT16, shape(1), 0x3555))));
    }

    @Test
    void sameDtypeCopiesBitForBit() {
        TensorView src = zeros(DType.FLOAT32, 2);
        segment(src).setAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 0x7FA00001); // signaling NaN
        segment(src).setAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 1, 0x80000000); // -0.0
        TensorView dst = copyTo(DType.FLOAT32, src);
        assertEquals(0x7FA00001, Float.floatToRawIntBits(readFloat32(dst)[0]));
        assertEquals(0x80000000, Float.floatToRawIntBits(readFloat32(dst)[1]));
    }

    @Test
    void transposedSourceIsReadThroughItsStrides() {
        TensorView storage = float32(shape(6), 1, 2, 3, 4, 5, 6);
        // The 3x2 [[1, 2], [3, 4], [5, 6]] seen transposed: 2x3 with strides (1, 2).
        TensorView transposed = view(storage, 0, shape(2, 3), shape(1, 2));
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, readFloat64(copyTo(DType.FLOAT64, transposed)));
    }

    @Test
    void broadcastSourceRepeatsOneElement() {
        TensorView storage = int32(shape(3), 7, 8, 9);
        TensorView row = view(storage, 1, shape(2, 3), shape(0, 0));
        assertArrayEquals(new long[] {8, 8, 8, 8, 8, 8}, readInt64(copyTo(DType.INT64, row)));
        TensorView column = view(storage, 0, shape(3, 2), shape(1, 0));
        assertArrayEquals(new int[] {7, 7, 8, 8, 9, 9}, readInt32(copyTo(DType.INT32, column)));
    }

    @Test
    void stridedDestinationLeavesTheGapsAlone() {
        TensorView dst = float64(shape(6), -1, -1, -1, -1, -1, -1);
        TensorView everyOther = view(dst, 1, shape(3), shape(2));
        backend.copy(everyOther, int32(shape(3), 10, 20, 30));
        assertArrayEquals(new double[] {-1, 10, -1, 20, -1, 30}, readFloat64(dst));
    }

    @Test
    void rankZero() {
        TensorView dst = zeros(DType.INT64);
        backend.copy(dst, float64(shape(), -41.9));
        assertArrayEquals(new long[] {-41}, readInt64(dst));
    }

    @Test
    void inPlaceCopyOfTheSameViewChangesNothing() {
        TensorView values = float32(shape(3), 1.5f, Float.NaN, -0f);
        backend.copy(values, values);
        float[] out = readFloat32(values);
        assertEquals(1.5f, out[0]);
        assertTrue(Float.isNaN(out[1]));
        assertEquals(0x80000000, Float.floatToRawIntBits(out[2]));
    }
}
