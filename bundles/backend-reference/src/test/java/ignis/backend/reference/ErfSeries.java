package ignis.backend.reference;

import java.math.BigDecimal;
import java.math.MathContext;

/** erf by its Maclaurin series in 80-digit decimal arithmetic: an oracle independent of any erf code. */
final class ErfSeries {

    private static final MathContext DIGITS = new MathContext(80);
    /** 2/sqrt(pi) to 60 digits. */
    private static final BigDecimal TWO_OVER_SQRT_PI =
            new BigDecimal("1.12837916709551257389615890312154517168810125865799771368817");

    private ErfSeries() {
    }

    static double erf(double x) {
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
}
