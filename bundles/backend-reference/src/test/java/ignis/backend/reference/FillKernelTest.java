package ignis.backend.reference;

import static ignis.backend.reference.Tensors.float64;
import static ignis.backend.reference.Tensors.readBits16;
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

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.TensorView;
import org.junit.jupiter.api.Test;

class FillKernelTest {

    private final Backend backend = new ReferenceBackend();

    @Test
    void float32FromItsBitPattern() {
        TensorView out = zeros(DType.FLOAT32, 2, 3);
        backend.fill(out, Float.floatToRawIntBits(1.5f));
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f}, readFloat32(out));
    }

    @Test
    void float64NegativeZeroKeepsItsSign() {
        TensorView out = zeros(DType.FLOAT64, 2);
        backend.fill(out, Double.doubleToRawLongBits(-0.0));
        for (double value : readFloat64(out)) {
            assertEquals(0x8000000000000000L, Double.doubleToRawLongBits(value));
        }
    }

    @Test
    void onlyTheLowBytesCount() {
        TensorView ints = zeros(DType.INT32, 3);
        backend.fill(ints, 0xFFFFFFFF_00000007L);
        assertArrayEquals(new int[] {7, 7, 7}, readInt32(ints));
        TensorView halves = zeros(DType.FLOAT16, 2);
        backend.fill(halves, 0x1234_3C00L);
        assertArrayEquals(new int[] {0x3C00, 0x3C00}, readBits16(halves));
        TensorView flags = zeros(DType.BOOL, 2);
        backend.fill(flags, 0x0101L);
        assertArrayEquals(new byte[] {1, 1}, readBoolBytes(flags));
    }

    @Test
    void int64MinusOne() {
        TensorView out = zeros(DType.INT64, 4);
        backend.fill(out, -1L);
        assertArrayEquals(new long[] {-1, -1, -1, -1}, readInt64(out));
    }

    @Test
    void stridedViewFillsOnlyItsElements() {
        TensorView storage = float64(shape(6), 0, 0, 0, 0, 0, 0);
        // Column 1 of a 3x2 matrix.
        backend.fill(view(storage, 1, shape(3), shape(2)), Double.doubleToRawLongBits(9));
        assertArrayEquals(new double[] {0, 9, 0, 9, 0, 9}, readFloat64(storage));
    }

    @Test
    void rankZero() {
        TensorView out = zeros(DType.INT32);
        backend.fill(out, 42);
        assertArrayEquals(new int[] {42}, readInt32(out));
    }
}
