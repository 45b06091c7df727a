package ignis.autograd;

import static ignis.autograd.GradTesting.ANY;
import static ignis.autograd.GradTesting.constant;
import static ignis.autograd.GradTesting.gradgradcheck;
import static ignis.autograd.GradTesting.leaf;

import ignis.autograd.GradTesting.Layout;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gradcheck and gradgradcheck of matmul in every rank combination, with broadcast batch dimensions,
 * on contiguous, transposed, stepped and expanded (stride 0) operands.
 */
class MatmulGradCheckTest {

    static final long[][][] SHAPES = {
        {{4}, {4}},                 // dot
        {{3}, {3, 4}},              // vector @ matrix
        {{3, 4}, {4}},              // matrix @ vector
        {{3, 4}, {4, 2}},           // matrix @ matrix
        {{2, 3, 4}, {2, 4, 2}},     // batched
        {{2, 3, 4}, {4, 2}},        // batch broadcast on the right
        {{3, 4}, {2, 4, 2}},        // batch broadcast on the left
        {{2, 1, 3, 4}, {3, 4, 2}},  // 4D @ 3D, batch [2, 1] x [3]
        {{2, 3, 4}, {4}},           // batched @ vector
        {{4}, {2, 4, 3}},           // vector @ batched
        {{1, 3, 2}, {2, 2, 3}},     // batch of one broadcast to two
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (long[][] pair : SHAPES) {
            for (Layout layout : Layout.values()) {
                cases.add(Arguments.of(Shape.of(pair[0]), Shape.of(pair[1]), layout));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} @ {1} {2}")
    @MethodSource("cases")
    void matmul(Shape a, Shape b, Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(a.hashCode() * 31L + b.hashCode());
            Tensor x = leaf(rng, ANY, layout, a.toArray());
            Tensor y = leaf(rng, ANY, layout, b.toArray());
            GradCheck.check(t -> t[0].matmul(t[1]), x, y);
        }
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("shapes")
    void secondDerivative(Shape a, Shape b) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(a.hashCode() * 17L + b.hashCode());
            Tensor x = leaf(rng, ANY, Layout.TRANSPOSED, a.toArray());
            Tensor y = leaf(rng, ANY, Layout.CONTIGUOUS, b.toArray());
            gradgradcheck(t -> t[0].matmul(t[1]), x, y);
            // a product of the operands' first gradients with themselves: non-zero second derivatives of each
            gradgradcheck(t -> t[0].matmul(t[1]).pow(2.0), x, y);
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(SHAPES).map(pair -> Arguments.of(Shape.of(pair[0]), Shape.of(pair[1])));
    }

    /** Operands transposed by the caller (t(), transpose of a batch, permute), mixed layouts, one constant. */
    @Test
    void transposedOperands() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(9);
            Tensor a = leaf(rng, ANY, Layout.CONTIGUOUS, 4, 3);
            Tensor b = leaf(rng, ANY, Layout.STEPPED, 2, 4);
            GradCheck.check(t -> t[0].t().matmul(t[1].t()), a, b);
            Tensor c = leaf(rng, ANY, Layout.CONTIGUOUS, 2, 4, 3);
            Tensor d = leaf(rng, ANY, Layout.EXPANDED, 2, 2, 4);
            GradCheck.check(t -> t[0].transpose(1, 2).matmul(t[1].transpose(-1, -2)), c, d);
            Tensor e = leaf(rng, ANY, Layout.CONTIGUOUS, 3, 2, 4);
            GradCheck.check(t -> t[0].permute(1, 0, 2).matmul(t[1].transpose(0, 1)), e, leaf(rng, ANY, Layout.TRANSPOSED, 4, 2, 2));
            Tensor w = constant(rng, ANY, 4, 2);
            GradCheck.check(t -> t[0].matmul(w), leaf(rng, ANY, Layout.TRANSPOSED, 3, 4));
            GradCheck.check(t -> w.t().matmul(t[0]), leaf(rng, ANY, Layout.TRANSPOSED, 2, 4, 3));
            gradgradcheck(t -> t[0].t().matmul(t[1].t()).tanh(), a, b);
        }
    }

    /** x @ x: both gradients reach one tensor and add up, first and second order. */
    @Test
    void sameTensorOnBothSides() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(10), ANY, Layout.TRANSPOSED, 3, 3);
            GradCheck.check(t -> t[0].matmul(t[0]), x);
            gradgradcheck(t -> t[0].matmul(t[0].t()), x);
        }
    }
}
