package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional 2-D pooling kernels (NCHW, float32 or float64). Without them the core pools through
 * strided window views and reductions. Max-pooling indices are int64 positions in each input plane
 * ({@code h * W + w}), as PyTorch returns them.
 */
@ConsumerType
public interface Pool2dKernels {

    void maxForward(TensorView out, TensorView indices, TensorView input, Pool2dParams params);

    /** Overwrites {@code gradInput} with the output gradients routed to the maxima's positions. */
    void maxBackward(TensorView gradInput, TensorView gradOut, TensorView indices, Pool2dParams params);

    void avgForward(TensorView out, TensorView input, Pool2dParams params);

    /** Overwrites {@code gradInput} with the output gradients spread over their windows. */
    void avgBackward(TensorView gradInput, TensorView gradOut, Pool2dParams params);
}
