package ignis.nn;

import static ignis.nn.NnTesting.assertClose;
import static ignis.nn.NnTesting.f64;
import static ignis.nn.NnTesting.leaf;
import static ignis.nn.NnTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.autograd.GradCheck;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What changes between training and evaluation: BatchNorm's statistics and Dropout. */
class TrainEvalTest {

    private final Random rng = new Random(99);

    /** Three batches of 4 samples and 2 features, worked by hand below. */
    private static final double[][] BATCHES = {
            {1, 10, 2, 20, 3, 30, 6, 40},
            {0, -1, 0, 1, 4, -1, 4, 1},
            {2, 5, 2, 5, 2, 5, 2, 9},
    };

    @Test
    void batchNormRunningStatisticsAfterThreeBatches() {
        try (var scope = Tensors.scope();
             BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.1, true, true, DType.FLOAT64, Device.CPU)) {
            double[] runningMean = {0, 0};
            double[] runningVar = {1, 1};
            for (double[] batch : BATCHES) {
                Tensor y = bn.forward(f64(batch, 4, 2));
                double[] expected = new double[8];
                for (int f = 0; f < 2; f++) {
                    double[] column = {batch[f], batch[2 + f], batch[4 + f], batch[6 + f]};
                    double mean = NnTesting.mean(column);
                    double biased = NnTesting.variance(column);
                    for (int n = 0; n < 4; n++) {
                        expected[2 * n + f] = (column[n] - mean) / Math.sqrt(biased + 1e-5);
                    }
                    runningMean[f] = 0.9 * runningMean[f] + 0.1 * mean;
                    runningVar[f] = 0.9 * runningVar[f] + 0.1 * biased * 4 / 3;
                }
                assertClose(expected, y, 1e-12);
            }
            // By hand: batch means (3, 25), (2, 0), (2, 6), so 0.3 -> 0.47 -> 0.623 and 2.5 -> 2.25 -> 2.625;
            // unbiased variances (14/3, 500/3), (16/3, 4/3), (0, 4).
            assertClose(new double[] {0.623, 2.625}, runningMean, 1e-12);
            assertClose(runningMean, bn.runningMean(), 1e-12);
            assertClose(runningVar, bn.runningVar(), 1e-12);
            assertEquals(3, bn.getBuffer("num_batches_tracked").itemLong());

            bn.eval();
            double[] x = {1, 2, -1, 3};
            double[] expected = new double[4];
            for (int i = 0; i < 4; i++) {
                int f = i % 2;
                expected[i] = (x[i] - runningMean[f]) / Math.sqrt(runningVar[f] + 1e-5);
            }
            assertClose(expected, bn.forward(f64(x, 2, 2)), 1e-12);
            assertEquals(3, bn.getBuffer("num_batches_tracked").itemLong(), "evaluation tracks nothing");
            assertClose(runningMean, bn.runningMean(), 1e-12);
        }
    }

    @Test
    void batchNormWithoutMomentumKeepsTheCumulativeAverage() {
        try (var scope = Tensors.scope();
             BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, false, true, DType.FLOAT64, Device.CPU)) {
            for (double[] batch : BATCHES) {
                bn.forward(f64(batch, 4, 2));
            }
            assertClose(new double[] {(3 + 2 + 2) / 3.0, (25 + 0 + 6) / 3.0}, bn.runningMean(), 1e-12);
            assertClose(new double[] {(14 / 3.0 + 16 / 3.0 + 0) / 3, (500 / 3.0 + 4 / 3.0 + 4) / 3}, bn.runningVar(), 1e-12);
        }
    }

    @Test
    void batchNorm2dNormalisesEachChannelOverBatchAndSpace() {
        try (var scope = Tensors.scope();
             BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, true, true, DType.FLOAT64, Device.CPU)) {
            double[] gamma = {1.5, -0.5, 2};
            double[] beta = {0.1, 0.2, 0.3};
            NnTesting.set(bn.weight(), gamma);
            NnTesting.set(bn.bias(), beta);
            double[] x = uniform(rng, 2 * 3 * 2 * 2, -3, 3);
            double[] expected = new double[x.length];
            for (int c = 0; c < 3; c++) {
                double[] values = new double[8];
                for (int n = 0, k = 0; n < 2; n++) {
                    for (int s = 0; s < 4; s++) {
                        values[k++] = x[(n * 3 + c) * 4 + s];
                    }
                }
                double m = NnTesting.mean(values), v = NnTesting.variance(values);
                for (int n = 0; n < 2; n++) {
                    for (int s = 0; s < 4; s++) {
                        int i = (n * 3 + c) * 4 + s;
                        expected[i] = (x[i] - m) / Math.sqrt(v + 1e-5) * gamma[c] + beta[c];
                    }
                }
            }
            assertClose(expected, bn.forward(f64(x, 2, 3, 2, 2)), 1e-12);
        }
    }

    @Test
    void batchNormGradientInTrainingFlowsThroughTheBatchStatistics() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(uniform(rng, 4 * 2 * 3, -2, 2), 4, 2, 3);
            Tensor w = leaf(new double[] {0.7, 1.3}, 2);
            Tensor b = leaf(new double[] {0.1, -0.4}, 2);
            GradCheck.check(t -> Functional.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5), x, w, b);
            Tensor mean = f64(new double[] {0.2, -0.1}, 2);
            Tensor var = f64(new double[] {1.5, 0.5}, 2);
            GradCheck.check(t -> Functional.batchNorm(t[0], mean, var, t[1], t[2], false, 0.1, 1e-5), x, w, b);
        }
    }

    @Test
    void batchNormWithoutRunningStatisticsUsesBatchStatisticsInEvaluationToo() {
        try (var scope = Tensors.scope();
             BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.1, true, false, DType.FLOAT64, Device.CPU)) {
            bn.eval();
            Tensor y = bn.forward(f64(BATCHES[0], 4, 2));
            assertClose(0, NnTesting.mean(y.toDoubleArray()), 1e-12);
            assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(bn.stateDict().keySet()));
        }
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRestInTrainingOnly() {
        try (var scope = Tensors.scope(); Dropout dropout = new Dropout(0.3, new Generator(42))) {
            Tensor x = Tensors.ones(ignis.tensor.Shape.of(20000), DType.FLOAT64, Device.CPU).requiresGrad_(true);
            Tensor y = dropout.forward(x);
            double[] values = y.toDoubleArray();
            int zeros = 0;
            for (double v : values) {
                if (v == 0) {
                    zeros++;
                } else {
                    assertEquals(1 / 0.7, v, 1e-12, "survivors are scaled by 1/(1-p)");
                }
            }
            assertEquals(0.3, zeros / 20000.0, 0.015);
            y.sum().backward();
            assertArrayEquals(values, x.grad().toDoubleArray(), "the gradient is the mask, scaled");

            try (Dropout again = new Dropout(0.3, new Generator(42))) {
                assertArrayEquals(values, again.forward(x).toDoubleArray(), "the same seed drops the same elements");
            }
            dropout.eval();
            Tensor passed = dropout.forward(x);
            assertArrayEquals(x.toDoubleArray(), passed.toDoubleArray());
            assertFalse(passed == x);
        }
    }

    @Test
    void dropoutEdgeProbabilitiesAndTheDefaultGenerator() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.randn(100);
            assertArrayEquals(x.toFloatArray(), Functional.dropout(x, 0, true).toFloatArray());
            assertEquals(0, NnTesting.maxAbs(Functional.dropout(x, 1, true).toDoubleArray()));
            Tensors.manualSeed(5);
            double[] first = new Dropout(0.5).forward(x).toDoubleArray();
            Tensors.manualSeed(5);
            assertArrayEquals(first, new Dropout(0.5).forward(x).toDoubleArray(), "manualSeed makes dropout repeatable");
            assertTrue(NnTesting.maxAbs(first) > 0);
        }
    }
}
