package ignis.nn.internal;

import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.function.Supplier;

/** Makes tensors that no {@link ignis.tensor.TensorScope} tracks: parameters and buffers outlive the caller's scopes. */
public final class Untracked {

    private Untracked() {
    }

    /** Runs {@code make} with no scope tracking what it makes and grad mode off, and returns its result. */
    public static Tensor make(Supplier<Tensor> make) {
        try (TensorScope.Untracked untracked = Tensors.untracked(); GradMode.Scope off = GradMode.noGrad()) {
            return make.get();
        }
    }

    /** A new handle to {@code value}'s memory: untracked, a leaf, not requiring grad. */
    public static Tensor detached(Tensor value) {
        return make(value::detach);
    }
}
