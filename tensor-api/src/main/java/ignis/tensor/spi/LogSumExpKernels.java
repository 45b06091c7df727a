package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An optional kernel: {@code log(sum(exp(x)))} along one dim (float32 or float64) without writing
 * {@code exp(x)} anywhere; without it the core composes it. The cross-entropy of logits that need no
 * gradient is taken from it (two reads of the logits, where log-softmax reads them three times and
 * writes them once).
 */
@ConsumerType
public interface LogSumExpKernels {

    /**
     * {@code out = shift + log(sum(exp(in - shift)))} along {@code dim}, where shift is the line's maximum,
     * taken as 0 where it is infinite (as PyTorch does); {@code out} has {@code in}'s shape with size 1 at
     * {@code dim}, and {@code in}'s dtype.
     */
    void logSumExp(TensorView out, TensorView in, int dim);
}
