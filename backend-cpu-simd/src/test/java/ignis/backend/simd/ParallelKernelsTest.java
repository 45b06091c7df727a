package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.ComputePool;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kernels' threaded paths: sizes above the thresholds at which walks are split among the compute
 * pool's threads (forced to 1 to 4), odd sizes, broadcast, transposed and strided operands, strided
 * outputs, in place, and reductions over each axis and over all of them. Values are checked against
 * float64 recomputations in the test. Correctly rounded maps (ADD, RELU) must be identical for every
 * thread count, and so must sums, which the kernels fold in fixed chunks whatever the threads. The
 * transcendental ones (POW, EXP) are only checked against the reference: the Vector API computes them
 * with other code before the JIT compiles a loop than after (both within an ulp), so their last bit may
 * depend on timing, threads or not.
 */
class ParallelKernelsTest {

    static final int[] THREADS = {1, 2, 3, 4};
    /** Above four grains of the cheap maps, and not a multiple of any vector or part unit. */
    static final long ROWS = 1031;
    static final long COLS = 263;

    private int savedThreads;

    /** The narrowest vectors and the CPU's own. */
    static int[] widths() {
        return java.util.stream.IntStream.of(128, Lanes.preferred().bits()).distinct().toArray();
    }

    @BeforeEach
    void saveThreads() {
        savedThreads = ComputePool.threads();
    }

    @AfterEach
    void restoreThreads() {
        ComputePool.setThreads(savedThreads);
    }

    /** The operands of one binary case: {out, a, b}, all of shape [ROWS, COLS]. */
    record Layout(String name, Supplier<TensorView[]> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Layout> binaryLayouts(DType t) {
        long[] shape = {ROWS, COLS};
        return List.of(
                new Layout("dense 1-d of odd length at odd offsets", () -> new TensorView[] {
                    TestViews.dense(t, 1, ROWS * COLS), TestViews.dense(t, 3, ROWS * COLS), TestViews.dense(t, 2, ROWS * COLS)}),
                new Layout("bias row broadcast", () -> new TensorView[] {
                    TestViews.dense(t, 0, ROWS, COLS), TestViews.dense(t, 1, ROWS, COLS),
                    TestViews.view(t, shape, new long[] {0, 1}, 5)}),
                new Layout("column broadcast", () -> new TensorView[] {
                    TestViews.dense(t, 0, ROWS, COLS), TestViews.view(t, shape, new long[] {1, 0}, 2),
                    TestViews.dense(t, 1, ROWS, COLS)}),
                new Layout("a transposed", () -> new TensorView[] {
                    TestViews.dense(t, 0, ROWS, COLS), TestViews.view(t, shape, new long[] {1, ROWS}, 3),
                    TestViews.dense(t, 1, ROWS, COLS)}),
                new Layout("strided output, b a column of a row-major matrix", () -> new TensorView[] {
                    TestViews.stepped(t, 1, 2, ROWS, COLS), TestViews.dense(t, 0, ROWS, COLS),
                    TestViews.view(t, shape, new long[] {1, ROWS + 1}, 0)}),
                new Layout("in place on a", () -> {
                    TensorView a = TestViews.dense(t, 1, ROWS, COLS);
                    return new TensorView[] {TestViews.same(a), a, TestViews.dense(t, 0, ROWS, COLS)};
                }));
    }

    @TestFactory
    Stream<DynamicTest> binaryMaps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.POW}) {
                    for (Layout layout : binaryLayouts(type)) {
                        tests.add(DynamicTest.dynamicTest(op + " " + type + ", " + layout + ", " + bits + "-bit vectors",
                                () -> checkBinary(new SimdBackend(bits), op, type, layout)));
                    }
                }
            }
        }
        return tests.stream();
    }

    /** The operands of WHERE: {out, condition (bool), chosen where true, chosen where false}, of shape [ROWS, COLS]. */
    static List<Layout> whereLayouts(DType t) {
        long[] shape = {ROWS, COLS};
        return List.of(
                new Layout("dense 1-d of odd length at odd offsets", () -> new TensorView[] {
                    TestViews.dense(t, 1, ROWS * COLS), TestViews.dense(DType.BOOL, 3, ROWS * COLS),
                    TestViews.dense(t, 2, ROWS * COLS), TestViews.dense(t, 5, ROWS * COLS)}),
                new Layout("false branch a broadcast scalar (ReLU's backward)", () -> new TensorView[] {
                    TestViews.dense(t, 0, ROWS, COLS), TestViews.dense(DType.BOOL, 1, ROWS, COLS),
                    TestViews.dense(t, 3, ROWS, COLS), TestViews.view(t, shape, new long[] {0, 0}, 4)}),
                new Layout("strided output, true branch transposed", () -> new TensorView[] {
                    TestViews.stepped(t, 1, 2, ROWS, COLS), TestViews.dense(DType.BOOL, 0, ROWS, COLS),
                    TestViews.view(t, shape, new long[] {1, ROWS}, 3), TestViews.dense(t, 2, ROWS, COLS)}));
    }

    @TestFactory
    Stream<DynamicTest> whereSplitOverThreads() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (Layout layout : whereLayouts(type)) {
                    tests.add(DynamicTest.dynamicTest("WHERE " + type + ", " + layout + ", " + bits + "-bit vectors",
                            () -> checkWhere(new SimdBackend(bits), layout)));
                }
            }
        }
        return tests.stream();
    }

    private static void checkWhere(SimdBackend backend, Layout layout) {
        for (int threads : THREADS) {
            ComputePool.setThreads(threads);
            TensorView[] v = layout.make().get();
            long n = v[0].numel();
            SplittableRandom random = new SplittableRandom(11);
            for (long i = 0; i < n; i++) {
                TestViews.set(v[1], i, random.nextBoolean() ? 1 : 0);
                TestViews.set(v[2], i, -10 + 20 * random.nextDouble());
                TestViews.set(v[3], i, -10 + 20 * random.nextDouble());
            }
            backend.ternary(TernaryOp.WHERE, v[0], v[1], v[2], v[3]);
            List<String> failures = new ArrayList<>();
            for (long i = 0; i < n && failures.size() < 5; i++) {
                double expected = TestViews.get(v[1], i) != 0 ? TestViews.get(v[2], i) : TestViews.get(v[3], i);
                if (Double.compare(TestViews.get(v[0], i), expected) != 0) {
                    failures.add("element " + i + ": " + TestViews.get(v[0], i) + ", expected " + expected);
                }
            }
            assertEquals(List.of(), failures, threads + " threads");
            TestViews.assertOnlyViewWritten(v[0]);
        }
    }

    @TestFactory
    Stream<DynamicTest> copiesSplitOverThreads() {
        long[] shape = {ROWS, COLS};
        List<DynamicTest> tests = new ArrayList<>();
        for (DType type : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL}) {
            for (Layout layout : List.of(
                    new Layout("dense", () -> new TensorView[] {TestViews.dense(type, 1, ROWS, COLS), TestViews.dense(type, 2, ROWS, COLS)}),
                    new Layout("transposed source", () -> new TensorView[] {
                        TestViews.dense(type, 0, ROWS, COLS), TestViews.view(type, shape, new long[] {1, ROWS}, 3)}),
                    new Layout("broadcast row", () -> new TensorView[] {
                        TestViews.dense(type, 0, ROWS, COLS), TestViews.view(type, shape, new long[] {0, 1}, 5)}))) {
                tests.add(DynamicTest.dynamicTest("copy " + type + ", " + layout, () -> checkCopy(layout)));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fillsSplitOverThreads() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType type : new DType[] {DType.FLOAT32, DType.INT64}) {
            for (boolean dense : new boolean[] {true, false}) {
                tests.add(DynamicTest.dynamicTest("fill " + type + (dense ? ", dense" : ", strided"), () -> {
                    for (int threads : THREADS) {
                        ComputePool.setThreads(threads);
                        TensorView out = dense ? TestViews.dense(type, 1, ROWS, COLS) : TestViews.stepped(type, 1, 2, ROWS, COLS);
                        long bits = 0x1122334455667788L + threads;
                        new SimdBackend().fill(out, bits);
                        for (long i = 0; i < out.numel(); i++) {
                            assertEquals(bits & (type.byteSize() == 8 ? -1L : 0xFFFFFFFFL), TestViews.bits(out, i),
                                    threads + " threads, element " + i);
                        }
                        TestViews.assertOnlyViewWritten(out);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> gathersSplitOverThreads() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean rows : new boolean[] {true, false}) {
            tests.add(DynamicTest.dynamicTest(rows ? "gather of whole rows (indexSelect)" : "gather of single elements", () -> {
                long inRows = ROWS + 5;
                for (int threads : THREADS) {
                    ComputePool.setThreads(threads);
                    TensorView in = TestViews.dense(DType.FLOAT32, 2, inRows, COLS);
                    TensorView out = TestViews.dense(DType.FLOAT32, 1, ROWS, COLS);
                    // one index per row (strides {1, 0}), or one per element
                    TensorView index = rows ? TestViews.view(DType.INT64, new long[] {ROWS, COLS}, new long[] {1, 0}, 3)
                            : TestViews.dense(DType.INT64, 3, ROWS, COLS);
                    SplittableRandom random = new SplittableRandom(9);
                    for (long i = 0; i < in.numel(); i++) {
                        TestViews.set(in, i, random.nextDouble());
                    }
                    for (long i = 0; i < index.numel(); i++) {
                        TestViews.setLong(index, i, random.nextLong(inRows));
                    }
                    new SimdBackend().gather(out, in, 0, index);
                    for (long i = 0; i < out.numel(); i++) {
                        long k = (long) TestViews.get(index, i);
                        assertEquals(TestViews.get(in, k * COLS + i % COLS), TestViews.get(out, i), threads + " threads, element " + i);
                    }
                    TestViews.assertOnlyViewWritten(out);
                }
            }));
        }
        return tests.stream();
    }

    private static void checkCopy(Layout layout) {
        for (int threads : THREADS) {
            ComputePool.setThreads(threads);
            TensorView[] v = layout.make().get();
            SplittableRandom random = new SplittableRandom(5);
            for (long i = 0; i < v[1].numel(); i++) {
                TestViews.setBits(v[1], i, random.nextLong());
            }
            new SimdBackend().copy(v[0], v[1]);
            List<String> failures = new ArrayList<>();
            for (long i = 0; i < v[0].numel() && failures.size() < 5; i++) {
                if (TestViews.bits(v[0], i) != TestViews.bits(v[1], i)) {
                    failures.add("element " + i + ": " + TestViews.bits(v[0], i) + ", expected " + TestViews.bits(v[1], i));
                }
            }
            assertEquals(List.of(), failures, threads + " threads");
            TestViews.assertOnlyViewWritten(v[0]);
        }
    }

    private static void checkBinary(SimdBackend backend, BinaryOp op, DType type, Layout layout) {
        double[] first = null;
        for (int threads : THREADS) {
            ComputePool.setThreads(threads);
            TensorView[] v = layout.make().get();
            TensorView out = v[0];
            TensorView a = v[1];
            TensorView b = v[2];
            long n = out.numel();
            SplittableRandom random = new SplittableRandom(7);
            double[] x = new double[(int) n];
            double[] y = new double[(int) n];
            // Broadcast operands repeat: write every position, the last write of an element wins.
            for (long i = 0; i < n; i++) {
                TestViews.set(a, i, op == BinaryOp.POW ? 0.5 + random.nextDouble() : -10 + 20 * random.nextDouble());
                TestViews.set(b, i, op == BinaryOp.POW ? -3 + 6 * random.nextDouble() : -10 + 20 * random.nextDouble());
            }
            for (long i = 0; i < n; i++) {
                x[(int) i] = TestViews.get(a, i);
                y[(int) i] = TestViews.get(b, i);
            }
            backend.binary(op, out, a, b);
            double[] got = new double[(int) n];
            List<String> failures = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                got[(int) i] = TestViews.get(out, i);
                double expected = Oracle.binary(op, x[(int) i], y[(int) i]);
                if (!Oracle.matches(type, got[(int) i], expected, op != BinaryOp.POW, 0) && failures.size() < 5) {
                    failures.add("element " + i + ": " + x[(int) i] + " " + op + " " + y[(int) i] + " = " + got[(int) i]
                            + ", expected " + expected);
                }
            }
            assertEquals(List.of(), failures, threads + " threads");
            if (threads == THREADS[THREADS.length - 1]) {
                TestViews.assertOnlyViewWritten(out);
            }
            if (first == null) {
                first = got;
            } else if (op != BinaryOp.POW) {
                assertEquals(true, Arrays.equals(first, got), threads + " threads computed other values than 1 thread");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> unaryMaps() {
        List<DynamicTest> tests = new ArrayList<>();
        long[] shape = {ROWS, COLS};
        for (int bits : widths()) {
            for (DType t : ElementwiseBoundaryTest.FLOATS) {
                for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.EXP}) {
                    List<Layout> layouts = List.of(
                            new Layout("dense", () -> new TensorView[] {TestViews.dense(t, 1, ROWS, COLS), TestViews.dense(t, 2, ROWS, COLS)}),
                            new Layout("input transposed", () -> new TensorView[] {
                                TestViews.dense(t, 0, ROWS, COLS), TestViews.view(t, shape, new long[] {1, ROWS}, 1)}),
                            new Layout("strided output", () -> new TensorView[] {
                                TestViews.stepped(t, 0, 3, ROWS, COLS), TestViews.dense(t, 0, ROWS, COLS)}),
                            new Layout("in place on a stepped view", () -> {
                                TensorView a = TestViews.stepped(t, 1, 2, ROWS, COLS);
                                return new TensorView[] {TestViews.same(a), a};
                            }));
                    for (Layout layout : layouts) {
                        tests.add(DynamicTest.dynamicTest(op + " " + t + ", " + layout + ", " + bits + "-bit vectors",
                                () -> checkUnary(new SimdBackend(bits), op, t, layout)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void checkUnary(SimdBackend backend, UnaryOp op, DType type, Layout layout) {
        double[] first = null;
        for (int threads : THREADS) {
            ComputePool.setThreads(threads);
            TensorView[] v = layout.make().get();
            TensorView out = v[0];
            TensorView in = v[1];
            long n = out.numel();
            SplittableRandom random = new SplittableRandom(11);
            double[] x = new double[(int) n];
            for (long i = 0; i < n; i++) {
                TestViews.set(in, i, -20 + 40 * random.nextDouble());
                x[(int) i] = TestViews.get(in, i);
            }
            backend.unary(op, out, in);
            double[] got = new double[(int) n];
            List<String> failures = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                got[(int) i] = TestViews.get(out, i);
                double expected = Oracle.unary(op, x[(int) i]);
                if (!Oracle.matches(type, got[(int) i], expected, Oracle.exact(op), 0) && failures.size() < 5) {
                    failures.add("element " + i + ": " + op + "(" + x[(int) i] + ") = " + got[(int) i] + ", expected " + expected);
                }
            }
            assertEquals(List.of(), failures, threads + " threads");
            if (threads == THREADS[THREADS.length - 1]) {
                TestViews.assertOnlyViewWritten(out);
            }
            if (first == null) {
                first = got;
            } else if (Oracle.exact(op)) {
                assertEquals(true, Arrays.equals(first, got), threads + " threads computed other values than 1 thread");
            }
        }
    }

    /** A reduction case: the input's shape and strides, and the axes reduced. */
    record Reduction(String name, long[] shape, long[] strides, int[] axes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Reduction> reductions() {
        long[] s3 = {37, 129, 45};
        return List.of(
                new Reduction("all of 600 001", new long[] {600_001}, new long[] {1}, new int[] {0}),
                new Reduction("axis 1 of [2, 300 007] (fewer outputs than threads)", new long[] {2, 300_007}, new long[] {300_007, 1},
                        new int[] {1}),
                new Reduction("axis 0 of [37, 129, 45]", s3, new long[] {129 * 45, 45, 1}, new int[] {0}),
                new Reduction("axis 1 of [37, 129, 45]", s3, new long[] {129 * 45, 45, 1}, new int[] {1}),
                new Reduction("axis 2 of [37, 129, 45]", s3, new long[] {129 * 45, 45, 1}, new int[] {2}),
                new Reduction("axes 0 and 2 of [37, 129, 45]", s3, new long[] {129 * 45, 45, 1}, new int[] {0, 2}),
                new Reduction("all of [37, 129, 45] transposed", s3, new long[] {1, 37, 37 * 129}, new int[] {0, 1, 2}),
                new Reduction("axis 0 of a column-major [70 001, 3]", new long[] {70_001, 3}, new long[] {1, 70_001}, new int[] {0}));
    }

    @TestFactory
    Stream<DynamicTest> reductionsOverEachAxis() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : widths()) {
            for (DType type : ElementwiseBoundaryTest.FLOATS) {
                for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX}) {
                    for (Reduction r : reductions()) {
                        tests.add(DynamicTest.dynamicTest(op + " " + type + ", " + r + ", " + bits + "-bit vectors",
                                () -> checkReduction(new SimdBackend(bits), op, type, r)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void checkReduction(SimdBackend backend, ReduceOp op, DType type, Reduction r) {
        int rank = r.shape().length;
        long[] outShape = r.shape().clone();
        for (int axis : r.axes()) {
            outShape[axis] = 1;
        }
        TensorView in = TestViews.view(type, r.shape(), r.strides(), 1);
        long n = in.numel();
        SplittableRandom random = new SplittableRandom(13);
        double[] x = new double[(int) n];
        for (long i = 0; i < n; i++) {
            TestViews.set(in, i, -10 + 20 * random.nextDouble());
            x[(int) i] = TestViews.get(in, i);
        }
        // The float64 reference: every output's sum, sum of magnitudes and max, by unravelling each input index.
        long outputs = Elements.numel(outShape);
        double[] sum = new double[(int) outputs];
        double[] magnitude = new double[(int) outputs];
        double[] max = new double[(int) outputs];
        long[] count = new long[(int) outputs];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (long i = 0; i < n; i++) {
            long rest = i;
            long o = 0;
            long scale = 1;
            for (int d = rank - 1; d >= 0; d--) {
                long index = rest % r.shape()[d];
                rest /= r.shape()[d];
                if (outShape[d] != 1) {
                    o += index * scale;
                }
                scale *= outShape[d];
            }
            sum[(int) o] += x[(int) i];
            magnitude[(int) o] += Math.abs(x[(int) i]);
            max[(int) o] = Math.max(max[(int) o], x[(int) i]);
            count[(int) o]++;
        }
        double[] first = null;
        for (int threads : THREADS) {
            ComputePool.setThreads(threads);
            TensorView out = TestViews.dense(type, 2, outShape);
            backend.reduce(op, out, in, r.axes());
            double[] got = new double[(int) outputs];
            List<String> failures = new ArrayList<>();
            for (long o = 0; o < outputs; o++) {
                got[(int) o] = TestViews.get(out, o);
                if (op == ReduceOp.MAX) {
                    if (got[(int) o] != Oracle.round(type, max[(int) o]) && failures.size() < 5) {
                        failures.add("output " + o + ": max " + got[(int) o] + ", expected " + max[(int) o]);
                    }
                } else {
                    // The reference's own error plus the kit's bound for any order of summation, and the rounding to the dtype.
                    double u = 0x1p-53;
                    double bound = 2 * count[(int) o] * u * magnitude[(int) o]
                            + (type == DType.FLOAT32 ? Math.ulp((float) sum[(int) o]) : Math.ulp(sum[(int) o]));
                    if (!(Math.abs(got[(int) o] - sum[(int) o]) <= bound) && failures.size() < 5) {
                        failures.add("output " + o + ": sum " + got[(int) o] + ", expected " + sum[(int) o] + " within " + bound);
                    }
                }
            }
            assertEquals(List.of(), failures, threads + " threads");
            if (threads == THREADS[THREADS.length - 1]) {
                TestViews.assertOnlyViewWritten(out);
            }
            if (first == null) {
                first = got;
            } else {
                assertEquals(true, Arrays.equals(first, got), threads + " threads computed other values than 1 thread");
            }
        }
    }
}
