package ignis.backend.reference;

import static ignis.backend.reference.Tensors.bool;
import static ignis.backend.reference.Tensors.float32;
import static ignis.backend.reference.Tensors.float64;
import static ignis.backend.reference.Tensors.int32;
import static ignis.backend.reference.Tensors.int64;
import static ignis.backend.reference.Tensors.readBoolBytes;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.DTypeRule;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnaryKernelTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private final Backend backend = new ReferenceBackend();

    private double[] apply(UnaryOp op, double... values) {
        TensorView out = zeros(DType.FLOAT64, values.length);
        backend.unary(op, out, float64(shape(values.length), values));
        return readFloat64(out);
    }

    private float[] apply32(UnaryOp op, float... values) {
        TensorView out = zeros(DType.FLOAT32, values.length);
        backend.unary(op, out, float32(shape(values.length), values));
        return readFloat32(out);
    }

    /** Compares bit for bit, so that NaN equals NaN and -0.0 differs from 0.0. */
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

    @Test
    void negAbs() {
        assertBits(new double[] {-1.5, 0.0, -0.0, NAN, -INF}, apply(UnaryOp.NEG, 1.5, -0.0, 0.0, NAN, INF));
        assertBits(new double[] {1.5, 0.0, INF, NAN}, apply(UnaryOp.ABS, -1.5, -0.0, -INF, NAN));
    }

    @Test
    void signGivesPlusZeroForNaNAndBothZerosAsTorchSignDoes() {
        assertBits(new double[] {-1, 1, 0.0, 0.0, 0.0, 1, -1}, apply(UnaryOp.SIGN, -3, 0.25, -0.0, 0.0, NAN, INF, -1e-300));
    }

    @Test
    void reluPassesNaNAndNegativeZeroThrough() {
        assertBits(new double[] {0, 2, NAN, -0.0, 0, INF}, apply(UnaryOp.RELU, -1, 2, NAN, -0.0, -INF, INF));
    }

    @Test
    void roundingOps() {
        double[] in = {2.5, -2.5, 0.5, -0.5, 1.5, -1.7, 3.0, NAN, -INF};
        assertBits(new double[] {2, -3, 0, -1, 1, -2, 3, NAN, -INF}, apply(UnaryOp.FLOOR, in));
        assertBits(new double[] {3, -2, 1, -0.0, 2, -1, 3, NAN, -INF}, apply(UnaryOp.CEIL, in));
        assertBits(new double[] {2, -2, 0, -0.0, 2, -2, 3, NAN, -INF}, apply(UnaryOp.ROUND, in));
        assertBits(new double[] {2, -2, 0, -0.0, 1, -1, 3, NAN, -INF}, apply(UnaryOp.TRUNC, in));
        // Beyond 2^52 every double is an integer already.
        assertBits(new double[] {0x1p52 + 1}, apply(UnaryOp.ROUND, 0x1p52 + 1));
        assertArrayEquals(new float[] {2f, 4f, -0f}, apply32(UnaryOp.ROUND, 2.5f, 3.5f, -0.4f));
    }

    @Test
    void exponentialsAndLogarithms() {
        assertBits(new double[] {1, 0, INF, NAN}, apply(UnaryOp.EXP, 0, -INF, INF, NAN));
        // fdlibm's exp (StrictMath's) is within 1 ulp, not always correctly rounded: exp(1) is 1 ulp above e.
        assertEquals(Math.E, apply(UnaryOp.EXP, 1)[0], Math.ulp(Math.E));
        assertBits(new double[] {1e-20, -1, INF}, apply(UnaryOp.EXPM1, 1e-20, -INF, INF));
        assertBits(new double[] {0, 1, Double.NEGATIVE_INFINITY, NAN, INF}, apply(UnaryOp.LOG, 1, Math.E, 0, -1, INF));
        assertBits(new double[] {1e-20, Double.NEGATIVE_INFINITY, NAN}, apply(UnaryOp.LOG1P, 1e-20, -1, -2));
        double[] log = apply(UnaryOp.LOG, 10);
        assertEquals(2.302585092994046, log[0], 0.0);
    }

    @Test
    void rootsAndReciprocals() {
        assertBits(new double[] {2, NAN, -0.0, INF}, apply(UnaryOp.SQRT, 4, -1, -0.0, INF));
        assertBits(new double[] {0.5, INF, -INF, 0, NAN}, apply(UnaryOp.RSQRT, 4, 0, -0.0, INF, -4));
        assertBits(new double[] {0.25, INF, -INF, -0.0}, apply(UnaryOp.RECIPROCAL, 4, 0, -0.0, -INF));
        assertArrayEquals(new float[] {1f / 3}, apply32(UnaryOp.RECIPROCAL, 3f));
    }

    @Test
    void trigonometryAndTanh() {
        assertBits(new double[] {0, -0.0, NAN}, apply(UnaryOp.SIN, 0, -0.0, INF));
        assertBits(new double[] {1, NAN}, apply(UnaryOp.COS, 0, NAN));
        assertBits(new double[] {1, -1, 0}, apply(UnaryOp.TANH, INF, -INF, 0));
        assertEquals(0.7615941559557649, apply(UnaryOp.TANH, 1)[0], 1e-16);
        assertEquals(0.8414709848078965, apply(UnaryOp.SIN, 1)[0], 0.0);
    }

    @Test
    void sigmoid() {
        assertBits(new double[] {0.5, 0, 1, 1, 0}, apply(UnaryOp.SIGMOID, 0, -1000, 1000, INF, -INF));
        // 1 / (1 + e^-2) from e^2 = 7.38905609893065: e^2 / (e^2 + 1).
        assertEquals(0.8807970779778823, apply(UnaryOp.SIGMOID, 2)[0], 1e-16);
    }

    @Test
    void erfInATensor() {
        double[] x = {-2, -0.5, 0, 0.3, 1, 4};
        double[] out = apply(UnaryOp.ERF, x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(ErfSeries.erf(x[i]), out[i], Math.ulp(out[i]));
        }
    }

    @Test
    void geluIsXTimesTheNormalCdfToAFewUlpsEvenInTheLeftTail() {
        MathContext digits = new MathContext(60);
        BigDecimal sqrtHalf = BigDecimal.valueOf(0.5).sqrt(digits);
        for (double x = -8; x <= 6; x += 0.37) {
            // x * (1 + erf(x/sqrt 2)) / 2 in decimal: the series for erf at the exact x/sqrt 2 would need
            // a BigDecimal argument, so take the double nearest x/sqrt 2 and correct to first order.
            BigDecimal scaled = new BigDecimal(x).multiply(sqrtHalf, digits);
            double t = scaled.doubleValue();
            BigDecimal erf = ErfSeries.series(t).add(BigDecimal.valueOf(2 / Math.sqrt(Math.PI) * Math.exp(-t * t))
                    .multiply(scaled.subtract(new BigDecimal(t)), digits), digits);
            double expected = new BigDecimal(x).multiply(BigDecimal.ONE.add(erf), digits).divide(BigDecimal.valueOf(2), digits).doubleValue();
            double actual = apply(UnaryOp.GELU, x)[0];
            // Rounding x/sqrt 2 to double moves erfc by a relative 2y^2 = x^2 times that rounding error
            // in the tail: a few ulps near 0, about 2x^2 ulps at worst further out. (1 + erf, as
            // PyTorch writes it, would lose every digit there instead.)
            double ulps = 4 + 2 * x * x;
            assertTrue(Math.abs(expected - actual) <= ulps * Math.ulp(expected), "gelu(" + x + "): " + expected + " vs " + actual);
        }
        assertBits(new double[] {0, -0.0, INF, NAN}, apply(UnaryOp.GELU, 0, -0.0, INF, NAN));
    }

    @Test
    void geluTanhMatchesPyTorch() {
        // torch.nn.functional.gelu(x, approximate='tanh') in float64 (PyTorch 1.13, CPU).
        double[] x = {1, -1, 3, -3, 0.5};
        double[] torch = {0.8411919906082768, -0.15880800939172324, 2.996362607918227, -0.0036373920817729943, 0.34571400982514394};
        double[] out = apply(UnaryOp.GELU_TANH, x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(torch[i], out[i], 2 * Math.ulp(torch[i]), "x = " + x[i]);
        }
        // And by a different formula: tanh(u) = 1 - 2 / (e^2u + 1).
        for (double v = -5; v <= 5; v += 0.25) {
            double u = Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v);
            double expected = 0.5 * v * (2 - 2 / (Math.exp(2 * u) + 1));
            assertEquals(expected, apply(UnaryOp.GELU_TANH, v)[0], 1e-15 * Math.max(1, Math.abs(v)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, mode = EnumSource.Mode.EXCLUDE, names = {"LOGICAL_NOT", "ISNAN"})
    void float32IsTheFloat64ResultRoundedOnce(UnaryOp op) {
        float[] x = new float[161];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 80) * 0.0625f + 0.01f * (i % 7);
        }
        double[] widened = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            widened[i] = x[i];
        }
        float[] actual = apply32(op, x);
        double[] reference = apply(op, widened);
        for (int i = 0; i < x.length; i++) {
            float expected = (float) reference[i];
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual[i]), op + "(" + x[i] + ")");
        }
    }

    @Test
    void float32ResultsAreCorrectlyRounded() {
        // exp(1) = 2.71828182845904523536...; the nearest float is 2.7182817f (0x402DF854).
        assertEquals(0x402DF854, Float.floatToRawIntBits(apply32(UnaryOp.EXP, 1f)[0]));
        // sqrt(2) = 1.41421356237309504880...; nearest float 0x3FB504F3.
        assertEquals(0x3FB504F3, Float.floatToRawIntBits(apply32(UnaryOp.SQRT, 2f)[0]));
        assertEquals(Float.POSITIVE_INFINITY, apply32(UnaryOp.EXP, 89f)[0]);
    }

    @Test
    void integerOpsWrapLikeJava() {
        TensorView in = int32(shape(5), Integer.MIN_VALUE, -7, 0, 7, Integer.MAX_VALUE);
        int[][] expected = {
            {Integer.MIN_VALUE, 7, 0, -7, -Integer.MAX_VALUE},   // NEG
            {Integer.MIN_VALUE, 7, 0, 7, Integer.MAX_VALUE},     // ABS
            {-1, -1, 0, 1, 1},                                    // SIGN
            {0, 0, 0, 7, Integer.MAX_VALUE},                     // RELU
        };
        UnaryOp[] ops = {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU};
        for (int k = 0; k < ops.length; k++) {
            TensorView out = zeros(DType.INT32, 5);
            backend.unary(ops[k], out, in);
            assertArrayEquals(expected[k], readInt32(out), ops[k].toString());
        }
        TensorView out = zeros(DType.INT64, 2);
        backend.unary(UnaryOp.ABS, out, int64(shape(2), Long.MIN_VALUE, -5));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 5}, readInt64(out));
    }

    @Test
    void roundingOpsReturnIntegersUnchanged() {
        for (UnaryOp op : new UnaryOp[] {UnaryOp.FLOOR, UnaryOp.CEIL, UnaryOp.ROUND, UnaryOp.TRUNC}) {
            TensorView out = zeros(DType.INT64, 3);
            backend.unary(op, out, int64(shape(3), Long.MIN_VALUE, -3, Long.MAX_VALUE));
            assertArrayEquals(new long[] {Long.MIN_VALUE, -3, Long.MAX_VALUE}, readInt64(out));
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void floatingOpsRefuseIntegers(UnaryOp op) {
        if (op.rule() != DTypeRule.FLOATING) {
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.unary(op, zeros(DType.INT32, 1), int32(shape(1), 1)));
        assertTrue(e.getMessage().contains(op.name()), e.getMessage());
    }

    @Test
    void logicalNotOfEveryKind() {
        TensorView out = zeros(DType.BOOL, 4);
        backend.unary(UnaryOp.LOGICAL_NOT, out, float32(shape(4), 0f, -0f, Float.NaN, 2f));
        assertArrayEquals(new byte[] {1, 1, 0, 0}, readBoolBytes(out));
        backend.unary(UnaryOp.LOGICAL_NOT, out, int64(shape(4), 0, 1, -1, Long.MIN_VALUE));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, readBoolBytes(out));
        TensorView flags = bool(shape(4), true, false, true, false);
        segment(flags).set(ValueLayout.JAVA_BYTE, 2, (byte) 2);
        backend.unary(UnaryOp.LOGICAL_NOT, out, flags);
        assertArrayEquals(new byte[] {0, 1, 0, 1}, readBoolBytes(out));
    }

    @Test
    void isNaNOfEveryKind() {
        TensorView out = zeros(DType.BOOL, 4);
        backend.unary(UnaryOp.ISNAN, out, float64(shape(4), NAN, INF, 0, -NAN));
        assertArrayEquals(new byte[] {1, 0, 0, 1}, readBoolBytes(out));
        backend.unary(UnaryOp.ISNAN, out, int32(shape(4), 0, -1, Integer.MIN_VALUE, 5));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, readBoolBytes(out));
        backend.unary(UnaryOp.ISNAN, out, bool(shape(4), true, false, true, true));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, readBoolBytes(out));
    }

    @Test
    void inPlaceOnAStridedView() {
        TensorView storage = float64(shape(6), 1, -2, 3, -4, 5, -6);
        TensorView odd = view(storage, 1, shape(3), shape(2));
        backend.unary(UnaryOp.ABS, odd, odd);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, readFloat64(storage));
    }

    @Test
    void broadcastInputAndRankZero() {
        TensorView one = float32(shape(), 4f);
        TensorView out = zeros(DType.FLOAT32, 2, 2);
        backend.unary(UnaryOp.SQRT, out, view(one, 0, shape(2, 2), shape(0, 0)));
        assertArrayEquals(new float[] {2, 2, 2, 2}, readFloat32(out));
        TensorView scalar = zeros(DType.FLOAT32);
        backend.unary(UnaryOp.NEG, scalar, one);
        assertArrayEquals(new float[] {-4}, readFloat32(scalar));
    }
}
