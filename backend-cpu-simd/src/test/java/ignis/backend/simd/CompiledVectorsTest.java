package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.DTypeRule;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vector paths after the JIT compiled them. The Vector API runs lane by lane in Java until HotSpot
 * compiles a kernel, and then with intrinsics (SVML for the transcendental functions): the conformance
 * kit's small cases mostly see the former. Here every vectorized op runs hot for many thousand calls at
 * the JVM's own width before its results (special values on every lane and in the tail) are checked.
 */
class CompiledVectorsTest {

    private static final int CALLS = 20_000;
    private static final int N = 67;

    private final SimdBackend backend = new SimdBackend();

    @Test
    void elementwiseOpsKeepTheirSemanticsWhenCompiled() {
        List<String> failures = new ArrayList<>();
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            double[] poolA = Oracle.pool(type, 5);
            double[] poolB = Oracle.pool(type, 6);
            TensorView a = TestViews.dense(type, 1, N);
            TensorView b = TestViews.dense(type, 2, N);
            double[] x = new double[N];
            double[] y = new double[N];
            for (int i = 0; i < N; i++) {
                x[i] = poolA[(7 * i) % poolA.length];
                y[i] = poolB[(11 * i + 3) % poolB.length];
                TestViews.set(a, i, x[i]);
                TestViews.set(b, i, y[i]);
            }
            List<UnaryOp> unary = new ArrayList<>();
            for (UnaryOp op : UnaryOp.values()) {
                if (UnaryKernels.vectorized(op)) {
                    unary.add(op);
                }
            }
            List<BinaryOp> binary = new ArrayList<>();
            for (BinaryOp op : BinaryOp.values()) {
                if (BinaryKernels.vectorized(op) || op.rule() == DTypeRule.COMPARISON) {
                    binary.add(op);
                }
            }
            TensorView[] unaryOut = new TensorView[unary.size()];
            TensorView[] binaryOut = new TensorView[binary.size()];
            for (int k = 0; k < unaryOut.length; k++) {
                unaryOut[k] = TestViews.dense(type, 0, N);
            }
            for (int k = 0; k < binaryOut.length; k++) {
                binaryOut[k] = TestViews.dense(binary.get(k).rule() == DTypeRule.COMPARISON ? DType.BOOL : type, 0, N);
            }
            for (int call = 0; call < CALLS; call++) {
                for (int k = 0; k < unaryOut.length; k++) {
                    backend.unary(unary.get(k), unaryOut[k], a);
                }
                for (int k = 0; k < binaryOut.length; k++) {
                    backend.binary(binary.get(k), binaryOut[k], a, b);
                }
            }
            for (int k = 0; k < unaryOut.length; k++) {
                UnaryOp op = unary.get(k);
                for (int i = 0; i < N; i++) {
                    double got = TestViews.get(unaryOut[k], i);
                    if (Oracle.inDomain(op, x[i]) && !Oracle.matches(type, got, Oracle.unary(op, x[i]), Oracle.exact(op), Oracle.extra(op, type, x[i]))) {
                        failures.add(type + " " + op + "(" + x[i] + ") = " + got + ", expected " + Oracle.unary(op, x[i]));
                    }
                }
            }
            for (int k = 0; k < binaryOut.length; k++) {
                BinaryOp op = binary.get(k);
                for (int i = 0; i < N; i++) {
                    double got = TestViews.get(binaryOut[k], i);
                    boolean ok;
                    String expected;
                    if (op.rule() == DTypeRule.COMPARISON) {
                        boolean want = Oracle.compare(op, x[i], y[i]);
                        ok = got == (want ? 1 : 0);
                        expected = String.valueOf(want);
                    } else {
                        double want = Oracle.binary(op, x[i], y[i]);
                        ok = Oracle.matches(type, got, want, op != BinaryOp.POW && op != BinaryOp.ATAN2, 0);
                        expected = String.valueOf(want);
                    }
                    if (!ok) {
                        failures.add(type + " " + op + "(" + x[i] + ", " + y[i] + ") = " + got + ", expected " + expected);
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), () -> failures.size() + " mismatches");
    }

    @Test
    void reductionsAndMatmulKeepTheirSemanticsWhenCompiled() {
        for (DType type : ElementwiseBoundaryTest.FLOATS) {
            TensorView in = TestViews.dense(type, 1, 3, N);
            double[][] rows = new double[3][N];
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < N; j++) {
                    rows[r][j] = Oracle.round(type, ((j * 37 + r * 11) % 23 - 11) / 4.0);
                    TestViews.set(in, (long) r * N + j, rows[r][j]);
                }
            }
            // Row 1: a NaN in the middle of a vector; row 2: a NaN in the tail.
            rows[1][20] = Double.NaN;
            TestViews.set(in, N + 20, Double.NaN);
            rows[2][N - 1] = Double.NaN;
            TestViews.set(in, 2L * N + N - 1, Double.NaN);
            TensorView sum = TestViews.dense(type, 0, 3, 1);
            TensorView max = TestViews.dense(type, 0, 3, 1);
            TensorView min = TestViews.dense(type, 0, 3, 1);
            TensorView a = TestViews.dense(type, 0, 5, N);
            TensorView c = TestViews.dense(type, 0, 5, 3);
            for (int i = 0; i < 5 * N; i++) {
                TestViews.set(a, i, (i % 7) - 3);
            }
            TensorView bt = TestViews.view(type, new long[] {N, 3}, new long[] {1, N}, 0);
            for (int i = 0; i < 3 * N; i++) {
                TestViews.set(bt, i, (i % 5) - 2);
            }
            TensorView rowsOut = TestViews.dense(type, 0, 3, 3);
            TensorView b = TestViews.dense(type, 0, N, 3 * N);
            for (int i = 0; i < 3 * N * N; i++) {
                TestViews.set(b, i, (i % 3) - 1);
            }
            TensorView wide = TestViews.dense(type, 0, 5, 3 * N);
            for (int call = 0; call < CALLS / 4; call++) {
                backend.reduce(ReduceOp.SUM, sum, in, new int[] {1});
                backend.reduce(ReduceOp.MAX, max, in, new int[] {1});
                backend.reduce(ReduceOp.MIN, min, in, new int[] {1});
                backend.matmul(c, a, bt);
                if (call % 20 == 0) {
                    backend.matmul(wide, a, b);
                }
            }
            for (int r = 0; r < 3; r++) {
                double s = 0;
                double hi = Double.NEGATIVE_INFINITY;
                double lo = Double.POSITIVE_INFINITY;
                for (double v : rows[r]) {
                    s += v;
                    hi = Double.isNaN(v) || Double.isNaN(hi) ? Double.NaN : Math.max(hi, v);
                    lo = Double.isNaN(v) || Double.isNaN(lo) ? Double.NaN : Math.min(lo, v);
                }
                assertEquals(s, TestViews.get(sum, r), type + " sum of row " + r);
                assertEquals(hi, TestViews.get(max, r), type + " max of row " + r);
                assertEquals(lo, TestViews.get(min, r), type + " min of row " + r);
            }
            // Small integers: every product and sum is exact, in any order.
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    double dot = 0;
                    for (int k = 0; k < N; k++) {
                        dot += TestViews.get(a, (long) i * N + k) * TestViews.get(bt, (long) k * 3 + j);
                    }
                    assertEquals(dot, TestViews.get(c, (long) i * 3 + j), type + " matmul (dots) [" + i + ", " + j + "]");
                }
                for (int j = 0; j < 3 * N; j++) {
                    double dot = 0;
                    for (int k = 0; k < N; k++) {
                        dot += TestViews.get(a, (long) i * N + k) * TestViews.get(b, (long) k * 3 * N + j);
                    }
                    assertEquals(dot, TestViews.get(wide, (long) i * 3 * N + j), type + " matmul (rows) [" + i + ", " + j + "]");
                }
            }
        }
    }
}
