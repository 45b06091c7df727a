package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** erf and erfc against a 60-digit Maclaurin series, and their special values. */
class ErfTest {

    private static final MathContext DIGITS = new MathContext(60);
    private static final BigDecimal TWO_OVER_SQRT_PI = new BigDecimal("1.12837916709551257389615890312154517168810125865799771368817");

    /** erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)), in 60 digits (|x| <= 5 loses at most 11 to cancellation). */
    private static BigDecimal series(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal minusX2 = bx.multiply(bx, DIGITS).negate();
        BigDecimal power = bx;
        BigDecimal sum = bx;
        for (int n = 1; n < 2000; n++) {
            power = power.multiply(minusX2, DIGITS).divide(BigDecimal.valueOf(n), DIGITS);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), DIGITS);
            sum = sum.add(term, DIGITS);
            if (term.abs().compareTo(new BigDecimal("1e-70")) < 0) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI, DIGITS);
    }

    @Test
    void erfIsWithinOneUlp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            double x = i < 1000 ? -5 + 10 * random.nextDouble() : Math.scalb(random.nextDouble(), -random.nextInt(0, 40));
            double exact = series(x).doubleValue();
            double got = Erf.erf(x);
            assertTrue(Math.abs(got - exact) <= Math.ulp(exact), () -> "erf(" + x + ") = " + got + ", exact " + exact);
        }
    }

    @Test
    void erfcIsWithinTwoUlpsWhereItDoesNotCancel() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            double x = -5 + 7 * random.nextDouble();
            double exact = BigDecimal.ONE.subtract(series(x), DIGITS).doubleValue();
            double got = Erf.erfc(x);
            // For x up to 2, 1 - erf(x) is still above 4e-3, so the 60-digit subtraction is exact enough.
            // fdlibm's erfc rounds twice on [0.84375, 28): up to 2 ulps (measured over 40000 points).
            assertTrue(Math.abs(got - exact) <= 2 * Math.ulp(exact), () -> "erfc(" + x + ") = " + got + ", exact " + exact);
        }
    }

    @Test
    void erfcTailAgainstKnownValues() {
        // erfc(5) and erfc(10), from tables (Abramowitz and Stegun; Wolfram).
        assertEquals(1.5374597944280348e-12, Erf.erfc(5), 2 * Math.ulp(1.5374597944280348e-12));
        assertEquals(2.088487583762545e-45, Erf.erfc(10), 2 * Math.ulp(2.088487583762545e-45));
    }

    @Test
    void specialValues() {
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(Erf.erf(-0.0)));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Erf.erf(6.5));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erfc(30));
        assertEquals(2.0, Erf.erfc(-30));
        assertEquals(1.0, Erf.erfc(0.0));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
        // The smallest subnormal: erf(x) = 2x/sqrt(pi) rounds to x's neighbour, not to 0.
        assertTrue(Erf.erf(Double.MIN_VALUE) > 0);
    }
}
