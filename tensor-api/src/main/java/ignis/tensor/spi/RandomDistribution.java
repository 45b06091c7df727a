package ignis.tensor.spi;

/**
 * What a random kernel draws, from the counter-based generator of {@link Philox}: element {@code i}
 * (in row-major order of the output's shape) uses counter {@code offset + i}, so every backend
 * produces the same numbers for the same seed and offset, however it splits the work.
 */
public enum RandomDistribution {
    /** Uniform in [a, b): {@link Philox#uniform32} or {@link Philox#uniform64}. Float outputs. */
    UNIFORM,
    /** Normal with mean a and standard deviation b: {@link Philox#normal32} or {@link Philox#normal64}. Float outputs. */
    NORMAL,
    /** Uniform integers in [a, b): {@link Philox#integer}. Integral or float outputs. */
    INTEGER
}
