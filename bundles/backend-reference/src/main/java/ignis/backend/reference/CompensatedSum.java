package ignis.backend.reference;

/**
 * Neumaier's compensated summation (an improved Kahan sum): a running double sum plus the low-order
 * bits that each addition rounded away, added back at the end. The result is within an ulp or two of
 * the exact sum unless the terms cancel catastrophically, where a plain double sum can lose every
 * digit.
 */
final class CompensatedSum {

    // Both start at +0.0, as PyTorch's sums do: a sum of negative zeros is +0.0.
    private double sum;
    private double compensation;

    void add(double term) {
        double next = sum + term;
        if (Math.abs(sum) >= Math.abs(term)) {
            compensation += (sum - next) + term;
        } else {
            compensation += (term - next) + sum;
        }
        sum = next;
    }

    double value() {
        if (!Double.isFinite(sum)) {
            // An infinity or NaN among the terms (or an overflow) makes the compensation NaN: the
            // plain sum is the IEEE answer.
            return sum;
        }
        return sum + compensation;
    }
}
