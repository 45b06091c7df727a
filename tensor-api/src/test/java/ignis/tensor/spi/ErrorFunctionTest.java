package ignis.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/**
 * erf against its Maclaurin series summed in 80-digit decimal arithmetic, and erfc in the far tail
 * against values of mpmath at 50 digits ({@code mpmath.erfc(x)} rounded to double by {@code float()}).
 */
class ErrorFunctionTest {

    private static final MathContext DIGITS = new MathContext(80);
    /** 2/sqrt(pi) to 60 digits. */
    private static final BigDecimal TWO_OVER_SQRT_PI =
            new BigDecimal("1.12837916709551257389615890312154517168810125865799771368817");

    static double erfBySeries(double x) {
        return series(x).doubleValue();
    }

    /** erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)), to about 60 digits for |x| <= 6. */
    static BigDecimal series(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal square = bx.multiply(bx, DIGITS);
        BigDecimal power = bx;        // (-1)^n x^(2n+1) / n!
        BigDecimal sum = BigDecimal.ZERO;
        for (int n = 0; n < 1000; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), DIGITS);
            sum = sum.add(term, DIGITS);
            if (term.abs().compareTo(new BigDecimal("1e-70")) < 0 && n > 2 * x * x) {
                break;
            }
            power = power.multiply(square, DIGITS).divide(BigDecimal.valueOf(-(n + 1L)), DIGITS);
        }
        return sum.multiply(TWO_OVER_SQRT_PI, DIGITS);
    }

    private static void assertWithinUlps(double expected, double actual, double ulps, String what) {
        assertTrue(Math.abs(expected - actual) <= ulps * Math.ulp(expected),
                () -> what + ": expected " + expected + " but was " + actual + " ("
                        + (expected - actual) / Math.ulp(expected) + " ulp)");
    }

    @Test
    void erfIsWithinOneUlpOfTheSeriesAcrossEveryBranch() {
        for (double x = -5.95; x <= 5.95; x += 0.0173) {
            assertWithinUlps(erfBySeries(x), ErrorFunction.erf(x), 1, "erf(" + x + ")");
        }
        for (double x : new double[] {1e-9, 3e-5, 0.25, 0.84374, 0.84375, 1.2499, 1.25, 2.857, 2.858, 5.99}) {
            assertWithinUlps(erfBySeries(x), ErrorFunction.erf(x), 1, "erf(" + x + ")");
            assertWithinUlps(-erfBySeries(x), ErrorFunction.erf(-x), 1, "erf(" + -x + ")");
        }
    }

    @Test
    void erfcIsWithinOneUlpOfOneMinusTheSeriesWhereThatIsLarge() {
        for (double x = -5.95; x <= 0.5; x += 0.0173) {
            assertWithinUlps(BigDecimal.ONE.subtract(series(x)).doubleValue(), ErrorFunction.erfc(x), 1, "erfc(" + x + ")");
        }
    }

    @Test
    void erfcMatchesMpmathInTheTail() {
        double[][] cases = {
            {-3.0, 1.9999779095030015}, {-1.0, 1.8427007929497148}, {-0.3, 1.3286267594591274},
            {0.1, 0.887537083981715}, {0.5, 0.4795001221869535}, {0.8, 0.2578990352923395},
            {0.84375, 0.23277433876765838}, {1.0, 0.15729920705028513}, {1.2, 0.08968602177036464},
            {1.25, 0.07709987174354177}, {2.0, 0.004677734981047266}, {2.5, 0.0004069520174449589},
            {2.857142857142857, 5.3312311388322795e-05}, {3.0, 2.209049699858544e-05},
            {4.0, 1.541725790028002e-08}, {5.0, 1.537459794428035e-12}, {6.0, 2.1519736712498913e-17},
            {8.0, 1.1224297172982926e-29}, {10.0, 2.088487583762545e-45}, {15.0, 7.212994172451207e-100},
            {20.0, 5.395865611607901e-176}, {26.0, 5.663192408856143e-296}, {26.5, 2.2109076642637343e-307},
        };
        for (double[] c : cases) {
            assertWithinUlps(c[1], ErrorFunction.erfc(c[0]), 1, "erfc(" + c[0] + ")");
        }
    }

    @Test
    void specialValues() {
        assertEquals(0.0, ErrorFunction.erf(0.0));
        assertEquals(0x8000000000000000L, Double.doubleToRawLongBits(ErrorFunction.erf(-0.0)));
        assertEquals(1.0, ErrorFunction.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, ErrorFunction.erf(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, ErrorFunction.erf(6.0));
        assertEquals(-1.0, ErrorFunction.erf(-30.0));
        assertTrue(Double.isNaN(ErrorFunction.erf(Double.NaN)));
        assertEquals(1.0, ErrorFunction.erfc(0.0));
        assertEquals(0.0, ErrorFunction.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, ErrorFunction.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, ErrorFunction.erfc(30.0));
        assertEquals(2.0, ErrorFunction.erfc(-7.0));
        assertTrue(Double.isNaN(ErrorFunction.erfc(Double.NaN)));
    }

    @Test
    void erfOfTinyArgumentsIsTwoOverSqrtPiTimesX() {
        double slope = TWO_OVER_SQRT_PI.doubleValue();
        for (double x : new double[] {1e-20, -3e-100, 0x1p-1020, Double.MIN_VALUE * 7}) {
            assertEquals(new BigDecimal(x).multiply(TWO_OVER_SQRT_PI, DIGITS).doubleValue(), ErrorFunction.erf(x), Math.ulp(slope * x));
        }
    }
}
