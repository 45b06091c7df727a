package ignis.nn;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Tensor;

/** Batch normalisation of {@code [N, C, H, W]} inputs, as {@code torch.nn.BatchNorm2d}. */
public class BatchNorm2d extends BatchNorm {

    /** With PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(long numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** A null momentum makes the running statistics a cumulative average. */
    public BatchNorm2d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, DType.FLOAT32, Device.CPU);
    }

    public BatchNorm2d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
                       DType dtype, Device device) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("BatchNorm2d: expected a 4D input [N, C, H, W], got " + input.dim() + "D input "
                    + input.shape());
        }
    }
}
