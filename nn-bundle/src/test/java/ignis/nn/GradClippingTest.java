package ignis.nn;

import static ignis.nn.NnTesting.assertClose;
import static ignis.nn.NnTesting.leaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** clipGradNorm_ and clipGradValue_ on gradients set by a backward pass. */
class GradClippingTest {

    /** Leaves whose gradients are {3, -4} and {12}: 2-norm 13, 1-norm 19, inf-norm 12. */
    private static List<Tensor> withGradients() {
        Tensor a = leaf(new double[] {0, 0}, 2);
        Tensor b = leaf(new double[] {0}, 1);
        Tensor c = leaf(new double[] {0}, 1); // never used: no gradient, skipped
        a.mul(Tensors.of(new double[] {3, -4})).sum().add(b.mul(12.0).sum()).backward();
        return List.of(a, b, c);
    }

    @Test
    void clipsTheTotalTwoNorm() {
        try (var scope = Tensors.scope()) {
            List<Tensor> params = withGradients();
            assertEquals(13, GradClipping.clipGradNorm_(params, 6.5), 1e-12);
            double scale = 6.5 / (13 + 1e-6);
            assertClose(new double[] {3 * scale, -4 * scale}, params.get(0).grad(), 1e-12);
            assertClose(new double[] {12 * scale}, params.get(1).grad(), 1e-12);
            assertClose(6.5, GradClipping.clipGradNorm_(params, 100), 1e-6); // below the limit: unchanged
            assertClose(new double[] {12 * scale}, params.get(1).grad(), 1e-12);
        }
    }

    @Test
    void otherNorms() {
        try (var scope = Tensors.scope()) {
            List<Tensor> params = withGradients();
            assertEquals(12, GradClipping.clipGradNorm_(params, 6, Double.POSITIVE_INFINITY), 1e-12);
            assertClose(new double[] {3 * 6 / (12 + 1e-6), -4 * 6 / (12 + 1e-6)}, params.get(0).grad(), 1e-12);
            List<Tensor> again = withGradients();
            assertEquals(19, GradClipping.clipGradNorm_(again, 100, 1), 1e-12);
            assertEquals(Math.pow(27 + 64 + 1728, 1 / 3.0), GradClipping.clipGradNorm_(withGradients(), 100, 3), 1e-12);
        }
    }

    @Test
    void clipsValuesAndRefusesNonFiniteNormsWhenAsked() {
        try (var scope = Tensors.scope()) {
            List<Tensor> params = withGradients();
            GradClipping.clipGradValue_(params, 3.5);
            assertClose(new double[] {3, -3.5}, params.get(0).grad(), 0);
            assertClose(new double[] {3.5}, params.get(1).grad(), 0);
            Tensor x = leaf(new double[] {0}, 1);
            x.mul(Double.POSITIVE_INFINITY).sum().backward();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> GradClipping.clipGradNorm_(List.of(x), 1, 2, true));
            assertEquals(true, e.getMessage().contains("Infinity"), e.getMessage());
            assertEquals(0, GradClipping.clipGradNorm_(List.of(), 1), "no gradients: norm 0");
        }
    }
}
