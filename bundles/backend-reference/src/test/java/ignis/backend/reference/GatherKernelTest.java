package ignis.backend.reference;

import static ignis.backend.reference.Tensors.bits16;
import static ignis.backend.reference.Tensors.bool;
import static ignis.backend.reference.Tensors.float32;
import static ignis.backend.reference.Tensors.int64;
import static ignis.backend.reference.Tensors.readBits16;
import static ignis.backend.reference.Tensors.readBoolBytes;
import static ignis.backend.reference.Tensors.readFloat32;
import static ignis.backend.reference.Tensors.readInt64;
import static ignis.backend.reference.Tensors.shape;
import static ignis.backend.reference.Tensors.view;
import static ignis.backend.reference.Tensors.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.TensorView;
import org.junit.jupiter.api.Test;

class GatherKernelTest {

    private final Backend backend = new ReferenceBackend();

    @Test
    void alongTheLastDim() {
        // torch.gather([[1, 2], [3, 4]], 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]] (PyTorch's documented example).
        TensorView out = zeros(DType.INT64, 2, 2);
        backend.gather(out, int64(shape(2, 2), 1, 2, 3, 4), 1, int64(shape(2, 2), 0, 0, 1, 0));
        assertArrayEquals(new long[] {1, 1, 4, 3}, readInt64(out));
    }

    @Test
    void alongTheFirstDimWithASmallerIndex() {
        // in = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], index = [[2, 0]]: out[0][j] = in[index[0][j]][j] = [7, 2].
        TensorView out = zeros(DType.FLOAT32, 1, 2);
        backend.gather(out, float32(shape(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9), 0, int64(shape(1, 2), 2, 0));
        assertArrayEquals(new float[] {7, 2}, readFloat32(out));
    }

    @Test
    void anyDtypeMovesBitForBit() {
        TensorView flags = zeros(DType.BOOL, 3);
        backend.gather(flags, bool(shape(2), false, true), 0, int64(shape(3), 1, 1, 0));
        assertArrayEquals(new byte[] {1, 1, 0}, readBoolBytes(flags));
        TensorView halves = zeros(DType.BFLOAT16, 2);
        backend.gather(halves, bits16(DType.BFLOAT16, shape(3), 0x3F80, 0x7FC1, 0x8000), 0, int64(shape(2), 1, 2));
        assertArrayEquals(new int[] {0x7FC1, 0x8000}, readBits16(halves));
    }

    @Test
    void stridedInputIndexAndOutput() {
        // in^T for in = [[1, 2], [3, 4]] is [[1, 3], [2, 4]]; the index [[1, 1], [0, 0]] is the column
        // [1, 0] repeated along dim 1 (stride 0).
        TensorView in = view(float32(shape(2, 2), 1, 2, 3, 4), 0, shape(2, 2), shape(1, 2));
        TensorView index = view(int64(shape(2), 1, 0), 0, shape(2, 2), shape(1, 0));
        TensorView out = zeros(DType.FLOAT32, 2, 2);
        backend.gather(out, in, 1, index);
        // out[i][j] = in^T[i][index[i][j]]: row 0 takes column 1 twice (3, 3); row 1 takes column 0 (2, 2).
        assertArrayEquals(new float[] {3, 3, 2, 2}, readFloat32(out));
    }

    @Test
    void rankOne() {
        TensorView out = zeros(DType.INT64, 4);
        backend.gather(out, int64(shape(3), 10, 20, 30), 0, int64(shape(4), 2, 2, 0, 1));
        assertArrayEquals(new long[] {30, 30, 10, 20}, readInt64(out));
    }
}
