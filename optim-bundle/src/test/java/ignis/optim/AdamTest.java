package ignis.optim;

import static ignis.optim.OptimTesting.GRADS;
import static ignis.optim.OptimTesting.P0;
import static ignis.optim.OptimTesting.assertMoves;
import static ignis.optim.OptimTesting.assertTrajectory;
import static ignis.optim.OptimTesting.param;
import static ignis.optim.OptimTesting.trajectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class AdamTest {

    @Test
    void defaults() {
        try (TensorScope scope = Tensors.scope(); Adam adam = new Adam(List.of(param(new double[] {1}, 1)))) {
            assertEquals(1e-3, adam.defaults().get("lr"));
            assertEquals(List.of(0.9, 0.999), adam.defaults().get("betas"));
            assertEquals(1e-8, adam.defaults().get("eps"));
            assertEquals(0.0, adam.defaults().get("weight_decay"));
            assertEquals(false, adam.defaults().get("amsgrad"));
        }
    }

    @Test
    void plain() {
        double[][] actual = trajectory(ps -> new Adam(ps, 0.1));
        assertMoves(actual);
        assertTrajectory(Reference.adam(P0, GRADS, 0.1, 0.9, 0.999, 1e-8, 0, false, false, false), actual);
        // The first step of Adam moves each coordinate with a non-zero gradient by lr (m^/sqrt(v^) = sign(g)).
        assertEquals(1.0 - 0.1, actual[0][0], 1e-7);
    }

    @Test
    void betasEpsAndL2WeightDecay() {
        double[][] actual = trajectory(ps -> new Adam(ps, Adam.options().lr(0.05).betas(0.8, 0.9).eps(1e-3).weightDecay(0.1)));
        assertTrajectory(Reference.adam(P0, GRADS, 0.05, 0.8, 0.9, 1e-3, 0.1, false, false, false), actual);
    }

    @Test
    void amsgradKeepsTheLargestSecondMoment() {
        double[][] actual = trajectory(ps -> new Adam(ps, Adam.options().lr(0.1).betas(0.5, 0.6).amsgrad(true)));
        double[][] expected = Reference.adam(P0, GRADS, 0.1, 0.5, 0.6, 1e-8, 0, true, false, false);
        assertTrajectory(expected, actual);
        double[][] withoutMax = Reference.adam(P0, GRADS, 0.1, 0.5, 0.6, 1e-8, 0, false, false, false);
        assertFalse(java.util.Arrays.equals(expected[4], withoutMax[4]), "the case must tell AMSGrad from Adam");
    }

    @Test
    void maximize() {
        double[][] actual = trajectory(ps -> new Adam(ps, Adam.options().lr(0.1).maximize(true).weightDecay(0.2)));
        assertTrajectory(Reference.adam(P0, GRADS, 0.1, 0.9, 0.999, 1e-8, 0.2, false, true, false), actual);
    }

    @Test
    void adamWDecaysTheParameterBeforeTheStep() {
        double[][] actual = trajectory(ps -> new AdamW(ps, 0.1));
        assertTrajectory(Reference.adam(P0, GRADS, 0.1, 0.9, 0.999, 1e-8, 1e-2, false, false, true), actual);
    }

    @Test
    void adamWWithAmsgradAndStrongDecay() {
        double[][] actual = trajectory(ps -> new AdamW(ps, AdamW.options().lr(0.02).weightDecay(0.5).amsgrad(true).betas(0.7, 0.8)));
        assertTrajectory(Reference.adam(P0, GRADS, 0.02, 0.7, 0.8, 1e-8, 0.5, true, false, true), actual);
        double[][] coupled = Reference.adam(P0, GRADS, 0.02, 0.7, 0.8, 1e-8, 0.5, true, false, false);
        assertFalse(java.util.Arrays.equals(coupled[4], actual[4]), "decoupled decay differs from the L2 penalty");
    }

    @Test
    void adamWDefaultWeightDecay() {
        try (TensorScope scope = Tensors.scope(); AdamW adamW = new AdamW(List.of(param(new double[] {1}, 1)))) {
            assertEquals(1e-2, adamW.defaults().get("weight_decay"));
        }
    }

    @Test
    void eachParameterCountsItsOwnSteps() {
        // b gets its first gradient at the optimizer's second step: its bias corrections are those of step 1, so its move is
        // lr * g / (|g| + eps) (m_hat = g, v_hat = g^2), while a follows the reference's two steps.
        try (TensorScope scope = Tensors.scope()) {
            Tensor a = param(new double[] {1}, 1);
            Tensor b = param(new double[] {3}, 1);
            try (Adam adam = new Adam(List.of(a, b), 0.1)) {
                a.setGrad(Tensors.of(new double[] {0.5}));
                adam.step();
                a.setGrad(Tensors.of(new double[] {-2}));
                b.setGrad(Tensors.of(new double[] {-2}));
                adam.step();
                double[][] expectedA = Reference.adam(new double[] {1}, new double[][] {{0.5}, {-2}}, 0.1, 0.9, 0.999, 1e-8, 0,
                        false, false, false);
                assertEquals(expectedA[1][0], a.toDoubleArray()[0], 1e-15);
                assertEquals(3 + 0.1 * 2 / (2 + 1e-8), b.toDoubleArray()[0], 1e-15);
                assertEquals(2L, adam.state(a).get("step"));
                assertEquals(1L, adam.state(b).get("step"));
            }
        }
    }

    @Test
    void quadraticLossThroughBackward() {
        double[] a = {1, 4};
        double[] expected = {2, -3};
        double[] m = new double[2];
        double[] v = new double[2];
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(expected, 2);
            Tensor ta = Tensors.of(a);
            try (Adam adam = new Adam(List.of(p), 0.2)) {
                for (int t = 1; t <= 5; t++) {
                    try (TensorScope step = Tensors.scope()) {
                        p.mul(p).mul(ta).sum().mul(0.5).backward(); // grad = a * p
                        adam.step();
                        adam.zeroGrad();
                    }
                    for (int i = 0; i < 2; i++) {
                        double g = a[i] * expected[i];
                        m[i] = 0.9 * m[i] + 0.1 * g;
                        v[i] = 0.999 * v[i] + 0.001 * g * g;
                        expected[i] -= 0.2 * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
                    }
                    assertArrayEquals(expected, p.toDoubleArray(), 1e-12, "step " + t);
                }
                assertEquals(5L, adam.state(p).get("step"));
                assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(adam.state(p).keySet()));
            }
        }
    }
}
