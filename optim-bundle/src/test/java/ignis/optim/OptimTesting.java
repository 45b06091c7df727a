package ignis.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Running an optimizer over given gradients, and comparing trajectories. */
@SuppressWarnings("try") // scopes are opened for their effect
final class OptimTesting {

    /** Gradients of mixed sign and size, one of them zero, and shrinking toward the end (so that AMSGrad's max matters). */
    static final double[][] GRADS = {
        {0.5, -1.2, 0.0, 3.0},
        {0.4, -0.8, 0.1, -2.0},
        {-0.3, 0.9, 0.2, 1.5},
        {0.1, -0.05, -0.4, 0.2},
        {0.05, 0.02, 0.01, -0.1},
    };

    static final double[] P0 = {1.0, -2.0, 0.5, 0.25};

    private OptimTesting() {
    }

    /** A float64 leaf that requires grad, in the scope open on this thread. */
    static Tensor param(double[] values, long... shape) {
        return Tensors.of(values.clone(), shape).requiresGrad_(true);
    }

    /** The parameter after each step of an optimizer made by {@code make} over one float64 parameter of values {@code p0}. */
    static double[][] trajectory(Function<List<Tensor>, Optimizer> make, double[] p0, double[][] grads) {
        try (TensorScope scope = Tensors.scope()) {
            Tensor p = param(p0, 2, 2);
            try (Optimizer optimizer = make.apply(List.of(p))) {
                double[][] out = new double[grads.length][];
                for (int t = 0; t < grads.length; t++) {
                    p.setGrad(Tensors.of(grads[t].clone(), 2, 2));
                    optimizer.step();
                    out[t] = p.toDoubleArray();
                }
                return out;
            }
        }
    }

    static double[][] trajectory(Function<List<Tensor>, Optimizer> make) {
        return trajectory(make, P0, GRADS);
    }

    /** Equal within {@code tolerance} relative to max(1, |expected|), at every step and element. */
    static void assertTrajectory(double[][] expected, double[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "steps");
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t].length, actual[t].length, "elements at step " + (t + 1));
            for (int i = 0; i < expected[t].length; i++) {
                double allowed = tolerance * Math.max(1, Math.abs(expected[t][i]));
                if (!(Math.abs(expected[t][i] - actual[t][i]) <= allowed)) {
                    fail("step " + (t + 1) + ", element " + i + ": expected " + expected[t][i] + ", got " + actual[t][i]
                            + "\nexpected " + Arrays.toString(expected[t]) + "\nactual   " + Arrays.toString(actual[t]));
                }
            }
        }
    }

    static void assertTrajectory(double[][] expected, double[][] actual) {
        assertTrajectory(expected, actual, 1e-12);
    }

    /** The parameter moved at every step (guards against comparing two trajectories that stand still). */
    static void assertMoves(double[][] trajectory) {
        double[] previous = P0;
        for (double[] values : trajectory) {
            if (Arrays.equals(previous, values)) {
                fail("the parameter did not move: " + Arrays.toString(values));
            }
            previous = values;
        }
    }
}
