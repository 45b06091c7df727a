package ignis.nn;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Tensor;

/** Batch normalisation of {@code [N, C]} or {@code [N, C, L]} inputs, as {@code torch.nn.BatchNorm1d}. */
public class BatchNorm1d extends BatchNorm {

    /** With PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(long numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** A null momentum makes the running statistics a cumulative average. */
    public BatchNorm1d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, DType.FLOAT32, Device.CPU);
    }

    public BatchNorm1d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
                       DType dtype, Device device) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected a 2D or 3D input [N, C] or [N, C, L], got "
                    + input.dim() + "D input " + input.shape());
        }
    }
}
