package ignis.backend.reference;

import static ignis.backend.reference.Tensors.bool;
import static ignis.backend.reference.Tensors.exact;
import static ignis.backend.reference.Tensors.float32;
import static ignis.backend.reference.Tensors.float64;
import static ignis.backend.reference.Tensors.int32;
import static ignis.backend.reference.Tensors.int64;
import static ignis.backend.reference.Tensors.readBoolBytes;
import static ignis.backend.reference.Tensors.readExact;
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
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TensorView;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BinaryKernelTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private final Backend backend = new ReferenceBackend();

    private double[] apply(BinaryOp op, double[] a, double[] b) {
        TensorView out = zeros(DType.FLOAT64, a.length);
        backend.binary(op, out, float64(shape(a.length), a), float64(shape(b.length), b));
        return readFloat64(out);
    }

    private long[] apply(BinaryOp op, long[] a, long[] b) {
        TensorView out = zeros(DType.INT64, a.length);
        backend.binary(op, out, int64(shape(a.length), a), int64(shape(b.length), b));
        return readInt64(out);
    }

    private int[] apply(BinaryOp op, int[] a, int[] b) {
        TensorView out = zeros(DType.INT32, a.length);
        backend.binary(op, out, int32(shape(a.length), a), int32(shape(b.length), b));
        return readInt32(out);
    }

    private byte[] compare(BinaryOp op, TensorView a, TensorView b) {
        TensorView out = zeros(DType.BOOL, a.shape());
        backend.binary(op, out, a, b);
        return readBoolBytes(out);
    }

    private static void assertBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(actual[i]), "element " + i + " should be NaN, was " + actual[i]);
            } else {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                        "element " + i + ": expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT32", "INT64", "FLOAT32", "FLOAT64"})
    void arithmeticInEveryArithmeticDtype(DType dtype) {
        TensorView a = exact(dtype, shape(4), 7, -7, 9, 0);
        TensorView b = exact(dtype, shape(4), 2, 2, -4, 5);
        double[][] expected = {
            {9, -5, 5, 5},       // ADD
            {5, -9, 13, -5},     // SUB
            {14, -14, -36, 0},   // MUL
            {3, -4, -3, 0},      // FLOOR_DIVIDE
            {1, 1, -3, 0},       // REMAINDER
            {49, 49, 1.0 / 6561, 0}, // POW (ints skip the negative exponent below)
            {7, 2, 9, 5},        // MAXIMUM
            {2, -7, -4, 0},      // MINIMUM
        };
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.FLOOR_DIVIDE, BinaryOp.REMAINDER,
            BinaryOp.POW, BinaryOp.MAXIMUM, BinaryOp.MINIMUM};
        for (int k = 0; k < ops.length; k++) {
            if (ops[k] == BinaryOp.POW && dtype.isIntegral()) {
                continue;
            }
            TensorView out = zeros(dtype, 4);
            backend.binary(ops[k], out, a, b);
            double[] actual = readExact(out);
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[k][i], actual[i], Math.ulp(expected[k][i]) * (dtype == DType.FLOAT32 ? 1 << 29 : 1),
                        ops[k] + " element " + i + " in " + dtype);
            }
        }
    }

    @Test
    void float32ArithmeticRoundsToFloat32() {
        TensorView out = zeros(DType.FLOAT32, 3);
        backend.binary(BinaryOp.ADD, out, float32(shape(3), 1f, 16777216f, 0.1f), float32(shape(3), 0x1p-24f, 1f, 0.2f));
        // 1 + 2^-24 is a tie between 1 and 1 + 2^-23: even; 2^24 + 1 likewise; and Java's float sum is
        // correctly rounded, like the kernel's.
        assertArrayEquals(new float[] {1f, 16777216f, 0.1f + 0.2f}, readFloat32(out));
        backend.binary(BinaryOp.DIV, out, float32(shape(3), 1f, 2f, 1f), float32(shape(3), 3f, 3f, 0f));
        assertArrayEquals(new float[] {1f / 3, 2f / 3, Float.POSITIVE_INFINITY}, readFloat32(out));
    }

    @Test
    void integerArithmeticWrapsAround() {
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0},
                apply(BinaryOp.ADD, new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 65536}, new int[] {1, -1, -65536}));
        // 65536 * 65536 = 2^32 wraps to 0; 32769 * 65536 = 2^31 + 2^16 wraps to -2^31 + 2^16.
        assertArrayEquals(new int[] {0, -2147483648 + 65536},
                apply(BinaryOp.MUL, new int[] {65536, 32769}, new int[] {65536, 65536}));
        assertArrayEquals(new long[] {Long.MIN_VALUE}, apply(BinaryOp.ADD, new long[] {Long.MAX_VALUE}, new long[] {1}));
    }

    @Test
    void trueDivision() {
        assertBits(new double[] {INF, -INF, NAN, -0.0, 0.5}, apply(BinaryOp.DIV, new double[] {1, -1, 0, 0, 1}, new double[] {0, 0, 0, -5, 2}));
    }

    @Test
    void integerFloorDivisionAndRemainderFollowPython() {
        long[] a = {7, -7, 7, -7, 0, Long.MIN_VALUE};
        long[] b = {2, 2, -2, -2, 3, -1};
        assertArrayEquals(new long[] {3, -4, -4, 3, 0, Long.MIN_VALUE}, apply(BinaryOp.FLOOR_DIVIDE, a, b));
        assertArrayEquals(new long[] {1, 1, -1, -1, 0, 0}, apply(BinaryOp.REMAINDER, a, b));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -1},
                apply(BinaryOp.FLOOR_DIVIDE, new int[] {Integer.MIN_VALUE, -1}, new int[] {-1, 3}));
        assertArrayEquals(new int[] {2}, apply(BinaryOp.REMAINDER, new int[] {-1}, new int[] {3}));
    }

    @Test
    void integerDivisionByZeroThrows() {
        for (BinaryOp op : new BinaryOp[] {BinaryOp.FLOOR_DIVIDE, BinaryOp.REMAINDER}) {
            assertThrows(ArithmeticException.class, () -> apply(op, new long[] {1, 2}, new long[] {1, 0}));
            assertThrows(ArithmeticException.class, () -> apply(op, new int[] {1}, new int[] {0}));
        }
    }

    @Test
    void floatFloorDivisionFollowsPython() {
        double[] a = {7.5, -7.5, 7.5, -1, 1, -1, 0, 5, -5, INF, 1};
        double[] b = {2, 2, -2, 3, 0, 0, 0, INF, INF, 2, 0.1};
        // Python: 7.5//2 = 3, -7.5//2 = -4, 7.5//-2 = -4, -1//3 = -1, 5//inf = 0, -5//inf = -1, inf//2 = nan,
        // and 1//0.1 = 9 (0.1 is a little more than a tenth), not floor(1/0.1) = floor(10.0).
        assertBits(new double[] {3, -4, -4, -1, INF, -INF, NAN, 0, -1, NAN, 9}, apply(BinaryOp.FLOOR_DIVIDE, a, b));
        // Python: -0.0//5 = -0.0, 0.0//-5 = -0.0, 0.5//inf = 0.0, -0.5//inf = -1.0.
        assertBits(new double[] {-0.0, -0.0, 0.0, -1}, apply(BinaryOp.FLOOR_DIVIDE, new double[] {-0.0, 0.0, 0.5, -0.5}, new double[] {5, -5, INF, INF}));
    }

    @Test
    void floatRemainderHasTheDivisorsSign() {
        double[] a = {7.5, -7.5, 7.5, -7.5, -4, 5, -1, 1, 1, INF};
        double[] b = {2, 2, -2, -2, 2, 0, INF, -INF, 0.1, 2};
        // Python: 7.5%2 = 1.5, -7.5%2 = 0.5, 7.5%-2 = -0.5, -7.5%-2 = -1.5, -1%inf = inf, 1%-inf = -inf,
        // 1%0.1 = 0.09999999999999995; PyTorch keeps fmod's -0.0 for -4%2 and gives NaN for x%0.
        assertBits(new double[] {1.5, 0.5, -0.5, -1.5, -0.0, NAN, INF, -INF, 0.09999999999999995, NAN},
                apply(BinaryOp.REMAINDER, a, b));
    }

    @Test
    void floatPower() {
        assertBits(new double[] {1024, 0.5, NAN, 1, 1, INF, 0},
                apply(BinaryOp.POW, new double[] {2, 2, -8, 0, NAN, 0, 0}, new double[] {10, -1, 1.0 / 3, 0, 0, -1, 3}));
        TensorView out = zeros(DType.FLOAT32, 1);
        backend.binary(BinaryOp.POW, out, float32(shape(1), 3f), float32(shape(1), 0.5f));
        assertEquals((float) Math.sqrt(3), readFloat32(out)[0]);
    }

    @Test
    void floatPowerFollowsCNotJava() {
        // C99 (and so PyTorch): pow(1, y) = 1 for every y, NaN included; pow(-1, +-inf) = 1. Java's
        // Math.pow gives NaN for all four.
        assertBits(new double[] {1, 1, 1, 1, 1, 1},
                apply(BinaryOp.POW, new double[] {1, 1, 1, -1, -1, 1}, new double[] {NAN, INF, -INF, INF, -INF, 1e300}));
        assertBits(new double[] {NAN, INF, 0, -INF},
                apply(BinaryOp.POW, new double[] {-1, 0, INF, -0.0}, new double[] {NAN, -2, -1, -3}));
    }

    @Test
    void integerPowerIsExactWithWrapAround() {
        assertArrayEquals(new long[] {1024, BigInteger.valueOf(3).pow(40).longValue(), 1, -8, 1, 0, 1},
                apply(BinaryOp.POW, new long[] {2, 3, 0, -2, 7, 0, -1}, new long[] {10, 40, 0, 3, 0, 5, 1L << 40}));
        assertArrayEquals(new int[] {BigInteger.valueOf(3).pow(21).intValue(), BigInteger.valueOf(-5).pow(15).intValue()},
                apply(BinaryOp.POW, new int[] {3, -5}, new int[] {21, 15}));
    }

    @Test
    void integerToANegativePowerThrows() {
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> apply(BinaryOp.POW, new long[] {2}, new long[] {-1}));
        assertTrue(e.getMessage().startsWith("Integers to negative integer powers are not allowed"), e.getMessage());
    }

    @Test
    void maximumAndMinimumPropagateNaN() {
        assertBits(new double[] {NAN, NAN, 2, 0.0}, apply(BinaryOp.MAXIMUM, new double[] {NAN, 1, 2, -0.0}, new double[] {1, NAN, -INF, 0.0}));
        assertBits(new double[] {NAN, NAN, -INF, -0.0}, apply(BinaryOp.MINIMUM, new double[] {NAN, 1, 2, -0.0}, new double[] {1, NAN, -INF, 0.0}));
        assertArrayEquals(new long[] {Long.MAX_VALUE, 3}, apply(BinaryOp.MAXIMUM, new long[] {Long.MAX_VALUE, -3}, new long[] {Long.MIN_VALUE, 3}));
    }

    @Test
    void atan2() {
        assertBits(new double[] {Math.PI / 4, Math.PI, -Math.PI / 2, NAN},
                apply(BinaryOp.ATAN2, new double[] {1, 0, -1, NAN}, new double[] {1, -1, 0, 1}));
    }

    @Test
    void comparisonsWithNaNAreFalseExceptNotEqual() {
        TensorView a = float64(shape(4), NAN, 1, NAN, 2);
        TensorView b = float64(shape(4), 1, NAN, NAN, 2);
        assertArrayEquals(new byte[] {0, 0, 0, 1}, compare(BinaryOp.EQ, a, b));
        assertArrayEquals(new byte[] {1, 1, 1, 0}, compare(BinaryOp.NE, a, b));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, compare(BinaryOp.LT, a, b));
        assertArrayEquals(new byte[] {0, 0, 0, 1}, compare(BinaryOp.LE, a, b));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, compare(BinaryOp.GT, a, b));
        assertArrayEquals(new byte[] {0, 0, 0, 1}, compare(BinaryOp.GE, a, b));
    }

    @Test
    void comparisonsOfFloats() {
        TensorView a = float32(shape(3), -0f, 1f, Float.NEGATIVE_INFINITY);
        TensorView b = float32(shape(3), 0f, 2f, -1e38f);
        assertArrayEquals(new byte[] {1, 0, 0}, compare(BinaryOp.EQ, a, b));
        assertArrayEquals(new byte[] {0, 1, 1}, compare(BinaryOp.LT, a, b));
        assertArrayEquals(new byte[] {1, 0, 0}, compare(BinaryOp.GE, a, b));
    }

    @Test
    void int64ComparisonsAreExactBeyondDoublePrecision() {
        TensorView a = int64(shape(2), 1L << 53, Long.MAX_VALUE - 1);
        TensorView b = int64(shape(2), (1L << 53) + 1, Long.MAX_VALUE);
        assertArrayEquals(new byte[] {1, 1}, compare(BinaryOp.LT, a, b));
        assertArrayEquals(new byte[] {0, 0}, compare(BinaryOp.EQ, a, b));
        assertArrayEquals(new byte[] {1, 0}, compare(BinaryOp.GT, int32(shape(2), 3, -3), int32(shape(2), -3, 3)));
    }

    @Test
    void boolOperandsCompareAsZeroAndOne() {
        TensorView a = bool(shape(4), true, false, true, false);
        TensorView b = bool(shape(4), false, true, true, false);
        assertArrayEquals(new byte[] {0, 1, 0, 0}, compare(BinaryOp.LT, a, b));
        assertArrayEquals(new byte[] {1, 0, 1, 1}, compare(BinaryOp.GE, a, b));
        assertArrayEquals(new byte[] {0, 0, 1, 1}, compare(BinaryOp.EQ, a, b));
    }

    @Test
    void logicalOpsReadNonZeroAsTrue() {
        TensorView a = float64(shape(4), NAN, -0.0, 2, 0);
        TensorView b = float64(shape(4), 1, 1, 0, 0);
        assertArrayEquals(new byte[] {1, 0, 0, 0}, compare(BinaryOp.LOGICAL_AND, a, b));
        assertArrayEquals(new byte[] {1, 1, 1, 0}, compare(BinaryOp.LOGICAL_OR, a, b));
        assertArrayEquals(new byte[] {0, 1, 1, 0}, compare(BinaryOp.LOGICAL_XOR, a, b));
        TensorView c = int64(shape(2), Long.MIN_VALUE, 0);
        assertArrayEquals(new byte[] {1, 0}, compare(BinaryOp.LOGICAL_AND, c, int64(shape(2), 5, 5)));
        TensorView flags = bool(shape(2), true, false);
        assertArrayEquals(new byte[] {1, 1}, compare(BinaryOp.LOGICAL_XOR, flags, bool(shape(2), false, true)));
    }

    @Test
    void broadcastOperandsHaveZeroStrides() {
        // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30] (a row repeated) and * 2 (a rank-0 tensor repeated).
        TensorView a = float32(shape(2, 3), 1, 2, 3, 4, 5, 6);
        TensorView row = view(float32(shape(3), 10, 20, 30), 0, shape(2, 3), shape(0, 1));
        TensorView out = zeros(DType.FLOAT32, 2, 3);
        backend.binary(BinaryOp.ADD, out, a, row);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, readFloat32(out));
        TensorView two = view(float32(shape(), 2), 0, shape(2, 3), shape(0, 0));
        backend.binary(BinaryOp.MUL, out, two, a);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, readFloat32(out));
    }

    @Test
    void inPlaceOutputIsTheFirstOperand() {
        TensorView a = int64(shape(3), 1, 2, 3);
        backend.binary(BinaryOp.SUB, a, a, int64(shape(3), 10, 10, 10));
        assertArrayEquals(new long[] {-9, -8, -7}, readInt64(a));
        TensorView b = float64(shape(2), 3, 4);
        backend.binary(BinaryOp.MUL, b, b, b);
        assertArrayEquals(new double[] {9, 16}, readFloat64(b));
    }

    @Test
    void rankZeroAndTransposedOperands() {
        TensorView out = zeros(DType.INT32);
        backend.binary(BinaryOp.SUB, out, int32(shape(), 5), int32(shape(), 8));
        assertArrayEquals(new int[] {-3}, readInt32(out));
        // a^T - a for a = [[1, 2], [3, 4]]: [[0, 1], [-1, 0]].
        TensorView a = int32(shape(2, 2), 1, 2, 3, 4);
        TensorView transposed = view(a, 0, shape(2, 2), shape(1, 2));
        TensorView difference = zeros(DType.INT32, 2, 2);
        backend.binary(BinaryOp.SUB, difference, transposed, a);
        assertArrayEquals(new int[] {0, 1, -1, 0}, readInt32(difference));
    }
}
