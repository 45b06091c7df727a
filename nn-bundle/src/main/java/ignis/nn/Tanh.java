package ignis.nn;

import ignis.tensor.Tensor;

/** The hyperbolic tangent, as {@code torch.nn.Tanh}. */
public class Tanh extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
