package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional 2-D convolution kernels (NCHW layout, float32 or float64). Without them the core computes
 * convolutions from strided views, copies and matmul. Shapes: input {@code [N, C, H, W]}, weight
 * {@code [OC, C/groups, KH, KW]}, bias {@code [OC]} or null, output {@code [N, OC, OH, OW]}; all
 * checked by the core, all views dense or strided as a kernel finds them.
 */
@ConsumerType
public interface Conv2dKernels {

    /** {@code out = conv2d(input, weight) + bias}. */
    void forward(TensorView out, TensorView input, TensorView weight, TensorView bias, Conv2dParams params);

    /** The gradient with respect to the input: {@code gradInput} has the input's shape and is overwritten. */
    void backwardInput(TensorView gradInput, TensorView gradOut, TensorView weight, Conv2dParams params);

    /** The gradient with respect to the weight: {@code gradWeight} has the weight's shape and is overwritten. */
    void backwardWeight(TensorView gradWeight, TensorView gradOut, TensorView input, Conv2dParams params);

    /**
     * The gradients with respect to the weight and the bias ({@code [OC]}: gradOut summed over N, H and W).
     * {@code gradWeight} is overwritten; {@code gradBias} too, and then it returns true, where the kernel
     * sums it in the same pass over gradOut, which saves the core a pass of its own. By default it computes
     * the weight's gradient alone and returns false.
     */
    default boolean backwardWeightAndBias(TensorView gradWeight, TensorView gradBias, TensorView gradOut, TensorView input,
                                          Conv2dParams params) {
        backwardWeight(gradWeight, gradOut, input, params);
        return false;
    }
}
