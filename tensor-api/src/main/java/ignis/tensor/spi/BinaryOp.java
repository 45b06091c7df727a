package ignis.tensor.spi;

/** Elementwise functions of two operands: {@code out[i] = f(a[i], b[i])}. */
public enum BinaryOp {
    ADD(DTypeRule.ARITHMETIC),
    SUB(DTypeRule.ARITHMETIC),
    MUL(DTypeRule.ARITHMETIC),
    /** True division. */
    DIV(DTypeRule.FLOATING),
    /** Floor of the quotient, as Python's {@code //}; integer division by zero throws ArithmeticException. */
    FLOOR_DIVIDE(DTypeRule.ARITHMETIC),
    /** Python's {@code %}: the result has the divisor's sign; integer division by zero throws ArithmeticException. */
    REMAINDER(DTypeRule.ARITHMETIC),
    /** a to the power b; an integer to a negative integer power throws ArithmeticException. */
    POW(DTypeRule.ARITHMETIC),
    /** The larger of the two; NaN if either is NaN. */
    MAXIMUM(DTypeRule.ARITHMETIC),
    /** The smaller of the two; NaN if either is NaN. */
    MINIMUM(DTypeRule.ARITHMETIC),
    ATAN2(DTypeRule.FLOATING),
    EQ(DTypeRule.COMPARISON),
    NE(DTypeRule.COMPARISON),
    LT(DTypeRule.COMPARISON),
    LE(DTypeRule.COMPARISON),
    GT(DTypeRule.COMPARISON),
    GE(DTypeRule.COMPARISON),
    LOGICAL_AND(DTypeRule.LOGICAL),
    LOGICAL_OR(DTypeRule.LOGICAL),
    LOGICAL_XOR(DTypeRule.LOGICAL);

    private final DTypeRule rule;

    BinaryOp(DTypeRule rule) {
        this.rule = rule;
    }

    public DTypeRule rule() {
        return rule;
    }
}
