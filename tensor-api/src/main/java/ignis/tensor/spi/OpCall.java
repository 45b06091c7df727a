package ignis.tensor.spi;

import ignis.tensor.Tensor;
import java.util.List;

/**
 * One differentiable operation that ran while some input required gradients: what the autograd
 * engine records. Inputs that do not require gradients are there too, so that positions match.
 */
public record OpCall(TensorOp op, List<Tensor> inputs, Tensor output, List<Object> args) {

    public OpCall {
        inputs = List.copyOf(inputs);
        args = List.copyOf(args);
    }

    /** The argument at {@code index}, cast to the type the op documents. */
    @SuppressWarnings("unchecked")
    public <T> T arg(int index) {
        return (T) args.get(index);
    }
}
