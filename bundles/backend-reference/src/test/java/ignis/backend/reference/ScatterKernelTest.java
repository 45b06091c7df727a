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

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import org.junit.jupiter.api.Test;

class ScatterKernelTest {

    private final Backend backend = new ReferenceBackend();

    @Test
    void setAlongTheFirstDim() {
        // PyTorch's documented example: src = arange(1, 11).reshape(2, 5), index = [[0, 1, 2, 0]],
        // zeros(3, 5).scatter_(0, index, src) = [[1, 0, 0, 4, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]].
        TensorView out = zeros(DType.INT64, 3, 5);
        TensorView src = int64(shape(2, 5), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        // index and src share a shape: src narrowed to its first row and four columns.
        TensorView narrowed = view(src, 0, shape(1, 4), shape(5, 1));
        backend.scatter(ScatterMode.SET, out, 0, int64(shape(1, 4), 0, 1, 2, 0), narrowed);
        assertArrayEquals(new long[] {1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0}, readInt64(out));
    }

    @Test
    void setAlongTheLastDim() {
        // zeros(2, 4).scatter_(1, [[2], [3]], [[1.5], [2.5]]) puts 1.5 at [0][2] and 2.5 at [1][3].
        TensorView out = zeros(DType.FLOAT64, 2, 4);
        backend.scatter(ScatterMode.SET, out, 1, int64(shape(2, 1), 2, 3), float64(shape(2, 1), 1.5, 2.5));
        assertArrayEquals(new double[] {0, 0, 1.5, 0, 0, 0, 0, 2.5}, readFloat64(out));
    }

    @Test
    void addAccumulatesRepeatedIndices() {
        TensorView out = int32(shape(3), 100, 200, 300);
        backend.scatter(ScatterMode.ADD, out, 0, int64(shape(5), 0, 2, 0, 0, 2), int32(shape(5), 1, 2, 3, 4, 5));
        assertArrayEquals(new int[] {108, 200, 307}, readInt32(out));
        TensorView wraps = int64(shape(1), Long.MAX_VALUE);
        backend.scatter(ScatterMode.ADD, wraps, 0, int64(shape(1), 0), int64(shape(1), 1));
        assertArrayEquals(new long[] {Long.MIN_VALUE}, readInt64(wraps));
    }

    @Test
    void float32AddRoundsAfterEveryAdditionInRowMajorOrder() {
        // 2^24 + 1 rounds back to 2^24 (a tie, to even) and so does the next + 1; unlike a sum
        // reduction, scatter ADD does not accumulate in double.
        TensorView out = zeros(DType.FLOAT32, 1);
        backend.scatter(ScatterMode.ADD, out, 0, int64(shape(3), 0, 0, 0), float32(shape(3), 16777216f, 1f, 1f));
        assertArrayEquals(new float[] {16777216f}, readFloat32(out));
        // In the other order the two ones first make 2, and 2 + 2^24 is exact.
        TensorView reordered = zeros(DType.FLOAT32, 1);
        backend.scatter(ScatterMode.ADD, reordered, 0, int64(shape(3), 0, 0, 0), float32(shape(3), 1f, 1f, 16777216f));
        assertArrayEquals(new float[] {16777218f}, readFloat32(reordered));
    }

    @Test
    void addAlongTheLastDimOfAMatrix() {
        // Row-wise histogram: out[i][index[i][j]] += 1.
        TensorView out = zeros(DType.FLOAT64, 2, 3);
        TensorView ones = view(float64(shape(), 1), 0, shape(2, 4), shape(0, 0));
        backend.scatter(ScatterMode.ADD, out, 1, int64(shape(2, 4), 0, 2, 2, 2, 1, 1, 0, 1), ones);
        assertArrayEquals(new double[] {1, 0, 3, 1, 3, 0}, readFloat64(out));
    }

    @Test
    void setTakesBool() {
        TensorView out = bool(shape(4), false, false, false, true);
        backend.scatter(ScatterMode.SET, out, 0, int64(shape(2), 1, 3), bool(shape(2), true, false));
        assertArrayEquals(new byte[] {0, 1, 0, 0}, readBoolBytes(out));
    }

    @Test
    void stridedOutput() {
        // Scatter into column 1 of a 3x2 buffer, seen as a vector of 3 with stride 2.
        TensorView buffer = zeros(DType.FLOAT32, 3, 2);
        TensorView column = view(buffer, 1, shape(3), shape(2));
        backend.scatter(ScatterMode.SET, column, 0, int64(shape(2), 2, 0), float32(shape(2), 5, 6));
        assertArrayEquals(new float[] {0, 6, 0, 0, 0, 5}, readFloat32(buffer));
    }
}
