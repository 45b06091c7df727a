package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A retained handle is the same tensor: it shares its leaf's gradient and hooks, even after the original is closed. */
class RetainedLeafTest {

    @Test
    void retainedHandlesShareTheLeafsGradientAndHooks() {
        Tensor kept;
        try (var scope = Tensors.scope(); Tensor marker = Tensors.of(new float[2])) {
            Tensor original = Tensors.of(new float[2]).requiresGrad_(true);
            kept = original.retain();
            kept.setGrad(marker);
            assertSame(marker, original.grad());
            kept.registerHook(g -> g);
            assertSame(kept.hooks(), original.hooks());
        }
        kept.setGrad(null);
        kept.close();
    }
}
