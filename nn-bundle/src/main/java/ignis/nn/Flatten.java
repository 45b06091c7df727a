package ignis.nn;

import ignis.tensor.Tensor;

/** Merges dimensions {@code startDim..endDim} (by default all but the batch dimension), as {@code torch.nn.Flatten}. */
public class Flatten extends Module {

    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
