package ignis.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ignis.tensor.GradMode;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Arrays;
import java.util.Random;

/** What the nn tests share: seeded float64 data, leaves, and elementwise comparison with a tolerance. */
final class NnTesting {

    private NnTesting() {
    }

    /** Uniform values in [low, high) from a seeded generator. */
    static double[] uniform(Random rng, int n, double low, double high) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = low + (high - low) * rng.nextDouble();
        }
        return v;
    }

    static int numel(long... shape) {
        return Math.toIntExact(Shape.of(shape).numel());
    }

    /** A float64 tensor of the values. */
    static Tensor f64(double[] values, long... shape) {
        return Tensors.of(values, shape);
    }

    /** A float64 leaf that requires grad. */
    static Tensor leaf(double[] values, long... shape) {
        return Tensors.of(values, shape).requiresGrad_(true);
    }

    /** Copies values into a module's parameter (under no-grad). */
    static void set(Tensor parameter, double[] values) {
        try (GradMode.Scope off = GradMode.noGrad(); Tensor v = Tensors.of(values, parameter.shape().toArray())) {
            parameter.copy_(v);
        }
    }

    static void assertClose(double[] expected, Tensor actual, double tolerance) {
        assertClose(expected, actual.toDoubleArray(), tolerance);
    }

    static void assertClose(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "number of elements");
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * scale)) {
                fail("element " + i + ": expected " + expected[i] + ", got " + actual[i] + "\nexpected " + Arrays.toString(expected)
                        + "\nactual   " + Arrays.toString(actual));
            }
        }
    }

    static void assertClose(double expected, double actual, double tolerance) {
        assertClose(new double[] {expected}, new double[] {actual}, tolerance);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The biased variance. */
    static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * The live tensor count once the garbage of earlier tests is collected: a graph that was recorded
     * but never differentiated holds handles that only the GC's cleaner closes, and it may run at any
     * time. Measured before a leak check, so that the check counts only what the test itself leaves open.
     */
    static long settledLiveTensors() {
        long previous = -1;
        for (int round = 0; round < 50; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = Tensors.liveTensors();
            if (now == previous) {
                return now;
            }
            previous = now;
        }
        return Tensors.liveTensors();
    }
}
