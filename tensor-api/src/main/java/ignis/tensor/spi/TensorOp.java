package ignis.tensor.spi;

/**
 * The differentiable operations of the tensor API, as the autograd engine sees them in an
 * {@link OpCall}. The arguments each one carries are listed with it.
 */
public enum TensorOp {
    /** args: the {@link UnaryOp}. */
    UNARY,
    /** args: the {@link BinaryOp}; inputs a and b (a scalar operand is a rank-0 tensor that does not require grad). */
    BINARY,
    /** args: min, max (Doubles); input x. */
    CLAMP,
    /** args: the bool condition tensor; inputs a and b. */
    WHERE,
    /** args: the bool mask tensor, the value (Double); input x. */
    MASKED_FILL,
    /** args: the reduced axes (int[], normalized), keepDim (Boolean). */
    SUM,
    /** args: the reduced axes, keepDim. */
    MEAN,
    /** args: the reduced axes, keepDim; the output holds the extreme values. */
    AMAX,
    /** args: the reduced axes, keepDim. */
    AMIN,
    /** max(dim) or min(dim) values. args: dim (Integer, normalized), keepDim, the int64 indices tensor. */
    EXTREME_WITH_INDICES,
    /** args: the reduced axes, keepDim, correction (Double). */
    VAR,
    /** args: the reduced axes, keepDim. */
    LOGSUMEXP,
    /** args: dim (Integer, normalized). */
    SOFTMAX,
    /** args: dim (Integer, normalized). */
    LOG_SOFTMAX,
    /** inputs a and b as given to matmul. */
    MATMUL,
    /** Any change of shape that keeps the element order: view, reshape, flatten, squeeze, unsqueeze. No args. */
    RESHAPE,
    /** args: the permutation (int[]). */
    PERMUTE,
    /** No args: the output's shape is the expanded one. */
    EXPAND,
    /** args: dim (Integer), start, end, step (Longs, normalized). */
    SLICE,
    /** args: dim (Integer), index (Long, normalized). */
    SELECT,
    /** A copy: clone, contiguous, or a change of dtype or device. No args. */
    COPY,
    /** args: dim (Integer), the int64 index tensor (rank 1). */
    INDEX_SELECT,
    /** args: dim (Integer), the int64 index tensor. */
    GATHER,
    /** args: dim (Integer), the int64 index tensor, add (Boolean); inputs the tensor and src. */
    SCATTER,
    /** args: the bool mask tensor. */
    MASKED_SELECT,
    /** args: dim (Integer). Inputs: the joined tensors. */
    CAT,
    /** args: the {@link Conv2dParams}; inputs input, weight and, when there is one, bias. */
    CONV2D,
    /** args: the {@link Pool2dParams}, the int64 indices tensor. */
    MAX_POOL2D,
    /** args: the {@link Pool2dParams}. */
    AVG_POOL2D,
    /**
     * {@code NeuralOps.crossEntropy}; args: the int64 class indices {@code [N, 1]}, the scale (a Double), the
     * log-softmax of the logits; input: the logits.
     */
    CROSS_ENTROPY,
    /** An op computed outside the core (a custom function); args are the autograd engine's own. */
    CUSTOM
}
