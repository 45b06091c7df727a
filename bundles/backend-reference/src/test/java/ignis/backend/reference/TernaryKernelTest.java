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
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import org.junit.jupiter.api.Test;

class TernaryKernelTest {

    private static final double NAN = Double.NaN;

    private final Backend backend = new ReferenceBackend();

    @Test
    void whereChoosesBitForBit() {
        TensorView condition = bool(shape(4), true, false, false, true);
        TensorView out = zeros(DType.FLOAT32, 4);
        backend.ternary(TernaryOp.WHERE, out, condition, float32(shape(4), 1, 2, 3, Float.NaN), float32(shape(4), -1, -2, -0f, -4));
        float[] values = readFloat32(out);
        assertEquals(1f, values[0]);
        assertEquals(-2f, values[1]);
        assertEquals(0x80000000, Float.floatToRawIntBits(values[2]));
        assertTrue(Float.isNaN(values[3]));
    }

    @Test
    void whereInEveryDtypeWithBroadcastOperands() {
        // torch.where(cond[2, 1], x[1, 3], scalar): cond repeats along columns, x along rows.
        TensorView condition = view(bool(shape(2), true, false), 0, shape(2, 3), shape(1, 0));
        TensorView x = view(int64(shape(3), 1, 2, 3), 0, shape(2, 3), shape(0, 1));
        TensorView scalar = view(int64(shape(), -9), 0, shape(2, 3), shape(0, 0));
        TensorView out = zeros(DType.INT64, 2, 3);
        backend.ternary(TernaryOp.WHERE, out, condition, x, scalar);
        assertArrayEquals(new long[] {1, 2, 3, -9, -9, -9}, readInt64(out));

        TensorView flags = zeros(DType.BOOL, 3);
        backend.ternary(TernaryOp.WHERE, flags, bool(shape(3), true, false, true), bool(shape(3), false, false, true),
                bool(shape(3), true, true, false));
        assertArrayEquals(new byte[] {0, 1, 1}, readBoolBytes(flags));

        TensorView ints = zeros(DType.INT32, 2);
        backend.ternary(TernaryOp.WHERE, ints, bool(shape(2), false, true), int32(shape(2), 5, 6), int32(shape(2), 7, 8));
        assertArrayEquals(new int[] {7, 6}, readInt32(ints));
    }

    @Test
    void clampPropagatesNaNFromAnyOperand() {
        TensorView out = zeros(DType.FLOAT64, 6);
        backend.ternary(TernaryOp.CLAMP, out,
                float64(shape(6), NAN, 1, 5, -3, 5, 1.5),
                float64(shape(6), 0, NAN, 0, 0, 0, 0),
                float64(shape(6), 2, 2, NAN, 2, 2, 2));
        double[] values = readFloat64(out);
        assertTrue(Double.isNaN(values[0]) && Double.isNaN(values[1]) && Double.isNaN(values[2]));
        assertArrayEquals(new double[] {0, 2, 1.5}, new double[] {values[3], values[4], values[5]});
    }

    @Test
    void clampWithTheBoundsCrossedGivesTheUpperBound() {
        // min(max(a, 3), 1) = 1 whatever a is, as torch.clamp(a, min=3, max=1).
        TensorView out = zeros(DType.INT32, 3);
        backend.ternary(TernaryOp.CLAMP, out, int32(shape(3), -5, 2, 9),
                view(int32(shape(), 3), 0, shape(3), shape(0)), view(int32(shape(), 1), 0, shape(3), shape(0)));
        assertArrayEquals(new int[] {1, 1, 1}, readInt32(out));
    }

    @Test
    void clampIntegersAndFloat32InPlace() {
        TensorView a = int64(shape(4), Long.MIN_VALUE, -1, 7, Long.MAX_VALUE);
        backend.ternary(TernaryOp.CLAMP, a, a, int64(shape(4), 0, 0, 0, 0), int64(shape(4), 5, 5, 5, 5));
        assertArrayEquals(new long[] {0, 0, 5, 5}, readInt64(a));
        TensorView f = float32(shape(3), -0.5f, 0.25f, 3f);
        backend.ternary(TernaryOp.CLAMP, f, f, float32(shape(3), 0, 0, 0), float32(shape(3), 1, 1, 1));
        assertArrayEquals(new float[] {0, 0.25f, 1}, readFloat32(f));
    }

    @Test
    void rankZero() {
        TensorView out = zeros(DType.FLOAT32);
        backend.ternary(TernaryOp.WHERE, out, bool(shape(), false), float32(shape(), 1), float32(shape(), 2));
        assertArrayEquals(new float[] {2}, readFloat32(out));
    }
}
