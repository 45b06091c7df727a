package ignis.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-worked cases: micrograd's example and PyTorch's documented behaviours. */
class BackwardSmokeTest {

    @Test
    void microgradExample() {
        // a = -4, b = 2; c = a + b; d = a * b + b^3; e = c - d; f = e^2; g = f / 2; g.backward()
        // dg/da = e * (1 - b) = (c - d) * (1 - b) = (-2 - 0) * -1 = 2... computed below by hand.
        try (var scope = Tensors.scope()) {
            Tensor a = Tensors.of(new double[] {-4}).requiresGrad_(true);
            Tensor b = Tensors.of(new double[] {2}).requiresGrad_(true);
            Tensor c = a.add(b);                  // -2
            Tensor d = a.mul(b).add(b.pow(3.0));  // -8 + 8 = 0
            Tensor e = c.sub(d);                  // -2
            Tensor f = e.mul(e);                  // 4
            Tensor g = f.div(2.0).sum();          // 2
            g.backward();
            // dg/de = e = -2; de/da = 1 - b = -1; de/db = 1 - (a + 3 b^2) = 1 - (-4 + 12) = -7
            assertArrayEquals(new double[] {2}, a.grad().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {14}, b.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void gradientsAccumulateAcrossBackwardPasses() {
        Tensor x = Tensors.of(new double[] {1, 2, 3}).requiresGrad_(true);
        for (int i = 0; i < 2; i++) {
            try (var scope = Tensors.scope()) {
                x.mul(x).sum().backward();
            }
        }
        assertArrayEquals(new double[] {4, 8, 12}, x.grad().toDoubleArray(), 1e-12);
    }

    /**
     * PyTorch's engine casts each input's gradient to that input's dtype: a float16 or float32 leaf used
     * with a float64 operand (the op computing in the promoted type) gets a gradient of its own dtype.
     */
    @Test
    void aPromotedOperandsGradientHasTheOperandsDtype() {
        for (DType narrow : new DType[] {DType.FLOAT16, DType.BFLOAT16, DType.FLOAT32}) {
            try (var scope = Tensors.scope()) {
                Tensor x = Tensors.of(new double[] {1, 2, 3}).to(narrow).requiresGrad_(true);
                Tensor y = Tensors.of(new double[] {0.5, -1, 4}).requiresGrad_(true);
                x.mul(y).sum().backward();
                assertEquals(narrow, x.grad().dtype());
                assertEquals(DType.FLOAT64, y.grad().dtype());
                assertArrayEquals(new double[] {0.5, -1, 4}, x.grad().toDoubleArray(), 0);
                assertArrayEquals(new double[] {1, 2, 3}, y.grad().toDoubleArray(), 0);
            }
        }
    }

    /** PyTorch's layout contract: a weight used transposed (x @ w.T) gets a dense gradient, not a transposed view. */
    @Test
    void theGradientOfADenseLeafIsDense() {
        try (var scope = Tensors.scope()) {
            Tensor w = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}).reshape(2, 3).requiresGrad_(true);
            Tensor x = Tensors.of(new double[] {1, -1, 2}).reshape(1, 3);
            x.matmul(w.transpose(0, 1)).sum().backward();
            assertTrue(w.grad().isContiguous());
            // d/dw_ij of sum_j (x w^T)_j = x_j for each row i
            assertArrayEquals(new double[] {1, -1, 2, 1, -1, 2}, w.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void aSecondBackwardWithoutRetainGraphFailsClearly() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1, 2}).requiresGrad_(true);
            Tensor y = x.exp().sum();
            y.backward();
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        }
    }

    @Test
    void retainGraphAllowsASecondPass() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1, 2}).requiresGrad_(true);
            Tensor y = x.exp().sum();
            y.backward(null, true, false);
            y.backward();
            assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void secondDerivativeWithCreateGraph() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {0.5, 2}).requiresGrad_(true);
            Tensor y = x.pow(3.0).sum();
            List<Tensor> first = Autograd.grad(List.of(y), List.of(x), null, true, true, false); // 3 x^2
            assertArrayEquals(new double[] {0.75, 12}, first.getFirst().toDoubleArray(), 1e-12);
            List<Tensor> second = Autograd.grad(first.getFirst().sum(), List.of(x)); // 6 x
            assertArrayEquals(new double[] {3, 12}, second.getFirst().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void noGradRecordsNothing() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1}).requiresGrad_(true);
            try (GradMode.Scope off = GradMode.noGrad()) {
                Tensor y = x.mul(2.0);
                assertEquals(false, y.requiresGrad());
                try (GradMode.Scope on = GradMode.enableGrad()) {
                    assertEquals(true, x.mul(2.0).requiresGrad());
                }
            }
            assertEquals("tensor([2.], dtype=float64, grad_fn=<MulBackward>)", x.mul(2.0).toString());
        }
    }

    @Test
    void inPlaceChangeOfASavedTensorIsDetected() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1, 2}).requiresGrad_(true);
            Tensor h = x.mul(1.0);
            Tensor y = h.mul(h).sum();   // saves h
            try (GradMode.Scope off = GradMode.noGrad()) {
                h.add_(1.0);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
        }
    }

    @Test
    void inPlaceOnALeafThatRequiresGradIsRefused() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1}).requiresGrad_(true);
            assertThrows(IllegalStateException.class, () -> x.add_(1.0));
        }
    }

    @Test
    void inPlaceOnAGraphTensorIsRecorded() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {-1, 2}).requiresGrad_(true);
            Tensor h = x.mul(3.0);
            h.relu_();
            h.sum().backward();
            assertArrayEquals(new double[] {0, 3}, x.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void hooksSeeAndReplaceGradients() {
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1, 2}).requiresGrad_(true);
            x.registerHook(g -> g.mul(10.0));
            x.mul(x).sum().backward();
            assertArrayEquals(new double[] {20, 40}, x.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void customFunction() {
        Function cube = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... inputs) {
                ctx.saveForBackward(inputs[0]);
                return inputs[0].pow(3.0);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor gradOutput) {
                Tensor x = ctx.savedTensors().getFirst();
                return new Tensor[] {gradOutput.mul(x.mul(x).mul(3.0))};
            }
        };
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new double[] {1, 2}).requiresGrad_(true);
            cube.apply(x).sum().backward();
            assertArrayEquals(new double[] {3, 12}, x.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void gradcheckOfAComposite() {
        Tensor a = Tensors.randn(3, 4).to(DType.FLOAT64).requiresGrad_(true);
        Tensor b = Tensors.randn(4).to(DType.FLOAT64).requiresGrad_(true);
        GradCheck.check(t -> t[0].matmul(t[0].t()).add(t[1].sum()).tanh().softmax(1).log(), a, b);
    }

    @Test
    void trainingLoopKeepsMemoryFlat() {
        Tensor w = Tensors.randn(8, 4).requiresGrad_(true);
        Tensor x = Tensors.randn(16, 8);
        long tensors = 0;
        long bytes = 0;
        for (int step = 0; step < 10_000; step++) {
            try (var scope = Tensors.scope()) {
                Tensor loss = x.matmul(w).relu().logSoftmax(1).mean().neg();
                loss.backward();
                try (GradMode.Scope off = GradMode.noGrad()) {
                    w.sub_(w.grad().mul(0.01));
                    w.grad().zero_();
                }
            }
            if (step == 100) {
                tensors = Tensors.liveTensors();
                bytes = Tensors.liveBytes(ignis.tensor.Device.CPU);
            }
        }
        assertEquals(tensors, Tensors.liveTensors());
        assertEquals(bytes, Tensors.liveBytes(ignis.tensor.Device.CPU));
    }
}
