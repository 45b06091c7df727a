package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Generator;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.ValuesAndIndices;
import org.junit.jupiter.api.Test;

/** Scopes, keep(), the live tensor and byte counters, views keeping memory alive, and closed tensors. */
abstract class MemoryCases extends KitArea {

    @Test
    void aScopeClosesWhatWasMadeInIt() {
        Tensor outside = f32(1, 2);
        Tensor made;
        Tensor view;
        try (TensorScope scope = Tensors.scope()) {
            made = outside.add(1);
            view = made.view(2, 1);
            assertTrue(scope.size() >= 2, "the scope will close at least the two tensors made in it");
            assertFalse(made.isClosed());
        }
        assertTrue(made.isClosed());
        assertTrue(view.isClosed());
        assertFalse(outside.isClosed());
        assertExactly(new double[] {1, 2}, outside);
    }

    @Test
    void keptTensorsOutliveTheirScope() {
        Tensor x = f32(1, 2);
        Tensor kept;
        Tensor dropped;
        try (TensorScope scope = Tensors.scope()) {
            Tensor product = x.mul(2);
            int before = scope.size();
            kept = scope.keep(product);
            assertEquals(before - 1, scope.size(), "a kept tensor is no longer the scope's to close");
            dropped = x.add(3);
        }
        assertFalse(kept.isClosed());
        assertTrue(dropped.isClosed());
        assertExactly(new double[] {2, 4}, kept);
        // a tensor kept by an inner scope belongs to the enclosing one
        Tensor handedOn;
        try (TensorScope outer = Tensors.scope()) {
            try (TensorScope inner = Tensors.scope()) {
                handedOn = inner.keep(x.neg());
            }
            assertFalse(handedOn.isClosed());
        }
        assertTrue(handedOn.isClosed());
    }

    @Test
    void scopesCloseInnermostFirst() {
        TensorScope outer = Tensors.scope();
        TensorScope inner = Tensors.scope();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        assertDoesNotThrow(outer::close, "closing twice does nothing");
    }

    @Test
    void liveCountersReturnToTheBaselineAfterAThousandStepsInScopes() {
        Tensor a = Tensors.randn(Shape.of(8, 8), DType.FLOAT32, device(), new Generator(11));
        Tensor w = Tensors.randn(Shape.of(8, 8), DType.FLOAT32, device(), new Generator(12));
        long tensors = Tensors.liveTensors();
        long bytes = Tensors.liveBytes(device());
        for (int step = 0; step < 1000; step++) {
            try (TensorScope scope = Tensors.scope()) {
                Tensor h = a.matmul(w).relu().add(1).mul(a.t());
                Tensor p = h.sum(1, false).softmax(0);
                try (ValuesAndIndices best = h.max(1, false)) {
                    best.indices().add(1);
                }
                Tensor picked = h.gather(1, Tensors.zeros(Shape.of(8, 1), DType.INT64, device()));
                p.mul_(2).add_(picked.squeeze(1));
                Tensors.cat(java.util.List.of(p, h.flatten()), 0).mean();
                if (step == 0) {
                    assertTrue(Tensors.liveTensors() > tensors, "the step's tensors are live inside the scope");
                    assertTrue(Tensors.liveBytes(device()) > bytes);
                }
            }
        }
        assertEquals(tensors, Tensors.liveTensors(), "live tensors after 1000 scoped steps");
        assertEquals(bytes, Tensors.liveBytes(device()), "live bytes on " + device() + " after 1000 scoped steps");
    }

    @Test
    void countersFollowHandlesAndMemory() {
        long tensors = Tensors.liveTensors();
        long bytes = Tensors.liveBytes(device());
        Tensor base = zeros(DType.FLOAT32, 1024);
        assertEquals(tensors + 1, Tensors.liveTensors());
        assertTrue(Tensors.liveBytes(device()) >= bytes + 4096, "4 KiB of floats are live");
        long withBase = Tensors.liveBytes(device());
        Tensor view = base.view(32, 32);
        assertEquals(tensors + 2, Tensors.liveTensors());
        assertEquals(withBase, Tensors.liveBytes(device()), "a view allocates nothing");
        base.close();
        assertEquals(tensors + 1, Tensors.liveTensors());
        assertEquals(withBase, Tensors.liveBytes(device()), "the view keeps the memory alive");
        try (Tensor sum = view.sum()) {
            assertEquals(0.0, sum.item(), "the view is still readable");
        }
        view.close();
        assertEquals(tensors, Tensors.liveTensors());
        assertEquals(bytes, Tensors.liveBytes(device()));
    }

    @Test
    void aClosedTensorCannotBeUsed() {
        Tensor t = f32(1, 2);
        Tensor other = f32(3, 4);
        t.close();
        assertTrue(t.isClosed());
        assertThrowsMentioning(IllegalStateException.class, t::sum, "closed");
        assertThrows(IllegalStateException.class, () -> t.add(1));
        assertThrows(IllegalStateException.class, () -> other.add(t));
        assertThrows(IllegalStateException.class, () -> t.view(2, 1));
        assertThrows(IllegalStateException.class, t::toFloatArray);
        assertThrows(IllegalStateException.class, () -> t.matmul(other));
        assertThrows(IllegalStateException.class, () -> Tensors.cat(java.util.List.of(other, t), 0));
        assertDoesNotThrow(t::close, "closing twice does nothing");
        assertExactly(new double[] {3, 4}, other);
    }

    @Test
    void opsRefusedWhileCheckingArgumentsLeaveNoLiveTensorsBehind() {
        Tensor a = f32(1, 2, 3);
        Tensor ints = i64(4, 5, 6);
        Tensor shortOne = f32(1, 2);
        Tensor doubles = f64(1, 2, 3);
        Tensor badIndex = i64(9);
        long tensors = Tensors.liveTensors();
        long bytes = Tensors.liveBytes(device());
        assertThrows(IllegalArgumentException.class, () -> a.add(shortOne));
        assertThrows(IllegalArgumentException.class, () -> a.matmul(doubles));
        assertThrows(IllegalArgumentException.class, () -> ints.add_(0.5));
        assertThrows(IndexOutOfBoundsException.class, () -> a.indexSelect(0, badIndex));
        assertThrows(IllegalArgumentException.class, () -> a.view(2, 2));
        assertEquals(tensors, Tensors.liveTensors(), "live tensors after refused ops");
        assertEquals(bytes, Tensors.liveBytes(device()), "live bytes after refused ops");
    }

    @Test
    void opsRefusedByTheKernelLeaveNoLiveTensorsBehind() {
        // integer division by zero and an integer to a negative power fail inside the kernel; the output
        // the op had allocated must not stay live (PyTorch frees it with the exception)
        Tensor ints = i64(4, 5, 6);
        Tensor zero = i64(0, 0, 0);
        long tensors = Tensors.liveTensors();
        long bytes = Tensors.liveBytes(device());
        assertThrows(RuntimeException.class, () -> ints.floorDivide(zero));
        assertThrows(RuntimeException.class, () -> ints.remainder(zero));
        assertThrows(RuntimeException.class, () -> ints.pow(-2));
        assertEquals(tensors, Tensors.liveTensors(), "live tensors after ops that failed in the kernel");
        assertEquals(bytes, Tensors.liveBytes(device()), "live bytes after ops that failed in the kernel");
    }

    @Test
    void closingValuesAndIndicesClosesBoth() {
        ValuesAndIndices max = f32(new float[] {1, 2, 3, 4}, 2, 2).max(1, false);
        max.close();
        assertTrue(max.values().isClosed());
        assertTrue(max.indices().isClosed());
    }
}
