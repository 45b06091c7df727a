package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An optional kernel for ReLU's gradient (PyTorch's {@code threshold_backward} at 0): one pass over the
 * output and its gradient, where the core would otherwise compare, then select through a bool tensor.
 */
@ConsumerType
public interface ReluKernels {

    /**
     * {@code gradIn[i] = out[i] > 0 ? gradOut[i] : 0}, for three views of one shape, all float32 or all float64
     * (any strides); an output of NaN passes no gradient.
     */
    void reluBackward(TensorView gradIn, TensorView gradOut, TensorView out);
}
