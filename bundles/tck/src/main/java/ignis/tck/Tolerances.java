package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.UnaryOp;

/**
 * Every tolerance of the kit, in one place. The expected values are the kit's own float64 (or
 * exact) evaluations; a result is compared with them as follows.
 *
 * <ul>
 * <li><b>Exact</b> (the float64 value rounded to nearest even into the output dtype): copies,
 *     fills, comparisons, logical ops, every integer op, gather and scatter SET, MAX/MIN/ARGMAX/ARGMIN,
 *     NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, TRUNC, WHERE, CLAMP, MAXIMUM, MINIMUM, and ADD, SUB,
 *     MUL, DIV, SQRT, RECIPROCAL, FLOOR_DIVIDE and REMAINDER on floats. IEEE 754 requires +, -, *, /
 *     and sqrt to be correctly rounded, and computing them in double and rounding to float gives the
 *     same correctly rounded float (double has more than 2p+2 bits for p = 24). FLOOR_DIVIDE and
 *     REMAINDER are fmod (exact) followed by one such operation, as in PyTorch.</li>
 * <li><b>Transcendental functions</b> (EXP, EXPM1, LOG, LOG1P, RSQRT, SIN, COS, TANH, SIGMOID, ERF,
 *     GELU, GELU_TANH, POW, ATAN2): within {@value #ULPS_FLOAT32} ulp of the output dtype for float32,
 *     the accuracy of good float libraries (SLEEF's and SVML's 1-ulp functions, PyTorch's own
 *     compositions such as 1 / (1 + exp(-x)) that add one or two roundings), and
 *     {@value #ULPS_FLOAT64} ulp for float64, where the kit's own reference (java.lang.Math within
 *     1 ulp, its erf within a few) takes part of the budget. Plus the smallest normal number of the
 *     dtype, absolute: results that underflow (sigmoid(-100) computed as 1 / (1 + inf) = 0, as
 *     PyTorch does) are not meaningful to the ulp. SIN and COS also get {@value #ULPS_FLOAT32} unit
 *     roundoffs absolute, for argument reduction near their zeros; GELU and GELU_TANH get
 *     {@value #ULPS_FLOAT32} unit roundoffs times |x| absolute, because PyTorch computes them as
 *     x * 0.5 * (1 + erf(...)), which cancels for negative x.</li>
 * <li><b>Sums</b> (SUM, matmul, scatter ADD): the classic bound of recursive summation in any
 *     order, |got - exact| <= n * u * sum |terms| with n the number of terms and u the unit roundoff
 *     (2^-24 for float32, 2^-53 for float64), plus n times the smallest subnormal for underflow. Any
 *     order, blocking, pairwise summation or FMA stays within it; a skipped or doubled term does not.</li>
 * <li><b>Products</b> (PROD): n * u * |exact product| (each multiplication adds one rounding).</li>
 * <li><b>Random NORMAL</b>: float32 within 1 float ulp of the specified value (plus |b| ulp of z:
 *     z is rounded to float before a + b z); float64 within 2^-40 of |a| + |b| (|z| + 1), since a
 *     device computes log and cos in its own library. UNIFORM and INTEGER draws are exact.</li>
 * </ul>
 * NaN must match NaN (any payload). 0.0 and -0.0 compare equal.
 */
final class Tolerances {

    static final int ULPS_FLOAT32 = 4;
    static final int ULPS_FLOAT64 = 8;

    private Tolerances() {
    }

    static int ulps(DType dtype) {
        return dtype == DType.FLOAT64 ? ULPS_FLOAT64 : ULPS_FLOAT32;
    }

    /** Whether a floating unary op is correctly rounded, so that its result is compared exactly. */
    static boolean exact(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, TRUNC, SQRT, RECIPROCAL, LOGICAL_NOT, ISNAN -> true;
            default -> false;
        };
    }

    /** Whether a floating binary op is correctly rounded, so that its result is compared exactly. */
    static boolean exact(BinaryOp op) {
        return op != BinaryOp.POW && op != BinaryOp.ATAN2;
    }

    /** The expectation of a floating unary result whose float64 value is {@code exact}, from operand {@code x}. */
    static Expected unary(UnaryOp op, DType dtype, double x, double exact) {
        if (exact(op)) {
            return Expected.exact(exact);
        }
        double extra = switch (op) {
            case SIN, COS -> ULPS_FLOAT32 * Numbers.unitRoundoff(dtype);
            case GELU, GELU_TANH -> ULPS_FLOAT32 * Numbers.unitRoundoff(dtype) * Math.abs(x);
            default -> 0;
        };
        return transcendental(dtype, exact, extra);
    }

    /** The expectation of a floating binary result whose float64 value is {@code exact}. */
    static Expected binary(BinaryOp op, DType dtype, double exact) {
        return exact(op) ? Expected.exact(exact) : transcendental(dtype, exact, 0);
    }

    private static Expected transcendental(DType dtype, double exact, double extraAbsolute) {
        if (!Double.isFinite(exact)) {
            return Expected.exact(exact);
        }
        double tolerance = ulps(dtype) * Numbers.ulp(exact, dtype) + Numbers.minNormal(dtype) + extraAbsolute;
        return Expected.real(exact, tolerance);
    }

    /** A sum of {@code n} terms whose absolute values sum to {@code sumAbs}: n u sum|terms| + n * smallest subnormal. */
    static double sum(DType dtype, int n, double sumAbs) {
        return n * Numbers.unitRoundoff(dtype) * sumAbs + n * Numbers.minSubnormal(dtype);
    }

    /** A product of {@code n} factors: n u |product| + smallest subnormal. */
    static double product(DType dtype, int n, double exactProduct) {
        return n * Numbers.unitRoundoff(dtype) * Math.abs(exactProduct) + Numbers.minSubnormal(dtype);
    }

    /** Random NORMAL into float32: 1 ulp of the result, plus |b| ulp of z (z is rounded to float first). */
    static double normal32(double result, double b, double z) {
        return Math.ulp((float) result) + Math.abs(b) * Math.ulp((float) z);
    }

    /** Random NORMAL into float64: 2^-40 of |a| + |b| (|z| + 1). */
    static double normal64(double a, double b, double z) {
        return 0x1p-40 * (Math.abs(a) + Math.abs(b) * (Math.abs(z) + 1));
    }
}
