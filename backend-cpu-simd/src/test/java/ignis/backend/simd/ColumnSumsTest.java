package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * SUM over the outer axis of a row-major float tensor (a bias gradient, {@code g.sum(0)}), where
 * vectors fold many columns at once: odd column counts (the vector groups and the scalar tail), row
 * counts that cross {@link ReduceKernels#CHUNK}, padded rows, strided outputs, a leading batch axis,
 * and a column-major input that takes the scalar path. Every output must have, bit for bit, the value
 * of the fold that {@link ReduceKernels} promises, recomputed here in float64: Neumaier's compensated
 * sum of each chunk of CHUNK rows, in row order, the chunks' sums and compensations combined in order,
 * rounded once; it must be within an ulp of the exact sum (BigDecimal) where the rows are few; and 1
 * and 2 compute threads must give the same bits.
 */
class ColumnSumsTest {

    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = ComputePool.threads();
    }

    @AfterEach
    void restoreThreads() {
        ComputePool.setThreads(savedThreads);
    }

    /** One case: {@code batch} x {@code rows} x {@code cols}, summed over the rows. */
    record Case(String name, long batch, long rows, long cols, boolean columnMajor, boolean paddedRows, boolean stridedOut,
            boolean crafted) {
        Case(String name, long batch, long rows, long cols, boolean columnMajor, boolean paddedRows, boolean stridedOut) {
            this(name, batch, rows, cols, columnMajor, paddedRows, stridedOut, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (long rows : new long[] {1, 3, 64}) {
            for (long cols : new long[] {1, 7, 17, 1023}) {
                cases.add(new Case(rows + " x " + cols, 1, rows, cols, false, false, false));
            }
        }
        // Across one and two chunk boundaries (CHUNK = 16384 rows).
        for (long rows : new long[] {ReduceKernels.CHUNK + 37, 2 * ReduceKernels.CHUNK + 5}) {
            for (long cols : new long[] {1, 7, 17, 33}) {
                cases.add(new Case(rows + " x " + cols, 1, rows, cols, false, false, false));
            }
        }
        cases.add(new Case("64 x 257, padded rows", 1, 64, 257, false, true, false));
        cases.add(new Case("64 x 257, strided output", 1, 64, 257, false, false, true));
        cases.add(new Case("3 x 65 x 41, over axis 1", 3, 65, 41, false, false, false));
        cases.add(new Case("64 x 37, the compensation decides the rounding", 1, 64, 37, false, false, false, true));
        cases.add(new Case("16421 x 37, the compensation decides the rounding", 1, ReduceKernels.CHUNK + 37, 37, false, false, false, true));
        cases.add(new Case("64 x 257 column-major (scalar)", 1, 64, 257, true, false, false));
        cases.add(new Case("16421 x 17 column-major (scalar)", 1, ReduceKernels.CHUNK + 37, 17, true, false, false));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> columnSums() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : ElementwiseBoundaryTest.widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (Case c : cases()) {
                    tests.add(DynamicTest.dynamicTest(type + ", " + c + ", " + bits + "-bit vectors", () -> check(bits, type, c)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(int bits, DType type, Case c) {
        SimdBackend backend = new SimdBackend(bits);
        long batch = c.batch();
        long rows = c.rows();
        long cols = c.cols();
        long[] shape = {batch, rows, cols};
        long rowStride = c.columnMajor() ? 1 : c.paddedRows() ? cols + 3 : cols;
        long colStride = c.columnMajor() ? rows : 1;
        long batchStride = c.columnMajor() ? rows * cols : rows * rowStride + 2;
        TensorView in = TestViews.view(type, shape, new long[] {batchStride, rowStride, colStride}, 1);
        SplittableRandom random = new SplittableRandom(rows * 1_000_003L + cols * 31 + type.ordinal());
        double[][][] x = new double[(int) batch][(int) rows][(int) cols];
        long i = 0;
        for (int p = 0; p < batch; p++) {
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    // Magnitudes from 1e-3 to 1e5 and both signs, so that the compensation has bits to keep.
                    double v = (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(-3, 6));
                    if (c.crafted() && k % 2 == 0) {
                        v = crafted(type, k, r);
                    }
                    TestViews.set(in, i++, v);
                    x[p][r][k] = type == DType.FLOAT32 ? (float) v : v;
                }
            }
        }
        long[] outShape = {batch, 1, cols};
        long[] got1 = null;
        for (int threads : new int[] {1, 2}) {
            ComputePool.setThreads(threads);
            TensorView out = c.stridedOut() ? TestViews.stepped(type, 2, 2, outShape) : TestViews.dense(type, 2, outShape);
            backend.reduce(ReduceOp.SUM, out, in, new int[] {1});
            TestViews.assertOnlyViewWritten(out);
            long[] got = new long[(int) (batch * cols)];
            for (int o = 0; o < got.length; o++) {
                got[o] = TestViews.bits(out, o);
            }
            if (got1 == null) {
                got1 = got;
                List<String> failures = new ArrayList<>();
                for (int p = 0; p < batch; p++) {
                    for (int k = 0; k < cols; k++) {
                        double expected = chunkedNeumaier(x[p], k);
                        long want = type == DType.FLOAT32 ? Float.floatToRawIntBits((float) expected) & 0xFFFF_FFFFL
                                : Double.doubleToRawLongBits(expected);
                        double value = TestViews.get(out, p * cols + k);
                        if (got[(int) (p * cols + k)] != want) {
                            failures.add("batch " + p + ", column " + k + ": " + value + ", the chunked Neumaier sum is " + expected);
                        } else if (rows <= 64) {
                            double exact = exact(x[p], k);
                            double tolerance = type == DType.FLOAT32 ? Math.ulp((float) exact) : 2 * Math.ulp(exact);
                            if (!(Math.abs(value - exact) <= tolerance)) {
                                failures.add("batch " + p + ", column " + k + ": " + value + ", exact " + exact);
                            }
                        }
                    }
                }
                assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
            } else {
                assertEquals(true, Arrays.equals(got1, got), threads + " threads computed other bits than 1 thread");
            }
        }
    }

    /**
     * The fold ReduceKernels promises for a block that is one run, in float64: Neumaier's sum of each
     * chunk of CHUNK rows, the chunks' sums added with Neumaier's compensation and their compensations
     * added to it, in order; the compensation added last unless the sum is not finite.
     */
    private static double chunkedNeumaier(double[][] rows, int column) {
        double total = 0;
        double totalLost = 0;
        for (int from = 0; from < rows.length; from += (int) ReduceKernels.CHUNK) {
            double sum = 0;
            double lost = 0;
            for (int r = from; r < Math.min(rows.length, from + ReduceKernels.CHUNK); r++) {
                double v = rows[r][column];
                double t = sum + v;
                lost += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
                sum = t;
            }
            double t = total + sum;
            totalLost += Math.abs(total) >= Math.abs(sum) ? (total - t) + sum : (sum - t) + total;
            totalLost += lost;
            total = t;
        }
        return Double.isFinite(total) ? total + totalLost : total;
    }

    /**
     * Even columns: 1, then half an ulp of 1 (the sum is a tie and rounds to even, down to 1), then two
     * quarter-ulps of that, which the additions round away; only with them added back by the
     * compensation does the sum round up. For float32 the ulp is the float's: the double sum then lies
     * exactly at a float tie and only the compensation moves it up. Scaled by a power of 2 and a sign
     * per column, in rows that differ by column (zero elsewhere), and in later chunks too.
     */
    private static double crafted(DType type, int column, int row) {
        int first = column % 5;
        int step = 5 + column % 3;
        int at = row % (int) ReduceKernels.CHUNK - first;
        if (at < 0 || at % step != 0 || at / step > 3) {
            return 0;
        }
        double half = type == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        double tiny = type == DType.FLOAT32 ? 0x1p-53 : 0x1p-106;
        double[] pattern = {1, half, tiny, tiny};
        return Math.scalb(pattern[at / step], column % 7) * (column % 4 == 0 ? 1 : -1);
    }

    private static double exact(double[][] rows, int column) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double[] row : rows) {
            sum = sum.add(new BigDecimal(row[column]));
        }
        return sum.doubleValue();
    }
}
