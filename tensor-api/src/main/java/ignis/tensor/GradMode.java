package ignis.tensor;

/**
 * Whether operations on this thread record the autograd graph, as PyTorch's {@code torch.no_grad()}
 * and {@code torch.enable_grad()}: {@code try (var off = GradMode.noGrad()) { ... }}. On by default.
 */
public final class GradMode {

    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Stops recording on this thread until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Records on this thread until the returned scope is closed, also inside a {@link #noGrad()} block. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return new Scope(previous);
    }

    /** Restores the grad mode that was in force before it was opened. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            ENABLED.set(previous);
        }
    }
}
