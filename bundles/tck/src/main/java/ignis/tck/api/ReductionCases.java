package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.ValuesAndIndices;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reductions over dims with and without keepDim, their dtypes, ties, NaN, empty inputs, and softmax. */
abstract class ReductionCases extends KitArea {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void sumOfIntegersAndBoolsIsInt64() {
        Tensor m = i32(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor total = m.sum();
        assertDType(DType.INT64, total);
        assertEquals(0, total.dim());
        assertEquals(21, total.itemLong());
        Tensor columns = m.sum(0, false);
        assertDType(DType.INT64, columns);
        assertShape(columns, 3);
        assertLongs(new long[] {5, 7, 9}, columns);
        Tensor rows = m.sum(1, true);
        assertShape(rows, 2, 1);
        assertLongs(new long[] {6, 15}, rows);
        assertLongs(new long[] {6, 15}, m.sum(-1, false));
        assertEquals(2, bools(true, false, true).sum().itemLong());
        assertDType(DType.INT64, bools(true).sum());
        // int32 sums do not wrap: they are int64
        assertEquals(3L * Integer.MAX_VALUE, i32(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).sum().itemLong());
        assertEquals(4 * ((1L << 53) + 1), i64((1L << 53) + 1, (1L << 53) + 1, (1L << 53) + 1, (1L << 53) + 1).sum().itemLong());
        assertDType(DType.INT64, i32(2, 3).prod());
        assertEquals(6, i32(2, 3).prod().itemLong());
    }

    @Test
    void sumOfFloatsKeepsTheDTypeAndReducesAnyDims() {
        Tensor cube = range64(2, 3, 4);
        assertEquals(276.0, cube.sum().item());
        Tensor outer = cube.sum(new int[] {0, 2}, false);
        assertShape(outer, 3);
        double[] expected = new double[3];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    expected[j] += i * 12 + j * 4 + k;
                }
            }
        }
        assertExactly(expected, outer);
        assertShape(cube.sum(new int[] {0, 2}, true), 1, 3, 1);
        assertShape(cube.sum(new int[] {-1, -3}, false), 3);
        assertDType(DType.FLOAT32, f32(1, 2).sum());
        assertDType(DType.FLOAT16, typed(DType.FLOAT16, new double[] {1, 2}).sum());
        assertEquals(3.0, typed(DType.FLOAT16, new double[] {1, 2}).sum().item());
        // reductions of a transposed (strided) view
        assertExactly(new double[] {3, 5, 7}, range64(2, 3).t().sum(1, false));
        assertThrows(IllegalArgumentException.class, () -> cube.sum(new int[] {1, -2}, false));
        assertThrows(IndexOutOfBoundsException.class, () -> cube.sum(3, false));
        assertEquals(720.0, f64(1, 2, 3, 4, 5, 6).prod().item());
    }

    @Test
    void sumOfManyFloat32ValuesIsAccurate() {
        // 100000 values of 0.1f: the float32 sum is within float32's tolerance of the double sum
        SplittableRandom random = new SplittableRandom(5);
        float[] values = new float[100_000];
        double exact = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(0, 1);
            exact += values[i];
        }
        assertClose(new double[] {exact}, f32(values).sum(), new Tolerance(1e-5, 0));
    }

    @Test
    void meanIsForFloatsOnly() {
        assertEquals(3.5, range64(2, 4).mean().item());
        assertExactly(new double[] {1.5, 5.5}, range64(2, 4).mean(1, false));
        assertShape(range64(2, 4).mean(0, true), 1, 4);
        assertExactly(new double[] {3.5}, range64(2, 4).mean(new int[] {0, 1}, false).reshape(1));
        // torch.tensor([1, 2]).mean() -> RuntimeError: mean(): could not infer output dtype ... Got: Long
        assertThrowsMentioning(IllegalArgumentException.class, () -> i64(1, 2).mean(), "int64");
        assertThrows(IllegalArgumentException.class, () -> i32(1, 2).mean(0, false));
    }

    @Test
    void meanOfHalfFloatsAccumulatesInFloat32() {
        // PyTorch's mean_out on the cpu: "For accuracy reasons, BF16/FP16 mean should be computed via
        // cast_fp32 -> sum -> div -> cast_bf16_or_fp16": torch.ones(100000, dtype=torch.float16).mean() -> 1.
        // (The float16 sum itself, 100000, overflows float16 to inf.)
        Tensor halfOnes = ones(DType.FLOAT16, 100_000);
        assertEquals(Double.POSITIVE_INFINITY, halfOnes.sum().item());
        Tensor mean = halfOnes.mean();
        assertDType(DType.FLOAT16, mean);
        assertEquals(1.0, mean.item());
        assertExactly(new double[] {1, 1}, ones(DType.FLOAT16, 2, 70_000).mean(1, false));
    }

    @Test
    void maxAndMinWithIndicesTakeTheFirstOfTies() {
        Tensor m = f32(new float[] {1, 5, 5, 2, 2, 0}, 2, 3);
        try (ValuesAndIndices max = m.max(1, false); ValuesAndIndices min = m.min(1, false)) {
            assertExactly(new double[] {5, 2}, max.values());
            assertDType(DType.INT64, max.indices());
            assertLongs(new long[] {1, 0}, max.indices());
            assertExactly(new double[] {1, 0}, min.values());
            assertLongs(new long[] {0, 2}, min.indices());
        }
        try (ValuesAndIndices kept = m.max(0, true)) {
            assertShape(kept.values(), 1, 3);
            assertExactly(new double[] {2, 5, 5}, kept.values());
            assertLongs(new long[] {1, 0, 0}, kept.indices());
        }
        assertEquals(5.0, m.max().item());
        assertEquals(0.0, m.min().item());
        Tensor ints = i32(3, 1, 3, 1);
        try (ValuesAndIndices max = ints.max(0, false); ValuesAndIndices min = ints.min(-1, false)) {
            assertDType(DType.INT32, max.values());
            assertEquals(0, max.indices().itemLong());
            assertEquals(1, min.indices().itemLong());
        }
        assertExactly(new double[] {5, 2}, m.amax(new int[] {1}, false));
        assertExactly(new double[] {0}, m.amin(new int[] {0, 1}, true).reshape(1));
        assertBools(new boolean[] {true}, bools(false, true).max().reshape(1));
    }

    @Test
    void int64ExtremesAreExactBeyondTwoToThe53() {
        long big = 1L << 53;
        Tensor x = i64(big, big + 1, big);
        assertEquals(1, x.argmax().itemLong());
        assertEquals(0, x.argmin().itemLong());
        assertEquals(big + 1, x.max().itemLong());
        try (ValuesAndIndices max = x.max(0, false)) {
            assertEquals(big + 1, max.values().itemLong());
            assertEquals(1, max.indices().itemLong());
        }
    }

    @Test
    void argmaxAndArgmin() {
        Tensor m = f64(new double[] {1, 9, 9, 0}, 2, 2);
        Tensor flat = m.argmax();
        assertDType(DType.INT64, flat);
        assertEquals(0, flat.dim());
        assertEquals(1, flat.itemLong());
        assertEquals(3, m.argmin().itemLong());
        assertLongs(new long[] {1, 0}, m.argmax(1, false));
        assertShape(m.argmax(0, true), 1, 2);
        assertLongs(new long[] {1, 0}, m.argmax(0, true));
        assertLongs(new long[] {0, 1}, m.argmin(1, false));
    }

    @Test
    void nanIsTheExtreme() {
        // torch.max propagates NaN; argmax treats NaN as the maximum
        Tensor x = f64(1, Double.NaN, 3);
        assertExactly(new double[] {Double.NaN}, x.max().reshape(1));
        assertExactly(new double[] {Double.NaN}, x.min().reshape(1));
        assertEquals(1, x.argmax().itemLong());
        assertEquals(1, x.argmin().itemLong());
        try (ValuesAndIndices max = x.max(0, false)) {
            assertEquals(1, max.indices().itemLong());
            assertEquals(Double.NaN, max.values().item());
        }
        assertExactly(new double[] {Double.NaN}, f32(1, Double.NaN).sum().reshape(1));
    }

    @Test
    void varianceAndStandardDeviationWithCorrection() {
        Tensor x = f64(1, 2, 3, 4);
        assertClose(new double[] {5.0 / 3}, x.var().reshape(1));
        assertClose(new double[] {1.25}, x.var(new int[] {0}, false, 0).reshape(1));
        assertClose(new double[] {Math.sqrt(5.0 / 3)}, x.std().reshape(1));
        assertClose(new double[] {Math.sqrt(1.25)}, x.std(new int[] {0}, false, 0).reshape(1));
        Tensor m = f32(new float[] {1, 2, 3, 10, 20, 30}, 2, 3);
        assertClose(new double[] {1, 100}, m.var(1, false));
        assertShape(m.var(1, true), 2, 1);
        assertClose(new double[] {40.5, 162, 364.5}, m.var(0, false));
        assertClose(new double[] {1, 10}, m.std(1, false));
        // one element with correction 1: 0 / 0 = nan, as torch.var
        assertExactly(new double[] {Double.NaN}, f64(3).var().reshape(1));
        assertThrows(IllegalArgumentException.class, () -> i64(1, 2).var());
    }

    @Test
    void logsumexpIsStableAndHandlesInfinities() {
        assertClose(new double[] {3.40760596444438}, f64(1, 2, 3).logsumexp(0, false).reshape(1));
        assertClose(new double[] {1000 + Math.log(2)}, f64(1000, 1000).logsumexp(0, false).reshape(1));
        assertClose(new double[] {-1000 + Math.log(2)}, f32(-1000, -1000).logsumexp(0, false).reshape(1));
        Tensor rows = f64(new double[] {-INF, -INF, 0, -INF, INF, 1, Double.NaN, 1}, 4, 2);
        assertExactly(new double[] {-INF, 0, INF, Double.NaN}, rows.logsumexp(1, false));
        assertShape(rows.logsumexp(1, true), 4, 1);
        Tensor ints = i64(1, 2, 3).logsumexp(0, false);
        assertDType(DType.FLOAT32, ints);
        assertClose(new double[] {3.40760596444438}, ints.reshape(1));
    }

    /**
     * Lines of the lengths where vector kernels break (1, 7, 17, 1023), dense and strided, against float64 sums;
     * one line spread wide (its exponentials underflow but the largest), and infinities and NaN past the first vector.
     */
    @Test
    void logsumexpOfLongLinesAlongEitherDim() {
        SplittableRandom random = new SplittableRandom(31);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tolerance tol = dtype == DType.FLOAT64 ? new Tolerance(1e-12, 1e-12) : Tolerance.of(dtype);
            for (int length : new int[] {1, 7, 17, 1023}) {
                int lines = 3;
                double[] values = new double[lines * length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Reference.round(random.nextDouble(-4, 4) * (i < length ? 40 : 1), dtype);
                }
                double[] expected = new double[lines];
                for (int line = 0; line < lines; line++) {
                    expected[line] = Reference.logSumExp(values, line * length, length);
                }
                Tensor rows = typed(dtype, values, lines, length);
                assertClose(expected, rows.logsumexp(1, false), tol);
                assertClose(expected, rows.t().contiguous().logsumexp(0, false), tol);
                assertClose(expected, rows.t().logsumexp(0, false), tol);
                assertShape(rows.t().logsumexp(0, true), 1, lines);
            }
            double[] special = new double[4 * 40];
            Arrays.fill(special, 0, 40, Double.NEGATIVE_INFINITY);
            special[40 + 17] = INF;
            special[80 + 20] = Double.NaN;
            Arrays.fill(special, 120, 160, -1e4);
            double[] expected = {Double.NEGATIVE_INFINITY, INF, Double.NaN, -1e4 + Math.log(40)};
            assertClose(expected, typed(dtype, special, 4, 40).logsumexp(1, false), tol);
        }
    }

    @Test
    void softmaxRowsSumToOne() {
        double[] x = {1, 2, 3, -1, 0, 0.5, 20, 21, 22.5, -INF, 0, -INF};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor t = typed(dtype, x, 4, 3);
            double[] stored = t.toDoubleArray();
            double[] soft = new double[12];
            double[] logSoft = new double[12];
            for (int r = 0; r < 4; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, stored[r * 3 + c]);
                }
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += Math.exp(stored[r * 3 + c] - max);
                }
                for (int c = 0; c < 3; c++) {
                    soft[r * 3 + c] = Math.exp(stored[r * 3 + c] - max) / sum;
                    logSoft[r * 3 + c] = stored[r * 3 + c] - max - Math.log(sum);
                }
            }
            Tensor s = t.softmax(1);
            assertDType(dtype, s);
            assertClose(soft, s);
            assertClose(new double[] {1, 1, 1, 1}, s.sum(1, false));
            assertClose(logSoft, t.logSoftmax(-1));
            assertClose(new double[] {1, 1, 1, 1}, t.logSoftmax(1).exp().sum(1, false));
            // along dim 0
            Tensor s0 = t.softmax(0);
            assertClose(new double[] {1, 1, 1}, s0.sum(0, false));
        }
        // a row of only -inf gives nan, as in PyTorch
        assertExactly(new double[] {Double.NaN, Double.NaN}, f32(-INF, -INF).softmax(0));
    }

    @Test
    void softmaxRefusesIntegerInputs() {
        // torch.softmax(torch.tensor([1, 2]), 0): "softmax_lastdim_kernel_impl" not implemented for 'Long'
        assertThrowsMentioning(IllegalArgumentException.class, () -> i64(1, 2).softmax(0), "int64");
        assertThrowsMentioning(IllegalArgumentException.class, () -> i32(1, 2).logSoftmax(0), "int32");
    }

    @Test
    void logSoftmaxIsAccurateFarFromZero() {
        // PyTorch computes (x - max) - log(sum(exp(x - max))): no digits are lost to the size of x.
        // log_softmax([1000., 1001., 1002.]) = [-2.4076, -1.4076, -0.4076] to float32 precision
        double lse = Math.log(Math.exp(-2) + Math.exp(-1) + 1);
        Tensor x = f32(1000, 1001, 1002);
        assertClose(new double[] {-2 - lse, -1 - lse, -lse}, x.logSoftmax(0));
        assertClose(new double[] {Math.exp(-2 - lse), Math.exp(-1 - lse), Math.exp(-lse)}, x.softmax(0));
    }

    @Test
    void emptyReductions() {
        assertEquals(0.0, zeros(DType.FLOAT32, 0).sum().item());
        assertEquals(0, i64(new long[0]).sum().itemLong());
        assertEquals(1.0, zeros(DType.FLOAT32, 0).prod().item());
        Tensor empty = zeros(DType.FLOAT32, 0, 3);
        assertExactly(new double[] {0, 0, 0}, empty.sum(0, false));
        assertShape(empty.sum(1, false), 0);
        // torch.zeros(0).mean() -> nan
        assertExactly(new double[] {Double.NaN}, zeros(DType.FLOAT32, 0).mean().reshape(1));
        // max of nothing is an error; reducing a non-empty dim of an empty tensor is fine
        assertThrows(RuntimeException.class, () -> zeros(DType.FLOAT32, 0).max());
        assertThrows(RuntimeException.class, () -> empty.max(0, false));
        assertThrows(RuntimeException.class, () -> empty.argmax(0, false));
        assertThrows(RuntimeException.class, () -> empty.amin(new int[] {0}, false));
        try (ValuesAndIndices max = empty.max(1, false)) {
            assertShape(max.values(), 0);
            assertShape(max.indices(), 0);
        }
    }

    @Test
    void reductionsOfScalars() {
        Tensor s = scalarOf(DType.FLOAT32, 4);
        assertEquals(4.0, s.sum().item());
        assertEquals(4.0, s.sum(0, false).item());
        assertEquals(0, s.argmax().itemLong());
        try (ValuesAndIndices max = s.max(0, false)) {
            assertEquals(4.0, max.values().item());
            assertEquals(0, max.indices().itemLong());
        }
    }
}
