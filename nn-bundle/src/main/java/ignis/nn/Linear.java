package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;

/**
 * {@code y = x @ weight.T + bias}, as {@code torch.nn.Linear}: weight {@code [out, in]} initialised
 * with kaiming_uniform(a=sqrt(5)), that is U(-1/sqrt(in), 1/sqrt(in)), and bias with the same bound.
 */
public class Linear extends Module {

    private final long inFeatures;
    private final long outFeatures;

    public Linear(long inFeatures, long outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, DType.FLOAT32, Device.CPU);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias, DType dtype, Device device) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be non-negative, got "
                    + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Shape.of(outFeatures, inFeatures), dtype, device);
        if (bias) {
            registerParameter("bias", Shape.of(outFeatures), dtype, device);
        } else {
            registerParameter("bias", null);
        }
        resetParameters();
    }

    /** PyTorch's initialisation, again. */
    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias() != null) {
            long fanIn = Init.calculateFanInAndFanOut(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias(), -bound, bound);
        }
    }

    public Tensor weight() {
        return getParameter("weight");
    }

    /** The bias, or null when the layer has none. */
    public Tensor bias() {
        return getParameter("bias");
    }

    public long inFeatures() {
        return inFeatures;
    }

    public long outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.linear(input, weight(), bias());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.pyBool(bias() != null);
    }
}
