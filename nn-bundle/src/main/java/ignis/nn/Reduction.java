package ignis.nn;

import java.util.Locale;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction=} argument. */
public enum Reduction {
    /** The per-element losses, unreduced. */
    NONE,
    /** Their mean (for NLL and cross-entropy with class weights: the weighted mean, as PyTorch). */
    MEAN,
    /** Their sum. */
    SUM;

    /**
     * Parses PyTorch's names {@code "none"}, {@code "mean"}, {@code "sum"}.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Reduction of(String name) {
        if (name != null) {
            switch (name) {
                case "none" -> {
                    return NONE;
                }
                case "mean" -> {
                    return MEAN;
                }
                case "sum" -> {
                    return SUM;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("unknown reduction '" + name + "': expected 'none', 'mean' or 'sum'");
    }

    /** PyTorch's name: {@code mean}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
