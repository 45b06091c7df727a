package ignis.backend.simd;

import static ignis.backend.simd.TestViews.broadcast;
import static ignis.backend.simd.TestViews.dense;
import static ignis.backend.simd.TestViews.same;
import static ignis.backend.simd.TestViews.stepped;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.DTypeRule;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Where vector and scalar code meet in the elementwise kernels: every length from 0 to 70 (across
 * several multiples of every lane count), at each vector width up to the CPU's, with operands at odd
 * offsets, strided, broadcast (stride 0), in place and aliased, and special values landing on every
 * lane and in the tails. Results are compared with an independent double-precision oracle: bit for
 * bit for correctly rounded ops, within the kit's ulps otherwise; storage outside the output must stay
 * untouched.
 */
class ElementwiseBoundaryTest {

    static final int MAX_LENGTH = 70;
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    /** The vector widths to test: 128 bits and every wider one the CPU has. */
    static int[] widths() {
        int preferred = Lanes.preferred().bits();
        return IntStream.of(128, 256, 512).filter(w -> w <= preferred).toArray();
    }

    /** How the operands of one call are laid out, for n elements: {out, a, b}. */
    record Layout(String name, int inPlace, Maker maker) {
        interface Maker {
            TensorView[] make(DType in, DType out, long n);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Layout> binaryLayouts() {
        return List.of(
                new Layout("dense at odd offsets", -1, (t, o, n) -> new TensorView[] {dense(o, 0, n), dense(t, 1, n), dense(t, 3, n)}),
                new Layout("a broadcast", -1, (t, o, n) -> new TensorView[] {dense(o, 1, n), broadcast(t, 2, n), dense(t, 0, n)}),
                new Layout("b broadcast", -1, (t, o, n) -> new TensorView[] {dense(o, 2, n), dense(t, 5, n), broadcast(t, 1, n)}),
                new Layout("strided", -1, (t, o, n) -> new TensorView[] {stepped(o, 1, 2, n), stepped(t, 2, 3, n), dense(t, 0, n)}),
                new Layout("in place on a", 1, (t, o, n) -> {
                    TensorView a = dense(t, 1, n);
                    return new TensorView[] {same(a), a, dense(t, 0, n)};
                }),
                new Layout("in place on b, a broadcast", 2, (t, o, n) -> {
                    TensorView b = dense(t, 3, n);
                    return new TensorView[] {same(b), broadcast(t, 0, n), b};
                }),
                new Layout("a and b the same view", -1, (t, o, n) -> {
                    TensorView a = dense(t, 1, n);
                    return new TensorView[] {dense(o, 0, n), a, same(a)};
                }),
                new Layout("3 padded rows of n", -1, (t, o, n) -> new TensorView[] {
                    dense(o, 0, 3, n), TestViews.view(t, new long[] {3, n}, new long[] {n + 2, 1}, 1), dense(t, 2, 3, n)}),
                // Operands that repeat a row (a bias over a batch) or one value over dense rows: a run per row, or one run.
                new Layout("b a row of n over 3 rows", -1, (t, o, n) -> new TensorView[] {
                    dense(o, 0, 3, n), dense(t, 1, 3, n), TestViews.view(t, new long[] {3, n}, new long[] {0, 1}, 2)}),
                new Layout("a a row of n over 2 x 1 rows", -1, (t, o, n) -> new TensorView[] {
                    dense(o, 1, 2, 1, n), TestViews.view(t, new long[] {2, 1, n}, new long[] {0, 7, 1}, 0), dense(t, 3, 2, 1, n)}),
                new Layout("b 2 rows of n over 3", -1, (t, o, n) -> new TensorView[] {
                    dense(o, 0, 3, 2, n), dense(t, 2, 3, 2, n), TestViews.view(t, new long[] {3, 2, n}, new long[] {0, n, 1}, 1)}),
                new Layout("b one value over 3 rows", -1, (t, o, n) -> new TensorView[] {
                    dense(o, 2, 3, n), dense(t, 0, 3, n), broadcast(t, 1, 3, n)}));
    }

    static List<Layout> unaryLayouts() {
        return List.of(
                new Layout("dense at odd offsets", -1, (t, o, n) -> new TensorView[] {dense(o, 1, n), dense(t, 3, n)}),
                new Layout("strided in", -1, (t, o, n) -> new TensorView[] {dense(o, 0, n), stepped(t, 1, 3, n)}),
                new Layout("strided out", -1, (t, o, n) -> new TensorView[] {stepped(o, 1, 2, n), dense(t, 0, n)}),
                new Layout("broadcast in", -1, (t, o, n) -> new TensorView[] {dense(o, 0, n), broadcast(t, 1, n)}),
                new Layout("in place", 1, (t, o, n) -> {
                    TensorView a = dense(t, 1, n);
                    return new TensorView[] {same(a), a};
                }),
                new Layout("3 padded rows of n", -1, (t, o, n) -> new TensorView[] {
                    dense(o, 0, 3, n), TestViews.view(t, new long[] {3, n}, new long[] {n + 2, 1}, 1)}));
    }

    @TestFactory
    Stream<DynamicTest> unary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : widths()) {
            for (UnaryOp op : UnaryOp.values()) {
                if (op.rule() == DTypeRule.LOGICAL || op.rule() == DTypeRule.COMPARISON || op == UnaryOp.ERF || op == UnaryOp.GELU) {
                    continue;
                }
                for (DType type : FLOATS) {
                    tests.add(DynamicTest.dynamicTest(op + " " + type + ", " + bits + "-bit vectors", () -> checkUnary(bits, op, type)));
                }
            }
        }
        return tests.stream();
    }

    private static void checkUnary(int bits, UnaryOp op, DType type) {
        SimdBackend backend = new SimdBackend(bits);
        double[] pool = Oracle.pool(type, op.ordinal());
        List<String> failures = new ArrayList<>();
        for (Layout layout : unaryLayouts()) {
            for (long n = 0; n <= MAX_LENGTH; n++) {
                TensorView[] v = layout.maker().make(type, type, n);
                TensorView out = v[0];
                TensorView in = v[1];
                long count = in.numel();
                double[] x = new double[(int) count];
                for (int i = 0; i < count; i++) {
                    x[i] = pool[(int) ((7L * i + n) % pool.length)];
                    if (!Oracle.inDomain(op, x[i])) {
                        x[i] = 0.25;
                    }
                    TestViews.set(in, i, x[i]);
                }
                // A broadcast operand holds only the last value written.
                for (int i = 0; i < count; i++) {
                    x[i] = TestViews.get(in, i);
                }
                backend.unary(op, out, in);
                for (int i = 0; i < count; i++) {
                    double got = TestViews.get(out, i);
                    double expected = Oracle.unary(op, x[i]);
                    if (!Oracle.matches(type, got, expected, Oracle.exact(op), Oracle.extra(op, type, x[i]))) {
                        failures.add(layout + ", n = " + n + ", element " + i + ": " + op + "(" + x[i] + ") = " + got
                                + ", expected " + expected);
                    }
                }
                TestViews.assertOnlyViewWritten(out);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
    }

    @TestFactory
    Stream<DynamicTest> binary() {
        List<DynamicTest> tests = new ArrayList<>();
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.MINIMUM,
            BinaryOp.POW, BinaryOp.ATAN2, BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};
        for (int bits : widths()) {
            for (BinaryOp op : ops) {
                for (DType type : FLOATS) {
                    tests.add(DynamicTest.dynamicTest(op + " " + type + ", " + bits + "-bit vectors", () -> checkBinary(bits, op, type)));
                }
            }
        }
        return tests.stream();
    }

    private static void checkBinary(int bits, BinaryOp op, DType type) {
        SimdBackend backend = new SimdBackend(bits);
        boolean compare = op.rule() == DTypeRule.COMPARISON;
        DType outType = compare ? DType.BOOL : type;
        double[] poolA = Oracle.pool(type, 100 + op.ordinal());
        double[] poolB = Oracle.pool(type, 200 + op.ordinal());
        List<String> failures = new ArrayList<>();
        for (Layout layout : binaryLayouts()) {
            if (compare && layout.inPlace() >= 0) {
                continue;
            }
            for (long n = 0; n <= MAX_LENGTH; n++) {
                TensorView[] v = layout.maker().make(type, outType, n);
                TensorView out = v[0];
                long count = out.numel();
                double[][] values = new double[2][(int) count];
                for (int k = 0; k < 2; k++) {
                    double[] pool = k == 0 ? poolA : poolB;
                    for (int i = 0; i < count; i++) {
                        values[k][i] = pool[(int) (((k == 0 ? 7L : 11L) * i + 3 * n + k) % pool.length)];
                        TestViews.set(v[k + 1], i, values[k][i]);
                    }
                }
                // Read back what the operands hold: broadcast and aliased operands share elements.
                for (int k = 0; k < 2; k++) {
                    for (int i = 0; i < count; i++) {
                        values[k][i] = TestViews.get(v[k + 1], i);
                    }
                }
                backend.binary(op, out, v[1], v[2]);
                for (int i = 0; i < count; i++) {
                    double p = values[0][i];
                    double q = values[1][i];
                    boolean ok;
                    String expected;
                    if (compare) {
                        long got = TestViews.getLong(out, i);
                        boolean want = Oracle.compare(op, p, q);
                        ok = got == (want ? 1 : 0);
                        expected = String.valueOf(want);
                    } else {
                        double want = Oracle.binary(op, p, q);
                        ok = Oracle.matches(type, TestViews.get(out, i), want, BinaryKernels.vectorized(op)
                                && op != BinaryOp.POW && op != BinaryOp.ATAN2, 0);
                        expected = String.valueOf(want);
                    }
                    if (!ok) {
                        failures.add(layout + ", n = " + n + ", element " + i + ": " + op + "(" + p + ", " + q + ") = "
                                + TestViews.get(out, i) + ", expected " + expected);
                    }
                }
                TestViews.assertOnlyViewWritten(out);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), () -> failures.size() + " mismatches");
    }
}
