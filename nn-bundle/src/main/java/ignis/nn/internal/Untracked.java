package ignis.nn.internal;

import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import java.util.function.Supplier;

/**
 * Makes tensors that no {@link ignis.tensor.TensorScope} tracks and that are leaves of their own.
 *
 * <p>Scopes are per thread, so a tensor made on a thread with no open scope belongs to none. This is
 * how a module gets parameter handles that outlive the caller's scopes while staying their own
 * autograd leaves: a {@link Tensor#retain() retained} handle outlives scopes too, but its gradients
 * accumulate in the tensor it was retained from ({@link Tensor#gradLeaf()}), not in its own
 * {@link Tensor#grad()}, which optimizers read. The supplier runs with grad mode off.
 */
public final class Untracked {

    private Untracked() {
    }

    /** Runs {@code make} on a fresh virtual thread with no scope and grad mode off, and returns its result. */
    public static Tensor make(Supplier<Tensor> make) {
        Tensor[] result = new Tensor[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = Thread.ofVirtual().name("ignis-nn-untracked").start(() -> {
            try (GradMode.Scope off = GradMode.noGrad()) {
                result[0] = make.get();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return result[0];
    }

    /** A new handle to {@code value}'s memory: untracked, a leaf, not requiring grad. */
    public static Tensor detached(Tensor value) {
        return make(value::detach);
    }
}
