package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** As PyTorch's {@code .grad =}: a gradient of another shape or dtype, or a closed one, is refused and the old one stays. */
class SetGradTest {

    @Test
    void aGradientMustMatchTheTensor() {
        try (var scope = Tensors.scope()) {
            Tensor p = Tensors.of(new float[] {1, 2, 3}).requiresGrad_(true);
            Tensor good = Tensors.of(new float[] {4, 5, 6});
            p.setGrad(good);
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> p.setGrad(Tensors.of(new float[2])));
            assertTrue(shape.getMessage().contains("[2] float32") && shape.getMessage().contains("[3] float32"), shape.getMessage());
            IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> p.setGrad(Tensors.of(new double[3])));
            assertTrue(dtype.getMessage().contains("float64"), dtype.getMessage());
            Tensor closed = Tensors.of(new float[3]);
            closed.close();
            assertThrows(IllegalStateException.class, () -> p.setGrad(closed));
            assertSame(good, p.grad());
            p.setGrad(null);
            assertNull(p.grad());
        }
    }
}
