package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Set;

/**
 * Batch normalisation over the channels of dimension 1, as PyTorch's {@code _BatchNorm}: affine
 * {@code weight} (ones) and {@code bias} (zeros) parameters, and {@code running_mean} (zeros),
 * {@code running_var} (ones) and {@code num_batches_tracked} (int64 0) buffers. In training the
 * batch statistics normalise (biased variance) and update the running ones with {@code momentum}
 * (unbiased variance; a null momentum gives the cumulative average); in evaluation the running
 * statistics normalise, unless they are not tracked.
 */
public abstract class BatchNorm extends Module {

    private final long numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    protected BatchNorm(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
                        DType dtype, Device device) {
        if (numFeatures < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        if (affine) {
            registerParameter("weight", Shape.of(numFeatures), dtype, device);
            registerParameter("bias", Shape.of(numFeatures), dtype, device);
        } else {
            registerParameter("weight", null);
            registerParameter("bias", null);
        }
        if (trackRunningStats) {
            adoptBuffer("running_mean", Tensors.zeros(Shape.of(numFeatures), dtype, device));
            adoptBuffer("running_var", Tensors.ones(Shape.of(numFeatures), dtype, device));
            adoptBuffer("num_batches_tracked", Tensors.zeros(Shape.scalar(), DType.INT64, device));
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
        resetParameters();
    }

    /** Running mean 0, running variance 1, no batches tracked. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            Init.zeros_(runningMean());
            Init.ones_(runningVar());
            Init.zeros_(getBuffer("num_batches_tracked"));
        }
    }

    /** Resets the running statistics, weight to ones and bias to zeros. */
    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight());
            Init.zeros_(bias());
        }
    }

    /**
     * {@code num_batches_tracked}, which checkpoints from before PyTorch 0.4.1 (and many converted ones) lack;
     * PyTorch sets it to 0 then too.
     */
    @Override
    protected Set<String> zeroWhenMissing() {
        return Set.of("num_batches_tracked");
    }

    /** Checks the input's rank, naming it when it is wrong. */
    protected abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(name() + "(" + numFeatures + "): expected an input with " + numFeatures
                    + " channels in dimension 1, got input " + input.shape());
        }
        double factor = momentum == null ? 0.0 : momentum;
        boolean tracking = isTraining() && trackRunningStats;
        Tensor tracked = getBuffer("num_batches_tracked");
        if (tracking && momentum == null) {
            factor = 1.0 / (tracked.itemLong() + 1);
        }
        boolean useBatchStats = isTraining() || (runningMean() == null && runningVar() == null);
        boolean passStats = !isTraining() || trackRunningStats;
        Tensor out = Functional.batchNorm(input, passStats ? runningMean() : null, passStats ? runningVar() : null,
                weight(), bias(), useBatchStats, factor, eps);
        // counted once the batch is accepted (PyTorch counts first), so that a refused batch changes no state
        if (tracking) {
            try (GradMode.Scope off = GradMode.noGrad()) {
                tracked.add_(1L);
            }
        }
        return out;
    }

    public Tensor weight() {
        return getParameter("weight");
    }

    public Tensor bias() {
        return getParameter("bias");
    }

    public Tensor runningMean() {
        return getBuffer("running_mean");
    }

    public Tensor runningVar() {
        return getBuffer("running_var");
    }

    public long numFeatures() {
        return numFeatures;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }
}
