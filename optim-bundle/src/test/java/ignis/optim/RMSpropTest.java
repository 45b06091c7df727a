package ignis.optim;

import static ignis.optim.OptimTesting.GRADS;
import static ignis.optim.OptimTesting.P0;
import static ignis.optim.OptimTesting.assertMoves;
import static ignis.optim.OptimTesting.assertTrajectory;
import static ignis.optim.OptimTesting.param;
import static ignis.optim.OptimTesting.trajectory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class RMSpropTest {

    @Test
    void plain() {
        double[][] actual = trajectory(ps -> new RMSprop(ps, 0.01));
        assertMoves(actual);
        assertTrajectory(Reference.rmsprop(P0, GRADS, 0.01, 0.99, 1e-8, 0, 0, false, false), actual);
    }

    @Test
    void alphaAndEps() {
        double[][] actual = trajectory(ps -> new RMSprop(ps, RMSprop.options().lr(0.05).alpha(0.7).eps(1e-2)));
        assertTrajectory(Reference.rmsprop(P0, GRADS, 0.05, 0.7, 1e-2, 0, 0, false, false), actual);
    }

    @Test
    void centered() {
        double[][] actual = trajectory(ps -> new RMSprop(ps, RMSprop.options().lr(0.01).alpha(0.9).centered(true)));
        assertTrajectory(Reference.rmsprop(P0, GRADS, 0.01, 0.9, 1e-8, 0, 0, true, false), actual);
    }

    @Test
    void momentum() {
        double[][] actual = trajectory(ps -> new RMSprop(ps, RMSprop.options().lr(0.01).momentum(0.9)));
        assertTrajectory(Reference.rmsprop(P0, GRADS, 0.01, 0.99, 1e-8, 0, 0.9, false, false), actual);
    }

    @Test
    void centeredMomentumWeightDecayMaximize() {
        double[][] actual = trajectory(ps -> new RMSprop(ps, RMSprop.options().lr(0.02).alpha(0.8).weightDecay(0.1).momentum(0.5)
                .centered(true).maximize(true)));
        assertTrajectory(Reference.rmsprop(P0, GRADS, 0.02, 0.8, 1e-8, 0.1, 0.5, true, true), actual);
    }

    @Test
    void stateKeysFollowTheOptions() {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(new double[] {1, 2}, 2);
            try (RMSprop opt = new RMSprop(List.of(p), RMSprop.options().momentum(0.9).centered(true))) {
                p.setGrad(Tensors.of(new double[] {1, 1}));
                opt.step();
                assertEquals(List.of("step", "square_avg", "momentum_buffer", "grad_avg"), List.copyOf(opt.state(p).keySet()));
            }
        }
    }
}
