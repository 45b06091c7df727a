package ignis.tensor;

import ignis.tensor.spi.AdamCoefficients;
import ignis.tensor.spi.OptimizerKernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * The parameter updates of optimizers, in place and not recorded: one kernel pass where the backend
 * has {@link OptimizerKernels} and the operands are dense, otherwise the same arithmetic composed from
 * elementwise ops. Both give the same bits (see {@link OptimizerKernels}).
 */
public final class OptimizerSteps {

    private OptimizerSteps() {
    }

    /**
     * One step of PyTorch's single-tensor Adam on {@code param} with gradient {@code grad} (weight decay
     * and maximize already applied to it), updating the state {@code expAvg}, {@code expAvgSq} and, for
     * AMSGrad, {@code maxExpAvgSq} (else null); the formula is {@link OptimizerKernels#adam}'s.
     */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamCoefficients c) {
        Objects.requireNonNull(c, "coefficients");
        Tensor[] operands = maxExpAvgSq == null
                ? new Tensor[] {param, grad, expAvg, expAvgSq}
                : new Tensor[] {param, grad, expAvg, expAvgSq, maxExpAvgSq};
        if (GradMode.isEnabled() && Arrays.stream(operands).anyMatch(Tensor::requiresGrad)) {
            throw new IllegalStateException("adam: an optimizer step writes tensors that require grad (param shape " + param.shape()
                    + "); run it in a GradMode.noGrad() block");
        }
        try (DeviceGate.Nesting gate = DeviceGate.enter(operands)) {
            OptimizerKernels kernels = fused(operands) ? param.backend().optional(OptimizerKernels.class) : null;
            if (kernels == null) {
                composedAdam(param, grad, expAvg, expAvgSq, maxExpAvgSq, c);
                return;
            }
            for (int i = 0; i < operands.length; i++) {
                if (i != 1) {
                    Elementwise.requireWritable(operands[i], "adam");
                }
            }
            kernels.adam(param.kernelView(), grad.kernelView(), expAvg.kernelView(), expAvgSq.kernelView(),
                    maxExpAvgSq == null ? null : maxExpAvgSq.kernelView(), c);
            for (int i = 0; i < operands.length; i++) {
                if (i != 1) {
                    operands[i].storage.bumpVersion();
                }
            }
        }
    }

    /** Whether a kernel may take the operands: dense, one shape, float32 or float64 alike, one device. */
    private static boolean fused(Tensor[] operands) {
        Tensor first = operands[0];
        if (first.dtype() != DType.FLOAT32 && first.dtype() != DType.FLOAT64 || first.numel() == 0) {
            return false;
        }
        for (Tensor t : operands) {
            if (t.dtype() != first.dtype() || !t.device().equals(first.device()) || !t.shape().equals(first.shape()) || !t.isContiguous()) {
                return false;
            }
        }
        return true;
    }

    private static void composedAdam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, AdamCoefficients c) {
        try (Tensor scaledGrad = grad.mul(1 - c.beta1())) {
            expAvg.mul_(c.beta1());
            expAvg.add_(scaledGrad);
        }
        expAvgSq.mul_(c.beta2());
        try (Tensor squared = grad.mul(grad)) {
            squared.mul_(1 - c.beta2());
            expAvgSq.add_(squared);
        }
        Tensor second = expAvgSq;
        if (maxExpAvgSq != null) {
            try (Tensor larger = maxExpAvgSq.maximum(expAvgSq)) {
                maxExpAvgSq.copy_(larger);
            }
            second = maxExpAvgSq;
        }
        try (Tensor denom = second.sqrt()) {
            denom.div_(c.biasCorrection2Sqrt());
            denom.add_(c.eps());
            try (Tensor update = expAvg.div(denom)) {
                update.mul_(-c.stepSize());
                param.add_(update);
            }
        }
    }
}
