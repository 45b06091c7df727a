package ignis.tck;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The kit's own evaluation of the functions Java lacks or defines differently from C (which
 * PyTorch follows), in double.
 */
final class ReferenceMath {

    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double SQRT_TWO_OVER_PI = 0.7978845608028654;

    private ReferenceMath() {
    }

    /**
     * The error function. For |x| < 3, the Maclaurin series erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) /
     * (n! (2n+1)) summed in 50-digit decimal arithmetic (the alternating terms cancel at most 3 digits
     * there), so the double is correctly rounded; beyond, 1 - erfc(x) with erfc's continued fraction,
     * whose relative error (~1e-14) is invisible next to 1.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 3) {
            return erfSeries(x).doubleValue();
        }
        return Math.copySign(1 - erfcFraction(a), x);
    }

    /** The complementary error function 1 - erf(x), accurate in relative terms for large x too. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) < 3) {
            return BigDecimal.ONE.subtract(erfSeries(x)).doubleValue();
        }
        return x > 0 ? erfcFraction(x) : 2 - erfcFraction(-x);
    }

    private static final MathContext DIGITS = new MathContext(50);
    private static final BigDecimal TWO_OVER_SQRT_PI_50 = new BigDecimal("1.1283791670955125738961589031215451716881012586580");

    private static BigDecimal erfSeries(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, DIGITS).negate();
        BigDecimal power = bx;
        BigDecimal sum = bx;
        BigDecimal limit = new BigDecimal("1e-60");
        for (int n = 1; n < 400; n++) {
            power = power.multiply(x2, DIGITS).divide(BigDecimal.valueOf(n), DIGITS);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), DIGITS);
            sum = sum.add(term, DIGITS);
            if (term.abs().compareTo(limit) < 0) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI_50, DIGITS);
    }

    /**
     * erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))) for x >= 3,
     * evaluated with the modified Lentz method.
     */
    private static double erfcFraction(double x) {
        if (x > 27) {
            return 0;
        }
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-17) {
                break;
            }
        }
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / f;
    }

    /** GELU with the exact normal CDF: x * Phi(x) = 0.5 x erfc(-x / sqrt 2), with no cancellation for x < 0. */
    static double gelu(double x) {
        return 0.5 * x * erfc(-x * SQRT_HALF);
    }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(z)) = x * sigmoid(2z), z = sqrt(2/pi) (x + 0.044715 x^3). */
    static double geluTanh(double x) {
        double z = SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x);
        return x * sigmoid(2 * z);
    }

    /** 1 / (1 + exp(-x)), without overflow on either side. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** C's pow, which PyTorch uses: unlike Java's, pow(1, y) = 1 and pow(-1, +-inf) = 1, NaN or not. */
    static double pow(double a, double b) {
        if (b == 0 || a == 1) {
            return 1;
        }
        if (a == -1 && Double.isInfinite(b)) {
            return 1;
        }
        return Math.pow(a, b);
    }

    /**
     * Python's (and PyTorch's) floor division of floats: fmod-based, so that a == b * (a // b) + a % b,
     * with IEEE's results for a zero divisor.
     */
    static double floorDivide(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div != 0) {
            double floor = Math.floor(div);
            if (div - floor > 0.5) {
                floor += 1;
            }
            return floor;
        }
        return Math.copySign(0, a / b);
    }

    /** Python's (and PyTorch's) remainder of floats: fmod, moved into the divisor's sign. */
    static double remainder(double a, double b) {
        double mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            mod += b;
        }
        return mod;
    }

    /** a^b for b >= 0 in two's complement, wrapping as repeated multiplication does. */
    static long powInteger(long a, long b) {
        long result = 1;
        long base = a;
        long e = b;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= base;
            }
            base *= base;
            e >>>= 1;
        }
        return result;
    }
}
