package ignis.tensor.spi;

/**
 * How the core chooses the dtypes an op computes in and returns; backends only ever receive the
 * resolved dtypes that the rule describes.
 */
public enum DTypeRule {
    /** Operands promoted to a common dtype; int32, int64, float32 or float64 in and out. Bool is rejected or mapped. */
    ARITHMETIC,
    /** Operands promoted to a common floating dtype (integers and bool become float32); float32 or float64 in and out. */
    FLOATING,
    /** Operands promoted to a common dtype (any, bool included); the result is bool. */
    COMPARISON,
    /** Operands of any dtype, read as true when non-zero, promoted to a common dtype; the result is bool. */
    LOGICAL
}
