package ignis.backend.reference;

import static ignis.backend.reference.Tensors.bool;
import static ignis.backend.reference.Tensors.float32;
import static ignis.backend.reference.Tensors.float64;
import static ignis.backend.reference.Tensors.int32;
import static ignis.backend.reference.Tensors.int64;
import static ignis.backend.reference.Tensors.readBoolBytes;
import static ignis.backend.reference.Tensors.readFloat32;
import static ignis.backend.reference.Tensors.readFloat64;
import static ignis.backend.reference.Tensors.readInt32;
import static ignis.backend.reference.Tensors.readInt64;
import static ignis.backend.reference.Tensors.shape;
import static ignis.backend.reference.Tensors.view;
import static ignis.backend.reference.Tensors.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.TensorView;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReduceKernelTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private final Backend backend = new ReferenceBackend();

    /** x[i][j][k] = 100 i + 10 j + k for a 2x3x4 input, so that every sum is easy to check by hand. */
    private static TensorView cube() {
        double[] values = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    values[(i * 3 + j) * 4 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        return float64(shape(2, 3, 4), values);
    }

    private double[] reduce(ReduceOp op, TensorView in, long[] outShape, int... axes) {
        TensorView out = zeros(in.dtype(), outShape);
        backend.reduce(op, out, in, axes);
        return readFloat64(out);
    }

    private double sum(double... values) {
        return reduce(ReduceOp.SUM, float64(shape(values.length), values), shape(1), 0)[0];
    }

    @Test
    void sumOverEachChoiceOfAxes() {
        TensorView in = cube();
        // Over i: (10j + k) + (100 + 10j + k) = 100 + 20j + 2k.
        assertArrayEquals(new double[] {100, 102, 104, 106, 120, 122, 124, 126, 140, 142, 144, 146},
                reduce(ReduceOp.SUM, in, shape(1, 3, 4), 0));
        // Over j: 3 (100i + k) + 30.
        assertArrayEquals(new double[] {30, 33, 36, 39, 330, 333, 336, 339}, reduce(ReduceOp.SUM, in, shape(2, 1, 4), 1));
        // Over k: 4 (100i + 10j) + 6.
        assertArrayEquals(new double[] {6, 46, 86, 406, 446, 486}, reduce(ReduceOp.SUM, in, shape(2, 3, 1), 2));
        // Over i and k: sum_i sum_k (100i + 10j + k) = 400 + 80j + 12.
        assertArrayEquals(new double[] {412, 492, 572}, reduce(ReduceOp.SUM, in, shape(1, 3, 1), 0, 2));
        // Everything: 12 * 100 + 8 * 30 + 6 * 6 = 1476.
        assertArrayEquals(new double[] {1476}, reduce(ReduceOp.SUM, in, shape(1, 1, 1), 0, 1, 2));
    }

    @Test
    void noAxesIsAPlainCopy() {
        TensorView in = cube();
        assertArrayEquals(readFloat64(in), reduce(ReduceOp.SUM, in, shape(2, 3, 4)));
        assertArrayEquals(readFloat64(in), reduce(ReduceOp.MAX, in, shape(2, 3, 4)));
        TensorView scalar = zeros(DType.INT64);
        backend.reduce(ReduceOp.PROD, scalar, int32(shape(), -7), new int[0]);
        assertArrayEquals(new long[] {-7}, readInt64(scalar));
    }

    @Test
    void transposedInputIsReducedThroughItsStrides() {
        // [[1, 2, 3], [4, 5, 6]] stored transposed: rows sum to 6 and 15.
        TensorView storage = float32(shape(6), 1, 4, 2, 5, 3, 6);
        TensorView in = view(storage, 0, shape(2, 3), shape(1, 2));
        TensorView out = zeros(DType.FLOAT32, 2, 1);
        backend.reduce(ReduceOp.SUM, out, in, new int[] {1});
        assertArrayEquals(new float[] {6, 15}, readFloat32(out));
        // And the output may be strided too: a column of a 2x2 buffer.
        TensorView wide = float32(shape(2, 2), -1, -1, -1, -1);
        backend.reduce(ReduceOp.MAX, view(wide, 1, shape(2, 1), shape(2, 1)), in, new int[] {1});
        assertArrayEquals(new float[] {-1, 3, -1, 6}, readFloat32(wide));
    }

    @Test
    void float64SumIsCompensated() {
        assertEquals(1, sum(1e16, 1, -1e16));           // a plain double sum gives 0
        assertEquals(2, sum(1, 1e100, 1, -1e100));      // beyond Kahan: needs Neumaier's variant
        assertEquals(0.30000000000000004, sum(0.1, 0.2), 0.0);
        double[] tenths = new double[10];
        Arrays.fill(tenths, 0.1);
        // The exact sum of ten copies of the double 0.1 is 1.0000000000000000555..., which rounds to 1.
        assertEquals(1.0, sum(tenths), 0.0);
    }

    @Test
    void float64SumOfSpecialValues() {
        assertEquals(INF, sum(INF, 1, 1e308));
        assertTrue(Double.isNaN(sum(INF, -INF)));
        assertTrue(Double.isNaN(sum(1, NAN, 2)));
        assertEquals(INF, sum(Double.MAX_VALUE, Double.MAX_VALUE));
    }

    @Test
    void float32SumAccumulatesInDoubleAndRoundsOnce() {
        TensorView out = zeros(DType.FLOAT32, 1);
        // In float, 2^24 + 1 + 1 stays 2^24 at each step; the exact sum 2^24 + 2 is a float.
        backend.reduce(ReduceOp.SUM, out, float32(shape(3), 16777216f, 1f, 1f), new int[] {0});
        assertArrayEquals(new float[] {16777218f}, readFloat32(out));
        // 3.4e38 + 3.4e38 overflows float32 only when rounded at the end; -3.4e38 brings it back.
        backend.reduce(ReduceOp.SUM, out, float32(shape(3), 3.4e38f, 3.4e38f, -3.4e38f), new int[] {0});
        assertArrayEquals(new float[] {3.4e38f}, readFloat32(out));
    }

    @Test
    void integerSumsAreInt64AndWrap() {
        TensorView out = zeros(DType.INT64, 1);
        backend.reduce(ReduceOp.SUM, out, int32(shape(3), Integer.MAX_VALUE, Integer.MAX_VALUE, 2), new int[] {0});
        assertArrayEquals(new long[] {1L << 32}, readInt64(out));
        backend.reduce(ReduceOp.SUM, out, int64(shape(2), Long.MAX_VALUE, 1), new int[] {0});
        assertArrayEquals(new long[] {Long.MIN_VALUE}, readInt64(out));
        backend.reduce(ReduceOp.SUM, out, bool(shape(5), true, false, true, true, false), new int[] {0});
        assertArrayEquals(new long[] {3}, readInt64(out));
    }

    @Test
    void products() {
        TensorView longs = zeros(DType.INT64, 2, 1);
        backend.reduce(ReduceOp.PROD, longs, int32(shape(2, 3), 2, 3, 4, -1, 65536, 65536), new int[] {1});
        assertArrayEquals(new long[] {24, -(1L << 32)}, readInt64(longs));
        TensorView flags = zeros(DType.INT64, 1);
        backend.reduce(ReduceOp.PROD, flags, bool(shape(3), true, false, true), new int[] {0});
        assertArrayEquals(new long[] {0}, readInt64(flags));
        TensorView floats = zeros(DType.FLOAT32, 1);
        backend.reduce(ReduceOp.PROD, floats, float32(shape(3), 2f, 3f, 0.5f), new int[] {0});
        assertArrayEquals(new float[] {3f}, readFloat32(floats));
        assertArrayEquals(new double[] {-0.0}, reduce(ReduceOp.PROD, float64(shape(2), -1, 0), shape(1), 0));
    }

    @Test
    void maxAndMinPropagateNaN() {
        assertTrue(Double.isNaN(reduce(ReduceOp.MAX, float64(shape(3), 1, NAN, 3), shape(1), 0)[0]));
        assertTrue(Double.isNaN(reduce(ReduceOp.MIN, float64(shape(3), NAN, -INF, 3), shape(1), 0)[0]));
        assertArrayEquals(new double[] {-INF}, reduce(ReduceOp.MAX, float64(shape(2), -INF, -INF), shape(1), 0));
        assertArrayEquals(new double[] {-2, 9}, reduce(ReduceOp.MIN, float64(shape(2, 2), -2, 5, 9, 11), shape(2, 1), 1));
    }

    @Test
    void maxAndMinKeepIntegerAndBoolDtypes() {
        TensorView ints = zeros(DType.INT64, 1, 2);
        backend.reduce(ReduceOp.MAX, ints, int64(shape(2, 2), Long.MIN_VALUE, 4, -1, Long.MAX_VALUE), new int[] {0});
        assertArrayEquals(new long[] {-1, Long.MAX_VALUE}, readInt64(ints));
        TensorView small = zeros(DType.INT32, 1);
        backend.reduce(ReduceOp.MIN, small, int32(shape(3), 4, Integer.MIN_VALUE, 0), new int[] {0});
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, readInt32(small));
        TensorView any = zeros(DType.BOOL, 2, 1);
        backend.reduce(ReduceOp.MAX, any, bool(shape(2, 3), false, true, false, false, false, false), new int[] {1});
        assertArrayEquals(new byte[] {1, 0}, readBoolBytes(any));
        TensorView all = zeros(DType.BOOL, 2, 1);
        backend.reduce(ReduceOp.MIN, all, bool(shape(2, 3), true, true, true, true, false, true), new int[] {1});
        assertArrayEquals(new byte[] {1, 0}, readBoolBytes(all));
    }

    @Test
    void argmaxAndArgminTakeTheFirstExtreme() {
        TensorView in = float32(shape(2, 4), 3, 7, 7, 1, 5, 5, -2, -2);
        TensorView out = zeros(DType.INT64, 2, 1);
        backend.reduce(ReduceOp.ARGMAX, out, in, new int[] {1});
        assertArrayEquals(new long[] {1, 0}, readInt64(out));
        backend.reduce(ReduceOp.ARGMIN, out, in, new int[] {1});
        assertArrayEquals(new long[] {3, 2}, readInt64(out));
        TensorView columns = zeros(DType.INT64, 1, 4);
        backend.reduce(ReduceOp.ARGMAX, columns, in, new int[] {0});
        assertArrayEquals(new long[] {1, 0, 0, 0}, readInt64(columns));
    }

    @Test
    void theFirstNaNIsTheExtremeOfBoth() {
        TensorView in = float64(shape(5), 1, NAN, 9, NAN, -9);
        TensorView out = zeros(DType.INT64, 1);
        backend.reduce(ReduceOp.ARGMAX, out, in, new int[] {0});
        assertArrayEquals(new long[] {1}, readInt64(out));
        backend.reduce(ReduceOp.ARGMIN, out, in, new int[] {0});
        assertArrayEquals(new long[] {1}, readInt64(out));
        backend.reduce(ReduceOp.ARGMIN, out, float64(shape(2), NAN, -INF), new int[] {0});
        assertArrayEquals(new long[] {0}, readInt64(out));
    }

    @Test
    void argmaxOfIntegers() {
        TensorView out = zeros(DType.INT64, 1);
        backend.reduce(ReduceOp.ARGMAX, out, int64(shape(4), Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MAX_VALUE), new int[] {0});
        assertArrayEquals(new long[] {1}, readInt64(out));
        backend.reduce(ReduceOp.ARGMIN, out, int32(shape(3), 0, -1, -1), new int[] {0});
        assertArrayEquals(new long[] {1}, readInt64(out));
    }

    @Test
    void argmaxReducesExactlyOneAxis() {
        TensorView in = float32(shape(2, 2), 1, 2, 3, 4);
        assertThrows(IllegalArgumentException.class,
                () -> backend.reduce(ReduceOp.ARGMAX, zeros(DType.INT64, 1, 1), in, new int[] {0, 1}));
    }
}
