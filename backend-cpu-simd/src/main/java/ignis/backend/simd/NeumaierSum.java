package ignis.backend.simd;

/**
 * A double sum with Neumaier's compensation (Kahan's, improved): the low-order bits each addition
 * rounds away are collected and added back at the end, so the result is within an ulp or two of the
 * exact sum unless the terms cancel catastrophically. Vector code keeps one such pair per lane and
 * merges them here with {@link #add} and {@link #compensate}.
 */
final class NeumaierSum {

    private double sum;
    private double compensation;

    void add(double term) {
        double next = sum + term;
        compensation += Math.abs(sum) >= Math.abs(term) ? (sum - next) + term : (term - next) + sum;
        sum = next;
    }

    /** Adds bits that an addition elsewhere rounded away. */
    void compensate(double lost) {
        compensation += lost;
    }

    /** The running sum without the compensation. */
    double sum() {
        return sum;
    }

    /** The bits collected so far that the additions rounded away. */
    double compensation() {
        return compensation;
    }

    /** Adds another compensated sum: its sum as a term, its compensation as lost bits. */
    void add(NeumaierSum other) {
        add(other.sum);
        compensate(other.compensation);
    }

    double value() {
        // With an infinity or NaN among the terms the compensation is NaN: the plain sum is the IEEE answer.
        return Double.isFinite(sum) ? sum + compensation : sum;
    }
}
