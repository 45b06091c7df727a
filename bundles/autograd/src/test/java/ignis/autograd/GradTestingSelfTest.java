package ignis.autograd;

import static ignis.autograd.GradTesting.ANY;
import static ignis.autograd.GradTesting.gradgradcheck;
import static ignis.autograd.GradTesting.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.autograd.GradTesting.Layout;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The test helpers do what the gradcheck tests rely on: the layouts are what they say, and the checks catch wrong derivatives. */
class GradTestingSelfTest {

    @Test
    void layoutsAreWhatTheySay() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(1);
            Tensor contiguous = leaf(rng, ANY, Layout.CONTIGUOUS, 2, 3, 4);
            assertTrue(contiguous.isContiguous());
            Tensor transposed = leaf(rng, ANY, Layout.TRANSPOSED, 2, 3, 4);
            assertFalse(transposed.isContiguous());
            assertArrayEquals(new long[] {12, 1, 3}, transposed.stride());
            Tensor stepped = leaf(rng, ANY, Layout.STEPPED, 2, 3, 4);
            assertFalse(stepped.isContiguous());
            assertEquals(2, stepped.stride(2));
            assertEquals(1, stepped.storageOffset());
            Tensor expanded = leaf(rng, ANY, Layout.EXPANDED, 2, 3, 4);
            assertEquals(0, expanded.stride(0));
            for (Tensor t : new Tensor[] {contiguous, transposed, stepped, expanded}) {
                assertArrayEquals(new long[] {2, 3, 4}, t.shape().toArray());
                assertTrue(t.requiresGrad() && t.isLeaf());
            }
            assertEquals(0, leaf(rng, ANY, Layout.STEPPED).dim());
        }
    }

    @Test
    void gradcheckCatchesAWrongFirstDerivative() {
        Function wrong = cube(false, 3.01);
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(2), ANY, Layout.TRANSPOSED, 2, 3);
            GradCheck.check(t -> cube(false, 3).apply(t[0]), x);
            assertThrows(AssertionError.class, () -> GradCheck.check(t -> wrong.apply(t[0]), x));
        }
    }

    /** A backward that is right to first order but computed from a detached input loses the second derivative. */
    @Test
    void gradgradcheckCatchesALostSecondDerivative() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(3), ANY, Layout.STEPPED, 2, 3);
            GradCheck.check(t -> cube(true, 3).apply(t[0]), x);
            gradgradcheck(t -> cube(false, 3).apply(t[0]), x);
            assertThrows(AssertionError.class, () -> gradgradcheck(t -> cube(true, 3).apply(t[0]), x));
        }
    }

    /** x^3 as a custom function whose backward is {@code factor * x^2 * g}, from x or from a detached x. */
    private static Function cube(boolean detached, double factor) {
        return new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... inputs) {
                ctx.saveForBackward(inputs[0]);
                return inputs[0].pow(3.0);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor gradOutput) {
                Tensor x = ctx.savedTensors().getFirst();
                Tensor base = detached ? x.detach() : x;
                return new Tensor[] {gradOutput.mul(base.mul(base).mul(factor))};
            }
        };
    }
}
