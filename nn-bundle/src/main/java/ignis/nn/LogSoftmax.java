package ignis.nn;

import ignis.tensor.Tensor;

/** {@code logSoftmax} along a dimension, as {@code torch.nn.LogSoftmax}. */
public class LogSoftmax extends Module {

    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.logSoftmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
