package ignis.autograd;

import ignis.autograd.internal.CustomFunctions;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A differentiable operation with a backward of its own, as {@code torch.autograd.Function}: extend
 * it, compute the result in {@link #forward} (not recorded), save what the gradient needs in the
 * context, and return one gradient per input from {@link #backward}. Use it through {@link #apply}.
 */
public abstract class Function {

    /** Computes the output; runs without recording. */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /** One gradient per input of forward (null for an input that needs none), from the output's gradient. */
    protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

    /** Runs the function and records it in the graph when an input requires gradients. */
    public final Tensor apply(Tensor... inputs) {
        Context ctx = new Context();
        Tensor out;
        try (GradMode.Scope inner = GradMode.noGrad()) {
            out = forward(ctx, inputs);
        }
        CustomFunctions.record(getClass().getSimpleName() + "Backward", ctx, g -> backward(ctx, g), out, inputs);
        return out;
    }

    /** What forward leaves for backward: saved tensors (checked against in-place changes) and values. */
    public static final class Context implements AutoCloseable {
        private final List<Tensor> saved = new ArrayList<>();
        private final List<Long> versions = new ArrayList<>();
        private final Map<String, Object> values = new HashMap<>();

        public void saveForBackward(Tensor... tensors) {
            for (Tensor t : tensors) {
                saved.add(t.retain());
                versions.add(t.version());
            }
        }

        /** The tensors saved by forward, in order. */
        public List<Tensor> savedTensors() {
            for (int i = 0; i < saved.size(); i++) {
                if (saved.get(i).version() != versions.get(i)) {
                    throw new IllegalStateException("saved tensor " + i + " of a custom function was modified by an in-place "
                            + "operation: it is at version " + saved.get(i).version() + "; expected version " + versions.get(i));
                }
            }
            return List.copyOf(saved);
        }

        public void put(String key, Object value) {
            values.put(key, value);
        }

        @SuppressWarnings("unchecked")
        public <T> T get(String key) {
            return (T) values.get(key);
        }

        @Override
        public void close() {
            saved.forEach(Tensor::close);
            saved.clear();
        }
    }
}
