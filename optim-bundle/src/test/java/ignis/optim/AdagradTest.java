package ignis.optim;

import static ignis.optim.OptimTesting.GRADS;
import static ignis.optim.OptimTesting.P0;
import static ignis.optim.OptimTesting.assertMoves;
import static ignis.optim.OptimTesting.assertTrajectory;
import static ignis.optim.OptimTesting.param;
import static ignis.optim.OptimTesting.trajectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class AdagradTest {

    @Test
    void plain() {
        double[][] actual = trajectory(ps -> new Adagrad(ps, 0.1));
        assertMoves(actual);
        assertTrajectory(Reference.adagrad(P0, GRADS, 0.1, 0, 0, 0, 1e-10, false), actual);
    }

    @Test
    void lrDecayAndInitialAccumulator() {
        double[][] actual = trajectory(ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.5).initialAccumulatorValue(0.1)));
        assertTrajectory(Reference.adagrad(P0, GRADS, 0.1, 0.5, 0, 0.1, 1e-10, false), actual);
    }

    @Test
    void weightDecayEpsMaximize() {
        double[][] actual = trajectory(ps -> new Adagrad(ps, Adagrad.options().lr(0.3).weightDecay(0.1).eps(1e-3).maximize(true)));
        assertTrajectory(Reference.adagrad(P0, GRADS, 0.3, 0, 0.1, 0, 1e-3, true), actual);
    }

    @Test
    void stateIsMadeWhenTheGroupIsAdded() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            try (Adagrad opt = new Adagrad(List.of(p), Adagrad.options().initialAccumulatorValue(0.25))) {
                assertEquals(0L, opt.state(p).get("step"));
                assertArrayEquals(new double[] {0.25, 0.25}, ((Tensor) opt.state(p).get("sum")).toDoubleArray());
            }
        }
    }
}
