package ignis.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Closes, when it is closed, every tensor made on its thread while it was the innermost open scope,
 * except those {@linkplain #keep kept}: {@code try (var scope = Tensors.scope()) { ... }}. Scopes
 * nest; a kept tensor passes to the enclosing scope, or outlives every scope when there is none.
 */
public final class TensorScope implements AutoCloseable {

    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
    }

    static TensorScope open() {
        TensorScope scope = new TensorScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    static void track(Tensor tensor) {
        TensorScope scope = CURRENT.get();
        if (scope != null && scope != UNTRACKED) {
            scope.tensors.add(tensor);
        }
    }

    /** Marks the innermost scope: tensors made while it is open belong to no scope. */
    private static final TensorScope UNTRACKED = new TensorScope(null);

    /** Until closed, tensors made on this thread are tracked by no scope. */
    static Untracked untracked() {
        TensorScope previous = CURRENT.get();
        CURRENT.set(UNTRACKED);
        return () -> CURRENT.set(previous);
    }

    /** Restores the scope in force before {@link Tensors#untracked()}. */
    public interface Untracked extends AutoCloseable {
        @Override
        void close();
    }

    /** Keeps {@code tensor} open when this scope closes, handing it to the enclosing scope if any; returns it. */
    public Tensor keep(Tensor tensor) {
        if (closed) {
            throw new IllegalStateException("keep(): the scope is closed already");
        }
        if (kept.add(tensor) && parent != null && parent != UNTRACKED) {
            parent.tensors.add(tensor);
        }
        return tensor;
    }

    /** The number of open tensors this scope will close. */
    public int size() {
        return (int) tensors.stream().filter(t -> !t.isClosed() && !kept.contains(t)).count();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("scopes must be closed innermost first, on the thread that opened them");
        }
        closed = true;
        CURRENT.set(parent);
        for (int i = tensors.size() - 1; i >= 0; i--) {
            Tensor tensor = tensors.get(i);
            if (!kept.contains(tensor)) {
                tensor.close();
            }
        }
        tensors.clear();
    }
}
