package ignis.backend.reference;

import static ignis.backend.reference.Tensors.float32;
import static ignis.backend.reference.Tensors.float64;
import static ignis.backend.reference.Tensors.int32;
import static ignis.backend.reference.Tensors.int64;
import static ignis.backend.reference.Tensors.readFloat32;
import static ignis.backend.reference.Tensors.readFloat64;
import static ignis.backend.reference.Tensors.readInt32;
import static ignis.backend.reference.Tensors.readInt64;
import static ignis.backend.reference.Tensors.shape;
import static ignis.backend.reference.Tensors.view;
import static ignis.backend.reference.Tensors.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.TensorView;
import org.junit.jupiter.api.Test;

class MatmulKernelTest {

    private final Backend backend = new ReferenceBackend();

    @Test
    void twoByThreeTimesThreeByTwo() {
        // [[1, 2, 3], [4, 5, 6]] @ [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]].
        TensorView out = zeros(DType.FLOAT32, 2, 2);
        backend.matmul(out, float32(shape(2, 3), 1, 2, 3, 4, 5, 6), float32(shape(3, 2), 7, 8, 9, 10, 11, 12));
        assertArrayEquals(new float[] {58, 64, 139, 154}, readFloat32(out));
    }

    @Test
    void transposedOperandsAreJustStrides() {
        // a^T @ b^T where a = [[1, 4], [2, 5], [3, 6]] and b = [[7, 9, 11], [8, 10, 12]] stored as given.
        TensorView a = view(float64(shape(3, 2), 1, 4, 2, 5, 3, 6), 0, shape(2, 3), shape(1, 2));
        TensorView b = view(float64(shape(2, 3), 7, 9, 11, 8, 10, 12), 0, shape(3, 2), shape(1, 3));
        TensorView out = zeros(DType.FLOAT64, 2, 2);
        backend.matmul(out, a, b);
        assertArrayEquals(new double[] {58, 64, 139, 154}, readFloat64(out));
    }

    @Test
    void batchesWithABroadcastOperand() {
        // Two 2x2 matrices times one shared 2x2 (batch stride 0): [[1,2],[3,4]] and [[0,1],[1,0]]
        // each @ [[2, 0], [1, 3]].
        TensorView a = int64(shape(2, 2, 2), 1, 2, 3, 4, 0, 1, 1, 0);
        TensorView shared = view(int64(shape(2, 2), 2, 0, 1, 3), 0, shape(2, 2, 2), shape(0, 2, 1));
        TensorView out = zeros(DType.INT64, 2, 2, 2);
        backend.matmul(out, a, shared);
        assertArrayEquals(new long[] {4, 6, 10, 12, 1, 3, 2, 0}, readInt64(out));
    }

    @Test
    void int32AccumulationWrapsAround() {
        TensorView out = zeros(DType.INT32, 1, 1);
        // 65536 * 65536 + 1 * 5 = 2^32 + 5, which wraps to 5.
        backend.matmul(out, int32(shape(1, 2), 65536, 1), int32(shape(2, 1), 65536, 5));
        assertArrayEquals(new int[] {5}, readInt32(out));
        TensorView longs = zeros(DType.INT64, 1, 1);
        backend.matmul(longs, int64(shape(1, 2), Long.MAX_VALUE, 1), int64(shape(2, 1), 1, 1));
        assertArrayEquals(new long[] {Long.MIN_VALUE}, readInt64(longs));
    }

    @Test
    void float32AccumulatesInDoubleAndRoundsOnce() {
        // In float, 1 + 2^-24 + 2^-24 stays 1; the exact 1 + 2^-23 is a float.
        TensorView out = zeros(DType.FLOAT32, 1, 1);
        backend.matmul(out, float32(shape(1, 3), 1, 0x1p-24f, 0x1p-24f), float32(shape(3, 1), 1, 1, 1));
        assertArrayEquals(new float[] {1 + 0x1p-23f}, readFloat32(out));
    }

    @Test
    void float64ProductsAreFused() {
        // -1 * 1 + (1 + 2^-30)(1 - 2^-30) = -2^-60 exactly; rounding the product first would give 0.
        TensorView out = zeros(DType.FLOAT64, 1, 1);
        backend.matmul(out, float64(shape(1, 2), -1, 1 + 0x1p-30), float64(shape(2, 1), 1, 1 - 0x1p-30));
        assertArrayEquals(new double[] {-0x1p-60}, readFloat64(out));
    }

    @Test
    void innerDimensionOfOneAndAStridedOutput() {
        // The outer product [1, 2]^T [3, 4, 5], written into the transposed view of a 3x2 buffer.
        TensorView buffer = zeros(DType.FLOAT64, 3, 2);
        TensorView out = view(buffer, 0, shape(2, 3), shape(1, 2));
        backend.matmul(out, float64(shape(2, 1), 1, 2), float64(shape(1, 3), 3, 4, 5));
        assertArrayEquals(new double[] {3, 4, 5, 6, 8, 10}, readFloat64(out));
        assertArrayEquals(new double[] {3, 6, 4, 8, 5, 10}, readFloat64(buffer));
    }
}
