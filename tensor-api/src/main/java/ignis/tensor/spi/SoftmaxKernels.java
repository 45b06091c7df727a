package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/** Optional softmax kernels along one dimension (float32 or float64); without them the core composes them. */
@ConsumerType
public interface SoftmaxKernels {

    void softmax(TensorView out, TensorView in, int dim);

    void logSoftmax(TensorView out, TensorView in, int dim);

    /** {@code gradIn = out * (gradOut - sum(gradOut * out, dim))}, where out is the softmax. */
    void softmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim);

    /** {@code gradIn = gradOut - exp(out) * sum(gradOut, dim)}, where out is the log-softmax. */
    void logSoftmaxBackward(TensorView gradIn, TensorView gradOut, TensorView out, int dim);
}
