package ignis.optim;

import static ignis.optim.OptimTesting.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class ZeroGradTest {

    @Test
    void setToNoneClosesAndClearsTheGradient() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            try (SGD sgd = new SGD(List.of(p), 0.1)) {
                p.mul(p).sum().backward();
                Tensor grad = p.grad();
                assertArrayEquals(new double[] {2, 4}, grad.toDoubleArray());
                sgd.zeroGrad();
                assertNull(p.grad());
                assertTrue(grad.isClosed(), "the old gradient is released");
                sgd.step(); // no gradient: nothing moves
                assertArrayEquals(new double[] {1, 2}, p.toDoubleArray());
                p.mul(p).sum().backward(); // a fresh gradient, not accumulated onto the old one
                assertArrayEquals(new double[] {2, 4}, p.grad().toDoubleArray());
                sgd.zeroGrad();
            }
        }
    }

    @Test
    void zeroInPlaceKeepsTheTensor() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            try (SGD sgd = new SGD(List.of(p), 0.1)) {
                p.mul(p).sum().backward();
                Tensor grad = p.grad();
                sgd.zeroGrad(false);
                assertSame(grad, p.grad());
                assertArrayEquals(new double[] {0, 0}, grad.toDoubleArray());
                p.mul(3.0).sum().backward(); // accumulates into the zeroed gradient
                assertSame(grad, p.grad());
                assertArrayEquals(new double[] {3, 3}, grad.toDoubleArray());
                sgd.zeroGrad();
                assertTrue(grad.isClosed());
            }
        }
    }

    @Test
    void withoutZeroingGradientsAccumulate() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1}, 1);
            try (SGD sgd = new SGD(List.of(p), 0.1)) {
                p.mul(2.0).sum().backward();
                p.mul(2.0).sum().backward();
                sgd.step();
                assertArrayEquals(new double[] {1 - 0.1 * 4}, p.toDoubleArray(), 1e-15);
                sgd.zeroGrad();
            }
        }
    }

    @Test
    void stepWithAClosure() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {3}, 1);
            try (SGD sgd = new SGD(List.of(p), 0.25)) {
                Tensor loss = sgd.step(() -> {
                    sgd.zeroGrad();
                    Tensor l = p.mul(p).sum();
                    l.backward();
                    return l;
                });
                assertArrayEquals(new double[] {9}, loss.toDoubleArray());
                assertArrayEquals(new double[] {3 - 0.25 * 6}, p.toDoubleArray(), 1e-15);
                sgd.zeroGrad();
            }
        }
    }

    @Test
    void aGradientSetOnARetainedHandleIsUsedAndCleared() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor leaf = param(new double[] {1, 2}, 2);
            try (Tensor handle = leaf.retain(); SGD sgd = new SGD(List.of(handle), 0.5)) {
                Tensor grad = Tensors.of(new double[] {2, 2});
                handle.setGrad(grad);
                sgd.step();
                assertArrayEquals(new double[] {0, 1}, leaf.toDoubleArray(), 1e-15);
                sgd.zeroGrad();
                assertNull(handle.grad());
                assertTrue(grad.isClosed());
            }
        }
    }

    @Test
    void zeroInPlaceDetachesAGradientRecordedWithCreateGraph() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            try (SGD sgd = new SGD(List.of(p), 0.1)) {
                p.mul(p).sum().backward(null, false, true);
                Tensor recorded = p.grad();
                assertTrue(recorded.requiresGrad(), "with createGraph the gradient is part of a graph");
                recorded.sum().backward(); // uses, and so frees, the graph the gradient is part of
                sgd.zeroGrad(false);
                assertTrue(recorded.isClosed());
                assertArrayEquals(new double[] {0, 0}, p.grad().toDoubleArray());
                assertTrue(!p.grad().requiresGrad(), "the zeroed gradient is outside the graph");
                sgd.zeroGrad();
            }
        }
    }
}
