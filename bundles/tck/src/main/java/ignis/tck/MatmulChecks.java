package ignis.tck;

import ignis.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Batched matmul for int32, int64, float32 and float64: M, N and K of 1 and beyond a block size,
 * batches with broadcast (stride 0) operands, transposed and sliced operands given by strides.
 */
abstract class MatmulChecks extends Checks {

    static final DType[] TYPES = {DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64};

    record MatmulCase(String name, long[] batch, int m, int k, int n, Layout a, Layout b, Layout out, boolean large) {

        long[] shapeA() {
            return concat(batch, m, k);
        }

        long[] shapeB() {
            return concat(batch, k, n);
        }

        long[] shapeOut() {
            return concat(batch, m, n);
        }

        private static long[] concat(long[] batch, long rows, long cols) {
            long[] s = Arrays.copyOf(batch, batch.length + 2);
            s[batch.length] = rows;
            s[batch.length + 1] = cols;
            return s;
        }

        String title() {
            return name + ": " + Layout.shapeText(shapeA()) + " " + a + " @ " + Layout.shapeText(shapeB()) + " " + b
                    + " -> out " + out + (large ? ", large values (integers wrap)" : "");
        }
    }

    static List<MatmulCase> cases() {
        long[] none = {};
        return List.of(
                new MatmulCase("M = K = N = 1", none, 1, 1, 1, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS, false),
                new MatmulCase("a dot product, M = N = 1", none, 1, 7, 1, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.OFFSET, false),
                new MatmulCase("an outer product, K = 1", none, 5, 1, 4, Layout.TRANSPOSED, Layout.CONTIGUOUS, Layout.STEPPED, false),
                new MatmulCase("M = 1", none, 1, 6, 5, Layout.CONTIGUOUS, Layout.TRANSPOSED_LAST2, Layout.CONTIGUOUS, false),
                new MatmulCase("N = 1", none, 6, 8, 1, Layout.STEPPED, Layout.CONTIGUOUS, Layout.TRANSPOSED, false),
                new MatmulCase("a transposed, b and out sliced", none, 7, 9, 5, Layout.TRANSPOSED_LAST2, Layout.STEPPED, Layout.STEPPED, false),
                new MatmulCase("a at an offset, b transposed", none, 4, 5, 6, Layout.OFFSET, Layout.TRANSPOSED_LAST2, Layout.TRANSPOSED, false),
                new MatmulCase("batched", new long[] {3}, 4, 5, 2, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS, false),
                new MatmulCase("batched, a broadcast over the batch (stride 0)", new long[] {3}, 4, 5, 6,
                        Layout.BROADCAST_LEADING, Layout.CONTIGUOUS, Layout.OFFSET, false),
                new MatmulCase("two batch dims, b broadcast over the first", new long[] {2, 3}, 4, 5, 3,
                        Layout.CONTIGUOUS, Layout.BROADCAST_LEADING, Layout.STEPPED, false),
                new MatmulCase("two batch dims, every dim reversed", new long[] {2, 3}, 4, 5, 3,
                        Layout.TRANSPOSED, Layout.TRANSPOSED, Layout.CONTIGUOUS, false),
                new MatmulCase("columns of a repeated (stride 0 along K), b broadcast over the batch", new long[] {4}, 3, 2, 5,
                        Layout.BROADCAST_TRAILING, Layout.BROADCAST_LEADING, Layout.TRANSPOSED_LAST2, false),
                new MatmulCase("beyond a block size, b transposed", new long[] {2}, 17, 33, 19,
                        Layout.CONTIGUOUS, Layout.TRANSPOSED_LAST2, Layout.CONTIGUOUS, false),
                new MatmulCase("larger", none, 65, 67, 66, Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS, false),
                new MatmulCase("large values", new long[] {3}, 4, 5, 2, Layout.CONTIGUOUS, Layout.TRANSPOSED_LAST2, Layout.CONTIGUOUS, true));
    }

    @TestFactory
    Stream<DynamicTest> matmul() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : TYPES) {
            tests.add(DynamicTest.dynamicTest("matmul " + dtype, () -> check(dtype)));
        }
        return tests.stream();
    }

    private void check(DType dtype) {
        Mismatches m = new Mismatches(title("matmul " + dtype));
        int n = 0;
        for (MatmulCase c : cases()) {
            Pool pool = pool(dtype, c.large(), n);
            run(m, dtype, c, pool.take(Values.numel(c.shapeA()), 0), pool.take(Values.numel(c.shapeB()), 17 + n));
            n++;
        }
        if (dtype.isFloatingPoint()) {
            // NaN in a[0][1] spreads along row 0; infinity in b[2][0] makes column 0 infinite, or NaN with a zero or an opposite infinity.
            double[] a = (double[]) pool(dtype, false, 99).take(12, 0);
            double[] b = (double[]) pool(dtype, false, 98).take(12, 0);
            a[1] = Double.NaN;
            a[6] = 0;
            b[6] = Double.POSITIVE_INFINITY;
            b[1] = Double.NEGATIVE_INFINITY;
            run(m, dtype, new MatmulCase("NaN and infinities", new long[0], 3, 4, 3, Layout.CONTIGUOUS, Layout.TRANSPOSED_LAST2,
                    Layout.CONTIGUOUS, false), a, b);
        }
        m.throwIfAny();
    }

    static Pool pool(DType dtype, boolean large, int seed) {
        if (dtype.isFloatingPoint()) {
            return Pool.reals(dtype, new double[0], -1, 1, 97, seed);
        }
        long bound = large ? (dtype == DType.INT32 ? 1L << 20 : 1L << 40) : 100;
        return Pool.ints(dtype, new long[0], -bound, bound, 97, seed);
    }

    private void run(Mismatches m, DType dtype, MatmulCase c, Object valuesA, Object valuesB) {
        m.startCase(c.title());
        try (Workspace w = workspace()) {
            KitTensor a = w.input("a", dtype, c.shapeA(), c.a(), valuesA);
            KitTensor b = w.input("b", dtype, c.shapeB(), c.b(), valuesB);
            KitTensor out = w.output("out", dtype, c.shapeOut(), c.out());
            backend().matmul(out.view, a.view, b.view);
            Values got = w.read(out);
            long[] shapeOut = c.shapeOut();
            int rank = shapeOut.length;
            for (int o = 0; o < got.size(); o++) {
                long[] at = Values.unravel(o, shapeOut);
                long[] ia = Arrays.copyOf(at, rank);
                long[] ib = Arrays.copyOf(at, rank);
                int[] termsA = new int[c.k()];
                int[] termsB = new int[c.k()];
                for (int k = 0; k < c.k(); k++) {
                    ia[rank - 1] = k;
                    ib[rank - 2] = k;
                    ib[rank - 1] = at[rank - 1];
                    termsA[k] = Values.ravel(ia, c.shapeA());
                    termsB[k] = Values.ravel(ib, c.shapeB());
                }
                int e = o;
                m.expect(expect(dtype, a.values, b.values, termsA, termsB), got, o,
                        () -> Mismatches.at(e, shapeOut) + " (row of a " + show(a.values, termsA) + ", column of b " + show(b.values, termsB) + ")");
            }
            w.checkStorage(a, false, m);
            w.checkStorage(b, false, m);
            w.checkStorage(out, true, m);
        } catch (RuntimeException e) {
            m.thrown(e);
        }
    }

    private static String show(Values v, int[] terms) {
        StringBuilder s = new StringBuilder("[");
        for (int k = 0; k < Math.min(terms.length, 6); k++) {
            s.append(k == 0 ? "" : ", ").append(v.show(terms[k]));
        }
        return s.append(terms.length > 6 ? ", ...]" : "]").toString();
    }

    /**
     * The dot product of the terms: integers exactly in wrapping 64-bit arithmetic (the low bits are
     * the same in any order), floats exactly (float32 products are exact in double and the double sum's
     * error is far below the float32 bound; float64 through {@link ExactSum}), within the sum bound.
     */
    static Expected expect(DType dtype, Values a, Values b, int[] termsA, int[] termsB) {
        int k = termsA.length;
        if (!dtype.isFloatingPoint()) {
            long s = 0;
            for (int t = 0; t < k; t++) {
                s += a.integer(termsA[t]) * b.integer(termsB[t]);
            }
            return Expected.integer(Numbers.wrap(dtype, s));
        }
        if (dtype == DType.FLOAT32) {
            double s = 0;
            double sumAbs = 0;
            for (int t = 0; t < k; t++) {
                double p = a.real(termsA[t]) * b.real(termsB[t]);
                s += p;
                sumAbs += Math.abs(p);
            }
            return Double.isNaN(sumAbs) || Double.isInfinite(sumAbs) ? Expected.exact(s) : Expected.real(s, Tolerances.sum(dtype, k, sumAbs));
        }
        ExactSum s = new ExactSum();
        for (int t = 0; t < k; t++) {
            s.addProduct(a.real(termsA[t]), b.real(termsB[t]));
        }
        return Expected.real(s.value(), Tolerances.sum(dtype, k, s.sumAbs()));
    }
}
