package ignis.nn;

import ignis.tensor.Tensor;

/** {@code 1 / (1 + exp(-x))}, as {@code torch.nn.Sigmoid}. */
public class Sigmoid extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
