package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * In-place ops: they return the tensor itself, bump the version counter that views share, broadcast
 * the other operand into the tensor's shape, refuse what PyTorch refuses (an expanded view, a result
 * dtype that cannot be cast into the tensor's) and leave the tensor as it was when they refuse.
 */
abstract class InPlaceCases extends KitArea {

    @Test
    void everyInPlaceOpBumpsTheSharedVersionCounter() {
        Tensor base = f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor view = base.view(3, 2);
        Tensor row = base.select(0, 1);
        long start = base.version();
        assertSame(base, base.add_(1));
        assertEquals(start + 1, base.version());
        assertEquals(start + 1, view.version(), "views share the version counter");
        row.mul_(2);
        assertEquals(start + 2, base.version());
        view.sub_(f32(1, 1));
        view.div_(2);
        base.fill_(3);
        base.zero_();
        base.copy_(f32(1, 2, 3));
        base.clamp_(0, 2);
        base.maskedFill_(bools(true, false, false), 9);
        base.relu_();
        base.exp_();
        base.neg_();
        base.abs_();
        base.log_();
        base.sqrt_();
        base.sigmoid_();
        base.tanh_();
        base.pow_(2);
        base.uniform_(0, 1);
        base.normal_(0, 1);
        assertEquals(start + 20, base.version());
        assertEquals(start + 20, row.version());
    }

    @Test
    void inPlaceOpsComputeTheRightValues() {
        Tensor x = f64(1, 4, 9);
        x.sqrt_().add_(1).mul_(f64(2, 2, 2)).sub_(1.5).div_(f64(1, 2, 4));
        assertExactly(new double[] {2.5, 2.25, 1.625}, x);
        Tensor ints = i64(-3, 4);
        ints.add_(2).mul_(3).neg_().abs_();
        assertLongs(new long[] {3, 18}, ints);
        Tensor t = f32(-1, 0.5, 2);
        t.clamp_(0, 1);
        assertExactly(new double[] {0, 0.5, 1}, t);
        t.maskedFill_(bools(false, true, false), 7);
        assertExactly(new double[] {0, 7, 1}, t);
        // an in-place op on a view writes through to the base
        Tensor base = range64(2, 3);
        base.t().select(0, 1).mul_(10);
        assertExactly(new double[] {0, 10, 2, 3, 40, 5}, base);
        // x.add_(x): the operand is the output itself
        Tensor same = f32(1, 2);
        same.add_(same);
        assertExactly(new double[] {2, 4}, same);
    }

    @Test
    void addInPlaceBroadcastsTheOtherOperand() {
        Tensor m = zeros(DType.FLOAT32, 2, 3);
        m.add_(f32(1, 2, 3));
        m.add_(f32(new float[] {10, 20}, 2, 1));
        m.add_(scalarOf(DType.FLOAT64, 100));
        assertExactly(new double[] {111, 112, 113, 121, 122, 123}, m);
        assertDType(DType.FLOAT32, m);
    }

    @Test
    void theOutputShapeCannotGrow() {
        Tensor v = f32(1, 2, 3);
        long version = v.version();
        assertThrowsMentioning(IllegalArgumentException.class, () -> v.add_(zeros(DType.FLOAT32, 2, 3)), "[3]", "[2, 3]");
        assertThrows(IllegalArgumentException.class, () -> v.mul_(f32(1, 2)));
        assertUnchanged(v, new double[] {1, 2, 3}, version);
    }

    @Test
    void writingAnExpandedViewIsRefused() {
        // torch.zeros(3, 1).expand(3, 4).add_(1) -> RuntimeError: unsupported operation: more than one
        // element of the written-to tensor refers to a single memory location
        Tensor base = f32(new float[] {1, 2, 3}, 3, 1);
        Tensor expanded = base.expand(3, 4);
        long version = base.version();
        assertThrowsMentioning(IllegalArgumentException.class, () -> expanded.add_(1), "single memory location");
        assertThrows(IllegalArgumentException.class, () -> expanded.mul_(f32(1, 2, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> expanded.relu_());
        assertThrows(IllegalArgumentException.class, () -> expanded.clamp_(0, 1));
        assertThrows(IllegalArgumentException.class, () -> expanded.maskedFill_(bools(true, true, true, true), 0));
        assertThrows(IllegalArgumentException.class, () -> expanded.scatter_(1, i64(new long[] {0, 0, 0}, 3, 1), f32(new float[] {5, 5, 5}, 3, 1)));
        assertUnchanged(base, new double[] {1, 2, 3}, version);
    }

    @Test
    void copyIntoAnExpandedViewIsRefused() {
        // torch.zeros(1).expand(3).copy_(torch.arange(3.)) -> RuntimeError: unsupported operation: more than
        // one element of the written-to tensor refers to a single memory location
        Tensor base = zeros(DType.FLOAT32, 1);
        Tensor expanded = base.expand(3);
        long version = base.version();
        assertThrows(IllegalArgumentException.class, () -> expanded.copy_(f32(0, 1, 2)));
        assertUnchanged(base, new double[] {0}, version);
    }

    @Test
    void fillingAnExpandedViewIsAllowed() {
        // PyTorch's fill_ skips the overlap check ("Fill is idempotent, so overlap is okay")
        Tensor base = zeros(DType.FLOAT32, 2, 1);
        base.expand(2, 3).fill_(4);
        assertExactly(new double[] {4, 4}, base);
    }

    @Test
    void floatResultsCannotBeWrittenIntoIntegers() {
        // torch.tensor([1, 2]).add_(1.5) -> RuntimeError: result type Float can't be cast to the desired output type Long
        Tensor ints = i64(1, 2);
        long version = ints.version();
        assertThrowsMentioning(IllegalArgumentException.class, () -> ints.add_(1.5), "float32", "int64");
        assertThrows(IllegalArgumentException.class, () -> ints.div_(2));
        assertThrows(IllegalArgumentException.class, () -> ints.mul_(f32(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ints.sqrt_());
        assertThrows(IllegalArgumentException.class, () -> ints.exp_());
        assertThrows(IllegalArgumentException.class, () -> ints.pow_(0.5));
        assertThrows(IllegalArgumentException.class, () -> ints.clamp_(0.5, 1.5));
        assertUnchanged(ints, new double[] {1, 2}, version);
        Tensor flags = bools(true, false);
        long flagVersion = flags.version();
        assertThrows(IllegalArgumentException.class, () -> flags.add_(1));
        assertThrows(IllegalArgumentException.class, () -> flags.add_(i32(1, 1)));
        assertUnchanged(flags, new double[] {1, 0}, flagVersion);
    }

    @Test
    void widerResultsOfTheSameKindAreCastIn() {
        // int32 += int64 and float32 += float64 keep the tensor's dtype
        Tensor ints = i32(1, 2);
        ints.add_(i64(10, 20));
        assertDType(DType.INT32, ints);
        assertLongs(new long[] {11, 22}, ints);
        Tensor floats = f32(1, 2);
        floats.mul_(f64(0.5, 0.25));
        assertDType(DType.FLOAT32, floats);
        assertExactly(new double[] {0.5, 0.5}, floats);
        Tensor half = typed(DType.FLOAT16, new double[] {1, 2});
        half.add_(f32(0.5, 0.5));
        assertDType(DType.FLOAT16, half);
        assertExactly(new double[] {1.5, 2.5}, half);
        // copy_ converts any dtype: floats are truncated toward zero into integers
        Tensor target = zeros(DType.INT32, 3);
        target.copy_(f64(1.9, -1.9, 7));
        assertLongs(new long[] {1, -1, 7}, target);
    }

    @Test
    void rejectedOpsLeaveNoTrace() {
        Tensor x = f32(new float[] {1, 2, 3, 4}, 2, 2);
        long version = x.version();
        Consumer<Runnable> refused = op -> assertThrows(RuntimeException.class, op::run);
        refused.accept(() -> x.add_(f32(1, 2, 3)));
        refused.accept(() -> x.maskedFill_(bools(true, false, true), 0));
        refused.accept(() -> x.maskedFill_(f32(1, 0), 0));
        refused.accept(() -> x.copy_(f32(1, 2, 3)));
        refused.accept(() -> x.scatter_(0, i64(new long[] {5, 0}, 1, 2), f32(new float[] {1, 1}, 1, 2)));
        refused.accept(() -> x.scatterAdd_(1, i64(new long[] {0, 1}, 1, 2), f64(new double[] {1, 1}, 1, 2)));
        assertUnchanged(x, new double[] {1, 2, 3, 4}, version);
        Tensor ints = i64(5, 6);
        long intVersion = ints.version();
        refused.accept(() -> ints.floorDivide(i64(0, 1)));
        assertUnchanged(ints, new double[] {5, 6}, intVersion);
    }

    @Test
    void aClosedTensorCannotBeWritten() {
        Tensor x = f32(1, 2);
        x.close();
        assertThrows(IllegalStateException.class, () -> x.add_(1));
        assertThrows(IllegalStateException.class, () -> x.fill_(0));
        assertThrows(IllegalStateException.class, () -> f32(1, 2).add_(x));
        assertTrue(x.isClosed());
    }

    private static void assertUnchanged(Tensor t, double[] values, long version) {
        assertExactly(values, t);
        assertEquals(version, t.version(), "a refused op must not bump the version");
    }
}
