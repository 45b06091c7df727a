package ignis.tensor.spi;

/** Elementwise functions of one operand: {@code out[i] = f(in[i])}. */
public enum UnaryOp {
    NEG(DTypeRule.ARITHMETIC),
    ABS(DTypeRule.ARITHMETIC),
    /** -1, 0 or 1; 0 for NaN and for -0.0, as PyTorch computes it: (0 < x) - (x < 0). */
    SIGN(DTypeRule.ARITHMETIC),
    /** max(x, 0); NaN stays NaN. */
    RELU(DTypeRule.ARITHMETIC),
    /** Integers are returned unchanged. */
    FLOOR(DTypeRule.ARITHMETIC),
    CEIL(DTypeRule.ARITHMETIC),
    /** Round half to even, as {@code torch.round}. */
    ROUND(DTypeRule.ARITHMETIC),
    TRUNC(DTypeRule.ARITHMETIC),
    EXP(DTypeRule.FLOATING),
    EXPM1(DTypeRule.FLOATING),
    LOG(DTypeRule.FLOATING),
    LOG1P(DTypeRule.FLOATING),
    SQRT(DTypeRule.FLOATING),
    RSQRT(DTypeRule.FLOATING),
    RECIPROCAL(DTypeRule.FLOATING),
    SIN(DTypeRule.FLOATING),
    COS(DTypeRule.FLOATING),
    TANH(DTypeRule.FLOATING),
    /** 1 / (1 + exp(-x)). */
    SIGMOID(DTypeRule.FLOATING),
    ERF(DTypeRule.FLOATING),
    /** x * Φ(x) with the exact normal CDF: 0.5 * x * (1 + erf(x / sqrt 2)). */
    GELU(DTypeRule.FLOATING),
    /** PyTorch's approximate='tanh': 0.5 * x * (1 + tanh(sqrt(2/π) * (x + 0.044715 x³))). */
    GELU_TANH(DTypeRule.FLOATING),
    /** true where the operand is zero (false), into a bool result. */
    LOGICAL_NOT(DTypeRule.LOGICAL),
    /** true where the operand is NaN, into a bool result. */
    ISNAN(DTypeRule.COMPARISON);

    private final DTypeRule rule;

    UnaryOp(DTypeRule rule) {
        this.rule = rule;
    }

    public DTypeRule rule() {
        return rule;
    }
}
