package ignis.tensor.spi;

/** Elementwise functions of three operands: {@code out[i] = f(a[i], b[i], c[i])}. */
public enum TernaryOp {
    /** {@code a ? b : c}: a is bool; b, c and out share any dtype. */
    WHERE,
    /** {@code min(max(a, b), c)}: a clamped to [b, c], NaN if any is NaN; one arithmetic dtype for all. */
    CLAMP
}
