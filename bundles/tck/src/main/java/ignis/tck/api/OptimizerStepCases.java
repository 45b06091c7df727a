package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.GradMode;
import ignis.tensor.OptimizerSteps;
import ignis.tensor.Tensor;
import ignis.tensor.spi.AdamCoefficients;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused optimizer steps of {@link OptimizerSteps}, bit for bit against the operations that
 * {@link ignis.tensor.spi.OptimizerKernels} lists, recomputed here in double with each result rounded
 * to the dtype (exactly the dtype's own arithmetic for +, -, *, / and sqrt of float32 values): dense
 * operands of odd lengths and one long enough to be split over threads (the backend's kernel when it
 * has one), and strided operands (the composed path).
 */
abstract class OptimizerStepCases extends KitArea {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;
    private static final double LR = 1e-3;
    private static final long STEP = 3;

    private static AdamCoefficients coefficients() {
        return new AdamCoefficients(BETA1, BETA2, EPS, LR / (1 - Math.pow(BETA1, STEP)), Math.sqrt(1 - Math.pow(BETA2, STEP)));
    }

    /** The operands' starting values: param, grad, m, v (>= 0) and max (>= 0, above v for about half). */
    private record Start(double[] param, double[] grad, double[] m, double[] v, double[] max) {

        static Start random(int n, long seed, DType dtype) {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] values = new double[5][n];
            for (int i = 0; i < n; i++) {
                double g = r.nextDouble(-1, 1);
                values[0][i] = r.nextDouble(-1, 1);
                values[1][i] = g;
                values[2][i] = r.nextDouble(-0.1, 0.1);
                values[3][i] = g * g * r.nextDouble(0, 0.01);
                values[4][i] = values[3][i] * r.nextDouble(0.5, 1.5);
            }
            return rounded(values, dtype);
        }

        /**
         * As {@link #random}, with moments near zero in alternate runs of 64 elements: subnormal float32 first and second
         * moments, some of them with a zero gradient (a dead unit's, whose moments decay), moments just above the
         * subnormals, a gradient whose square underflows, and zeros.
         */
        static Start withTinyMoments(int n, long seed, DType dtype) {
            Start start = random(n, seed, dtype);
            double[][] values = {start.param, start.grad, start.m, start.v, start.max};
            SplittableRandom r = new SplittableRandom(seed + 1);
            double subnormal = 0x1p-130;
            for (int i = 0; i < n; i++) {
                if (i / 64 % 2 == 1) {
                    continue;
                }
                double sign = r.nextBoolean() ? 1 : -1;
                switch (i % 6) {
                    case 0 -> { }
                    case 1 -> {
                        values[1][i] = 0;
                        values[2][i] = sign * r.nextDouble(1, 16) * subnormal;
                    }
                    case 2 -> {
                        values[1][i] = 0;
                        values[2][i] = sign * r.nextDouble(0x1p-126, 0x1p-100);
                        values[3][i] = r.nextDouble(1, 16) * subnormal;
                    }
                    case 3 -> {
                        values[1][i] = sign * r.nextDouble(1e-30, 1e-20);
                        values[2][i] = sign * r.nextDouble(1, 16) * subnormal;
                    }
                    case 4 -> {
                        values[1][i] = 0;
                        values[2][i] = 0;
                        values[3][i] = r.nextDouble(1, 16) * subnormal;
                    }
                    default -> {
                        values[2][i] = sign * r.nextDouble(0, 1) * subnormal;
                        values[3][i] = r.nextDouble(0, 1) * subnormal;
                    }
                }
                values[4][i] = values[3][i] * r.nextDouble(0.5, 1.5);
            }
            return rounded(values, dtype);
        }

        private static Start rounded(double[][] values, DType dtype) {
            for (double[] v : values) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Reference.round(v[i], dtype);
                }
            }
            return new Start(values[0], values[1], values[2], values[3], values[4]);
        }
    }

    /** The expected param, m, v and max after one step. */
    private static double[][] expectedAdam(Start s, DType dtype, boolean amsgrad) {
        AdamCoefficients c = coefficients();
        int n = s.param.length;
        double[][] out = {s.param.clone(), s.m.clone(), s.v.clone(), s.max.clone()};
        // Half-precision arithmetic computes in float32 (PyTorch's opmath), so its scalars are float32 values.
        DType scalars = dtype == DType.FLOAT16 || dtype == DType.BFLOAT16 ? DType.FLOAT32 : dtype;
        double beta1 = r(c.beta1(), scalars);
        double rest1 = r(1 - c.beta1(), scalars);
        double beta2 = r(c.beta2(), scalars);
        double rest2 = r(1 - c.beta2(), scalars);
        double correction = r(c.biasCorrection2Sqrt(), scalars);
        double eps = r(c.eps(), scalars);
        double descent = r(-c.stepSize(), scalars);
        for (int i = 0; i < n; i++) {
            double g = s.grad[i];
            double m = r(r(s.m[i] * beta1, dtype) + r(g * rest1, dtype), dtype);
            double v = r(r(s.v[i] * beta2, dtype) + r(r(g * g, dtype) * rest2, dtype), dtype);
            double second = v;
            if (amsgrad) {
                second = Math.max(s.max[i], v);
                out[3][i] = second;
            }
            double denom = r(r(r(Math.sqrt(second), dtype) / correction, dtype) + eps, dtype);
            out[0][i] = r(s.param[i] + r(r(m / denom, dtype) * descent, dtype), dtype);
            out[1][i] = m;
            out[2][i] = v;
        }
        return out;
    }

    private static double r(double x, DType dtype) {
        return Reference.round(x, dtype);
    }

    /** float16 and bfloat16 take the composed step (the SPI's kernels are float32 and float64), with float32 scalars. */
    @Test
    void adamMatchesItsOperationsBitForBit() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16}) {
            for (int n : new int[] {1, 7, 17, 1023, 70_001}) {
                for (boolean amsgrad : new boolean[] {false, true}) {
                    checkDenseAdam(Start.random(n, n * 31L + (amsgrad ? 1 : 0), dtype), dtype, amsgrad);
                }
            }
        }
    }

    /** Values that a kernel may compute apart from the rest (in float32, subnormal operands are slow on some CPUs). */
    @Test
    void adamKeepsTheBitsOfMomentsNearZero() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {7, 1023, 70_001}) {
                for (boolean amsgrad : new boolean[] {false, true}) {
                    checkDenseAdam(Start.withTinyMoments(n, n * 17L + (amsgrad ? 1 : 0), dtype), dtype, amsgrad);
                }
            }
        }
    }

    /** One step on dense 1-d operands made from {@code s}, checked bit for bit against {@link #expectedAdam}. */
    private void checkDenseAdam(Start s, DType dtype, boolean amsgrad) {
        int n = s.param.length;
        Tensor param = typed(dtype, s.param, n);
        Tensor m = typed(dtype, s.m, n);
        Tensor v = typed(dtype, s.v, n);
        Tensor max = amsgrad ? typed(dtype, s.max, n) : null;
        long version = param.version();
        OptimizerSteps.adam(param, typed(dtype, s.grad, n), m, v, max, coefficients());
        double[][] expected = expectedAdam(s, dtype, amsgrad);
        assertExactly(expected[0], param);
        assertExactly(expected[1], m);
        assertExactly(expected[2], v);
        if (amsgrad) {
            assertExactly(expected[3], max);
        }
        assertTrue(param.version() > version, "the step counts as a write to the parameter");
    }

    @Test
    void adamOnStridedOperandsGivesTheSameBits() {
        int rows = 5;
        int cols = 9;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Start s = Start.random(rows * cols, 77, dtype);
            // The parameter as the transpose of its column-major storage: the same values, not contiguous.
            Tensor param = typed(dtype, transpose(s.param, rows, cols), cols, rows).t();
            Tensor m = typed(dtype, s.m, rows, cols);
            Tensor v = typed(dtype, s.v, rows, cols);
            OptimizerSteps.adam(param, typed(dtype, s.grad, rows, cols), m, v, null, coefficients());
            double[][] expected = expectedAdam(s, dtype, false);
            assertExactly(expected[0], param);
            assertExactly(expected[1], m);
            assertExactly(expected[2], v);
        }
    }

    @Test
    void adamRefusesToWriteTensorsThatRequireGradWhileRecording() {
        Tensor param = f32(1, 2, 3).requiresGrad_(true);
        Tensor state = f32(0, 0, 0);
        assertThrowsMentioning(IllegalStateException.class,
                () -> OptimizerSteps.adam(param, f32(1, 1, 1), state, f32(0, 0, 0), null, coefficients()), "noGrad", "[3]");
        try (GradMode.Scope off = GradMode.noGrad()) {
            OptimizerSteps.adam(param, f32(1, 1, 1), state, f32(0, 0, 0), null, coefficients());
        }
        assertTrue(param.toDoubleArray()[0] < 1, "the step moved the parameter against the gradient");
    }

    private static double[] transpose(double[] values, int rows, int cols) {
        double[] out = new double[values.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = values[i * cols + j];
            }
        }
        return out;
    }
}
