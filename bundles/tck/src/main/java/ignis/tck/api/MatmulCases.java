package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** torch.matmul in all its ranks, with broadcast batch dims, strided operands, integers, and its errors. */
abstract class MatmulCases extends KitArea {

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    /** Batched product by plain loops; a and b are [batch..., m, k] and [batch..., k, n] with batch sizes given per operand (1 broadcasts). */
    private static double[] product(double[] a, long[] aBatch, double[] b, long[] bBatch, long[] batch, int m, int k, int n) {
        long batches = Reference.numel(batch);
        double[] out = new double[Math.toIntExact(batches * m * n)];
        for (long s = 0; s < batches; s++) {
            long[] idx = Reference.unravel(s, batch);
            long sa = source(idx, aBatch);
            long sb = source(idx, bBatch);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += a[(int) (sa * m * k + (long) i * k + p)] * b[(int) (sb * k * n + (long) p * n + j)];
                    }
                    out[(int) (s * m * n + (long) i * n + j)] = sum;
                }
            }
        }
        return out;
    }

    private static long source(long[] outIdx, long[] shape) {
        long[] idx = new long[shape.length];
        int lead = outIdx.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            idx[d] = shape[d] == 1 ? 0 : outIdx[d + lead];
        }
        return Reference.ravel(idx, shape);
    }

    @Test
    void vectorAndMatrixRanks() {
        Tensor dot = f64(1, 2, 3).matmul(f64(4, 5, 6));
        assertShape(dot);
        assertEquals(32.0, dot.item());
        Tensor m = f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor vm = f64(1, 2).matmul(m);
        assertShape(vm, 3);
        assertExactly(new double[] {9, 12, 15}, vm);
        Tensor mv = m.matmul(f64(1, 0, -1));
        assertShape(mv, 2);
        assertExactly(new double[] {-2, -2}, mv);
        Tensor mm = m.matmul(m.t());
        assertShape(mm, 2, 2);
        assertExactly(new double[] {14, 32, 32, 77}, mm);
    }

    @Test
    void matrixProductsMatchLoopsInEveryFloatDType() {
        int m = 7;
        int k = 13;
        int n = 5;
        double[] a = random(m * k, 1);
        double[] b = random(k * n, 2);
        double[] expected = product(a, new long[0], b, new long[0], new long[0], m, k, n);
        assertClose(expected, f64(a, m, k).matmul(f64(b, k, n)), new Tolerance(1e-12, 1e-12));
        Tensor a32 = f64(a, m, k).to(DType.FLOAT32);
        Tensor b32 = f64(b, k, n).to(DType.FLOAT32);
        double[] expected32 = product(a32.toDoubleArray(), new long[0], b32.toDoubleArray(), new long[0], new long[0], m, k, n);
        Tensor c32 = a32.matmul(b32);
        assertDType(DType.FLOAT32, c32);
        assertClose(expected32, c32);
        for (DType half : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Tensor ah = a32.to(half);
            Tensor bh = b32.to(half);
            double[] expectedHalf = product(ah.toDoubleArray(), new long[0], bh.toDoubleArray(), new long[0], new long[0], m, k, n);
            Tensor ch = ah.matmul(bh);
            assertDType(half, ch);
            assertClose(Reference.map(expectedHalf, x -> Reference.round(x, half)), ch, new Tolerance(half == DType.FLOAT16 ? 2e-3 : 2e-2, 2e-3));
        }
    }

    @Test
    void batchDimsBroadcast() {
        // [2, 1, 3, 4] @ [5, 4, 2] -> [2, 5, 3, 2]
        double[] a = random(2 * 3 * 4, 3);
        double[] b = random(5 * 4 * 2, 4);
        Tensor c = f64(a, 2, 1, 3, 4).matmul(f64(b, 5, 4, 2));
        assertShape(c, 2, 5, 3, 2);
        assertClose(product(a, new long[] {2, 1}, b, new long[] {5}, new long[] {2, 5}, 3, 4, 2), c, new Tolerance(1e-12, 1e-12));
        // a batch of matrices with a vector on either side: [2, 3, 4] @ [4] -> [2, 3]; [3] @ [2, 3, 4] -> [2, 4]
        double[] v = random(4, 5);
        Tensor mv = f64(a, 2, 3, 4).matmul(f64(v));
        assertShape(mv, 2, 3);
        assertClose(product(a, new long[] {2}, v, new long[] {1}, new long[] {2}, 3, 4, 1), mv, new Tolerance(1e-12, 1e-12));
        double[] w = random(3, 6);
        Tensor vm = f64(w).matmul(f64(a, 2, 3, 4));
        assertShape(vm, 2, 4);
        assertClose(product(w, new long[] {1}, a, new long[] {2}, new long[] {2}, 1, 3, 4), vm, new Tolerance(1e-12, 1e-12));
    }

    @Test
    void stridedOperandsAreMultipliedAsTheirValues() {
        double[] a = random(4 * 3, 7);
        double[] b = random(5 * 4, 8);
        // a^T and b^T as views: [3, 4] @ [4, 5]
        Tensor at = f64(a, 4, 3).t();
        Tensor bt = f64(b, 5, 4).t();
        double[] aDense = at.contiguous().toDoubleArray();
        double[] bDense = bt.contiguous().toDoubleArray();
        Tensor c = at.matmul(bt);
        assertClose(product(aDense, new long[0], bDense, new long[0], new long[0], 3, 4, 5), c, new Tolerance(1e-12, 1e-12));
        // batched transposes and an expanded (stride 0) operand
        double[] x = random(2 * 4 * 3, 9);
        Tensor xt = f64(x, 2, 4, 3).transpose(1, 2);
        Tensor shared = f64(b, 5, 4).t().unsqueeze(0).expand(2, 4, 5);
        double[] xDense = xt.contiguous().toDoubleArray();
        assertClose(product(xDense, new long[] {2}, bDense, new long[] {1}, new long[] {2}, 3, 4, 5), xt.matmul(shared),
                new Tolerance(1e-12, 1e-12));
        // every other column
        Tensor cols = f64(random(3 * 8, 10), 3, 8).slice(1, 0, 8, 2);
        assertClose(product(cols.contiguous().toDoubleArray(), new long[0], bDense, new long[0], new long[0], 3, 4, 5),
                cols.matmul(bt), new Tolerance(1e-12, 1e-12));
    }

    @Test
    void integerProductsAreExact() {
        Tensor a = i64(new long[] {1L << 40, 3, -2, 5}, 2, 2);
        Tensor b = i64(new long[] {3, 1, 1, -1}, 2, 2);
        Tensor c = a.matmul(b);
        assertDType(DType.INT64, c);
        assertLongs(new long[] {3 * (1L << 40) + 3, (1L << 40) - 3, -1, -7}, c);
        Tensor d = i32(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).matmul(i32(new int[] {1, 0, 0, 1, 1, 1}, 3, 2));
        assertDType(DType.INT32, d);
        assertLongs(new long[] {4, 5, 10, 11}, d);
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        Tensor c = zeros(DType.FLOAT32, 2, 0).matmul(zeros(DType.FLOAT32, 0, 3));
        assertShape(c, 2, 3);
        assertExactly(new double[6], c);
        assertShape(zeros(DType.FLOAT32, 0, 4).matmul(zeros(DType.FLOAT32, 4, 3)), 0, 3);
    }

    @Test
    void shapeAndDTypeErrors() {
        assertThrowsMentioning(IllegalArgumentException.class, () -> range64(2, 3).matmul(range64(4, 5)), "[2, 3]", "[4, 5]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> range64(3).matmul(range64(4)), "[3]", "[4]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> range64(2, 2, 3).matmul(range64(3, 3, 1)), "[2]", "[3]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> f32(1, 2).matmul(f64(1, 2)), "float32", "float64");
        assertThrows(IllegalArgumentException.class, () -> scalarOf(DType.FLOAT32, 1).matmul(f32(1)));
        assertThrows(IllegalArgumentException.class, () -> bools(true).matmul(bools(true)));
    }
}
