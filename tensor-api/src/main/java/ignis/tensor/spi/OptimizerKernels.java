package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional fused optimizer updates: one pass over the parameter and its state instead of a dozen
 * elementwise ops. Without them the core composes the same update from elementwise ops. The operands
 * are dense (contiguous), of one shape and one dtype, float32 or float64, on this backend; the core
 * checks that (and composes the update for float16 and bfloat16).
 *
 * <p>A kernel computes each element with the operations listed, in that order, each rounded to the
 * dtype and with the scalars rounded to it first, exactly as the composition does; so a step gives the
 * same bits whether or not the backend has the kernel.
 */
@ConsumerType
public interface OptimizerKernels {

    /**
     * One Adam step, in place. Per element, with {@code g} the gradient:
     * <pre>
     * m = m * beta1 + g * (1 - beta1)
     * v = v * beta2 + (g * g) * (1 - beta2)
     * s = v, or with maxExpAvgSq (AMSGrad): maxExpAvgSq = max(maxExpAvgSq, v) (NaN if either is), s = maxExpAvgSq
     * param = param + (m / (sqrt(s) / biasCorrection2Sqrt + eps)) * -stepSize
     * </pre>
     * {@code maxExpAvgSq} is null without AMSGrad.
     */
    void adam(TensorView param, TensorView grad, TensorView expAvg, TensorView expAvgSq, TensorView maxExpAvgSq,
              AdamCoefficients coefficients);
}
