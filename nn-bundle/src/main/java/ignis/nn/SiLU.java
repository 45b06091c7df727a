package ignis.nn;

import ignis.tensor.Tensor;

/** {@code x * sigmoid(x)}, as {@code torch.nn.SiLU}. */
public class SiLU extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return Functional.silu(input);
    }
}
