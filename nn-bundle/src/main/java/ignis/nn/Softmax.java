package ignis.nn;

import ignis.tensor.Tensor;

/** {@code softmax} along a dimension, as {@code torch.nn.Softmax}. */
public class Softmax extends Module {

    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.softmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
