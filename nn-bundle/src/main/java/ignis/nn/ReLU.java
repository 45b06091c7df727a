package ignis.nn;

import ignis.tensor.Tensor;

/** max(0, x), as {@code torch.nn.ReLU}. */
public class ReLU extends Module {

    @Override
    public Tensor forward(Tensor input) {
        return Functional.relu(input);
    }
}
