package ignis.autograd.internal;

import ignis.tensor.AutogradRegistry;
import ignis.tensor.Tensor;
import ignis.tensor.spi.TensorOp;
import java.util.List;

/** Records the ops of custom functions, whose derivative is the user's backward. */
public final class CustomFunctions {

    private CustomFunctions() {
    }

    /** The user's backward: one gradient per input. */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * Records {@code output} as computed from {@code inputs} by a custom function; {@code resources}
     * (its saved tensors) are released with the graph, or at once when nothing was recorded.
     */
    public static void record(String name, AutoCloseable resources, Backward backward, Tensor output, Tensor... inputs) {
        Derivative.Entry entry = new Derivative.Entry(name, false, false, (s, g) -> {
            Tensor[] grads = backward.apply(g);
            if (grads == null || grads.length != inputs.length) {
                throw new IllegalStateException(name + " returned " + (grads == null ? "null" : grads.length + " gradients")
                        + " for " + inputs.length + " inputs");
            }
            return grads;
        });
        Derivatives.CustomOp op = new Derivatives.CustomOp() {
            @Override
            public Derivative.Entry entry() {
                return entry;
            }

            @Override
            public void close() {
                try {
                    resources.close();
                } catch (Exception e) {
                    throw new IllegalStateException("releasing the saved tensors of " + name + " failed", e);
                }
            }
        };
        AutogradRegistry.record(TensorOp.CUSTOM, List.of(op), output, inputs);
        if (output.gradFn() == null) {
            op.close();
        }
    }
}
