package ignis.tck;

import java.math.BigDecimal;

/**
 * An exact sum of doubles (and of exact products of doubles) with IEEE semantics for NaN and the
 * infinities, and the sum of the terms' magnitudes for the error bound. The finite part is kept as
 * a BigDecimal, so the result is the exact sum rounded once.
 */
final class ExactSum {

    private BigDecimal finite = BigDecimal.ZERO;
    private boolean nan;
    private boolean positiveInfinity;
    private boolean negativeInfinity;
    private double sumAbs;
    private int terms;

    void add(double x) {
        terms++;
        if (Double.isNaN(x)) {
            nan = true;
        } else if (x == Double.POSITIVE_INFINITY) {
            positiveInfinity = true;
        } else if (x == Double.NEGATIVE_INFINITY) {
            negativeInfinity = true;
        } else {
            finite = finite.add(new BigDecimal(x));
            sumAbs += Math.abs(x);
        }
    }

    /** Adds the exact product a * b (NaN and infinities as IEEE multiplies them). */
    void addProduct(double a, double b) {
        double rounded = a * b;
        if (!Double.isFinite(a) || !Double.isFinite(b) || Double.isNaN(rounded)) {
            add(rounded);
            return;
        }
        terms++;
        finite = finite.add(new BigDecimal(a).multiply(new BigDecimal(b)));
        sumAbs += Math.abs(rounded);
    }

    /** The exact sum, rounded to the nearest double. */
    double value() {
        if (nan || positiveInfinity && negativeInfinity) {
            return Double.NaN;
        }
        if (positiveInfinity) {
            return Double.POSITIVE_INFINITY;
        }
        if (negativeInfinity) {
            return Double.NEGATIVE_INFINITY;
        }
        return finite.doubleValue();
    }

    double sumAbs() {
        return sumAbs;
    }

    int terms() {
        return terms;
    }
}
