package ignis.tensor.spi;

/**
 * Reductions over axes. The output keeps the input's rank with size 1 on the reduced axes.
 * SUM and PROD write int64 for integral and bool input and the input's dtype for floats; MAX and MIN
 * keep the dtype and propagate NaN; ARGMAX and ARGMIN reduce one axis into int64, taking the first
 * extreme element, a NaN counting as the extreme. The core never reduces an empty axis with a
 * kernel: it fills the neutral element or reports the error itself.
 */
public enum ReduceOp {
    SUM, PROD, MAX, MIN, ARGMAX, ARGMIN
}
