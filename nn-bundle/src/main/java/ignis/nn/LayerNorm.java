package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;

/**
 * Layer normalisation over the last dimensions, as {@code torch.nn.LayerNorm}: mean and biased
 * variance over {@code normalizedShape}, then an elementwise affine weight (ones) and bias (zeros).
 */
public class LayerNorm extends Module {

    private final long[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    public LayerNorm(long... normalizedShape) {
        this(normalizedShape, 1e-5, true, true);
    }

    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        this(normalizedShape, eps, elementwiseAffine, bias, DType.FLOAT32, Device.CPU);
    }

    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias, DType dtype, Device device) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must have at least one dimension");
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        if (elementwiseAffine) {
            registerParameter("weight", Shape.of(normalizedShape), dtype, device);
            if (bias) {
                registerParameter("bias", Shape.of(normalizedShape), dtype, device);
            } else {
                registerParameter("bias", null);
            }
        } else {
            registerParameter("weight", null);
            registerParameter("bias", null);
        }
        resetParameters();
    }

    public void resetParameters() {
        if (weight() != null) {
            Init.ones_(weight());
        }
        if (bias() != null) {
            Init.zeros_(bias());
        }
    }

    public Tensor weight() {
        return getParameter("weight");
    }

    public Tensor bias() {
        return getParameter("bias");
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.layerNorm(input, normalizedShape, weight(), bias(), eps);
    }

    @Override
    protected String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.pyFloat(eps) + ", elementwise_affine=" + Repr.pyBool(elementwiseAffine);
    }
}
