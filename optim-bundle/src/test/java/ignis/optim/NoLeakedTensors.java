package ignis.optim;

import ignis.tensor.Tensors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves more live tensors than it found: every tensor a test makes (parameters,
 * gradients that backward allocates, optimizer state, state-dict copies) must be closed by its end.
 * Fewer is fine: the cleaner may collect another test's garbage meanwhile.
 */
final class NoLeakedTensors implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoLeakedTensors.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("live", Tensors.liveTensors());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        long before = context.getStore(NAMESPACE).get("live", Long.class);
        long leaked = Tensors.liveTensors() - before;
        if (leaked > 0) {
            throw new AssertionError(context.getDisplayName() + " left " + leaked + " tensors open");
        }
    }
}
