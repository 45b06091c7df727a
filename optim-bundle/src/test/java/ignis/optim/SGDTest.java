package ignis.optim;

import static ignis.optim.OptimTesting.GRADS;
import static ignis.optim.OptimTesting.P0;
import static ignis.optim.OptimTesting.assertMoves;
import static ignis.optim.OptimTesting.assertTrajectory;
import static ignis.optim.OptimTesting.param;
import static ignis.optim.OptimTesting.trajectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class SGDTest {

    @Test
    void plain() {
        double[][] actual = trajectory(ps -> new SGD(ps, 0.1));
        assertMoves(actual);
        assertTrajectory(Reference.sgd(P0, GRADS, 0.1, 0, 0, 0, false, false), actual);
    }

    @Test
    void momentumWithDampeningStartsTheBufferAtTheGradient() {
        double[][] actual = trajectory(ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.9).dampening(0.3)));
        assertTrajectory(Reference.sgd(P0, GRADS, 0.05, 0.9, 0.3, 0, false, false), actual);
        // First step: buf = g (no dampening), so p1 = p0 - lr * g0 exactly.
        assertEquals(1.0 - 0.05 * 0.5, actual[0][0], 1e-15);
    }

    @Test
    void nesterov() {
        double[][] actual = trajectory(ps -> new SGD(ps, SGD.options().lr(0.05).momentum(0.8).nesterov(true)));
        assertTrajectory(Reference.sgd(P0, GRADS, 0.05, 0.8, 0, 0, true, false), actual);
    }

    @Test
    void weightDecayWithMomentum() {
        double[][] actual = trajectory(ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.5).weightDecay(0.01)));
        assertTrajectory(Reference.sgd(P0, GRADS, 0.1, 0.5, 0, 0.01, false, false), actual);
    }

    @Test
    void maximizeWithMomentum() {
        double[][] actual = trajectory(ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).maximize(true)));
        assertTrajectory(Reference.sgd(P0, GRADS, 0.1, 0.9, 0, 0, false, true), actual);
        assertTrue(actual[0][0] > P0[0], "maximize climbs the gradient");
    }

    @Test
    void maximizeWithWeightDecayNegatesTheGradientFirst() {
        double[][] actual = trajectory(ps -> new SGD(ps, SGD.options().lr(0.1).weightDecay(0.5).nesterov(true).momentum(0.3)
                .maximize(true)));
        assertTrajectory(Reference.sgd(P0, GRADS, 0.1, 0.3, 0, 0.5, true, true), actual);
    }

    @Test
    void quadraticLossThroughBackward() {
        // loss = sum(a * (p - c)^2) / 2, so grad = a * (p - c)
        double[] a = {1, 2, 0.5};
        double[] c = {0.3, -1, 2};
        double[] expected = {1, 1, 1};
        double[] buf = new double[3];
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 1, 1}, 3);
            Tensor ta = Tensors.of(a);
            Tensor tc = Tensors.of(c);
            try (SGD sgd = new SGD(List.of(p), SGD.options().lr(0.1).momentum(0.9))) {
                for (int t = 1; t <= 5; t++) {
                    try (TensorScope step = Tensors.scope()) {
                        Tensor d = p.sub(tc);
                        d.mul(d).mul(ta).sum().mul(0.5).backward();
                        sgd.step();
                        sgd.zeroGrad();
                    }
                    for (int i = 0; i < 3; i++) {
                        double g = a[i] * (expected[i] - c[i]);
                        buf[i] = t == 1 ? g : 0.9 * buf[i] + g;
                        expected[i] -= 0.1 * buf[i];
                    }
                    assertArrayEquals(expected, p.toDoubleArray(), 1e-12, "step " + t);
                }
            }
        }
    }

    @Test
    void groupsKeepTheirOwnOptions() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1, 2}, 2);
            Tensor b = param(new double[] {3, 4}, 2);
            try (SGD sgd = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), SGD.options().lr(0.5).momentum(0.9))),
                    SGD.options().lr(0.1))) {
                assertEquals(0.1, sgd.paramGroups().get(0).lr());
                assertEquals(0.0, sgd.paramGroups().get(0).getDouble("momentum"));
                assertEquals(0.5, sgd.paramGroups().get(1).lr());
                assertEquals(0.9, sgd.paramGroups().get(1).getDouble("momentum"));
                double[][] grads = {{1, -1}, {2, 0.5}, {-1, 1}};
                double[][] expectedA = Reference.sgd(new double[] {1, 2}, grads, 0.1, 0, 0, 0, false, false);
                double[][] expectedB = Reference.sgd(new double[] {3, 4}, grads, 0.5, 0.9, 0, 0, false, false);
                for (int t = 0; t < grads.length; t++) {
                    a.setGrad(Tensors.of(grads[t]));
                    b.setGrad(Tensors.of(grads[t]));
                    sgd.step();
                    assertArrayEquals(expectedA[t], a.toDoubleArray(), 1e-12);
                    assertArrayEquals(expectedB[t], b.toDoubleArray(), 1e-12);
                }
                assertTrue(sgd.state(a).isEmpty(), "no momentum, no state");
                assertEquals(List.of("momentum_buffer"), List.copyOf(sgd.state(b).keySet()));
            }
        }
    }

    @Test
    void addParamGroupLater() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1}, 1);
            Tensor b = param(new double[] {1}, 1);
            try (SGD sgd = new SGD(List.of(a), SGD.options().lr(0.1).momentum(0.5))) {
                sgd.addParamGroup(ParamGroup.of(List.of(b), SGD.options().lr(0.01)));
                assertEquals(2, sgd.paramGroups().size());
                assertEquals(0.5, sgd.paramGroups().get(1).getDouble("momentum"), "defaults fill what the group does not set");
                a.setGrad(Tensors.of(new double[] {1}));
                b.setGrad(Tensors.of(new double[] {1}));
                sgd.step();
                assertEquals(0.9, a.toDoubleArray()[0], 1e-15);
                assertEquals(0.99, b.toDoubleArray()[0], 1e-15);
            }
        }
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1, 2}, 2);
            Tensor b = param(new double[] {3, 4}, 2);
            try (SGD sgd = new SGD(List.of(a, b), SGD.options().lr(0.1).momentum(0.9))) {
                a.setGrad(Tensors.of(new double[] {1, 1}));
                sgd.step();
                assertArrayEquals(new double[] {3, 4}, b.toDoubleArray());
                assertTrue(sgd.state(b).isEmpty());
                assertArrayEquals(new double[] {0.9, 1.9}, a.toDoubleArray(), 1e-15);
            }
        }
    }

    @Test
    void aParameterSkippedAtFirstStartsItsOwnMomentumBuffer() {
        // By hand, lr 0.1, momentum 0.9, dampening 0.5, gradients 1. a: buf 1, a = 0.9; then buf = 0.9 + 0.5 = 1.4, a = 0.76.
        // b, without a gradient at step 1, takes its first momentum step at step 2: buf = g = 1 (no dampening), b = 2.9.
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1}, 1);
            Tensor b = param(new double[] {3}, 1);
            try (SGD sgd = new SGD(List.of(a, b), SGD.options().lr(0.1).momentum(0.9).dampening(0.5))) {
                a.setGrad(Tensors.of(new double[] {1}));
                sgd.step();
                b.setGrad(Tensors.of(new double[] {1}));
                a.setGrad(Tensors.of(new double[] {1}));
                sgd.step();
                assertEquals(0.76, a.toDoubleArray()[0], 1e-15);
                assertEquals(2.9, b.toDoubleArray()[0], 1e-15);
                assertArrayEquals(new double[] {1}, ((Tensor) sgd.state(b).get("momentum_buffer")).toDoubleArray());
            }
        }
    }

    @Test
    void float32Parameters() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = Tensors.of(new float[] {1f, -2f, 0.5f, 0.25f}).requiresGrad_(true);
            double[][] expected = Reference.sgd(P0, GRADS, 0.1, 0.9, 0, 0.01, true, false);
            try (SGD sgd = new SGD(List.of(p), SGD.options().lr(0.1).momentum(0.9).weightDecay(0.01).nesterov(true))) {
                for (int t = 0; t < GRADS.length; t++) {
                    p.setGrad(Tensors.full(Shape.of(4), 0, DType.FLOAT32, Device.CPU).copy_(Tensors.of(GRADS[t])));
                    sgd.step();
                    assertEquals(DType.FLOAT32, p.dtype());
                    assertArrayEquals(expected[t], p.toDoubleArray(), 1e-5);
                }
                assertEquals(DType.FLOAT32, ((Tensor) sgd.state(p).get("momentum_buffer")).dtype());
            }
        }
    }

    @Test
    void aRetainedHandleOfALeafIsOptimizedAsTheLeaf() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor leaf = param(new double[] {1, 2}, 2);
            try (Tensor handle = leaf.retain(); SGD sgd = new SGD(List.of(handle), 0.5)) {
                leaf.mul(leaf).sum().backward(); // the gradient accumulates on the leaf: 2 * p
                sgd.step();
                assertArrayEquals(new double[] {0, 0}, leaf.toDoubleArray(), 1e-15);
                sgd.zeroGrad();
                assertEquals(null, leaf.grad());
            }
        }
    }
}
