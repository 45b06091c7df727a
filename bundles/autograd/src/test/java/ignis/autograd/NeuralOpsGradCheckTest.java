package ignis.autograd;

import static ignis.autograd.GradTesting.ANY;
import static ignis.autograd.GradTesting.gradgradcheck;
import static ignis.autograd.GradTesting.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.autograd.GradTesting.Layout;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gradcheck of conv2d (stride, padding, dilation, groups, with and without bias) and of max and average
 * pooling (padding, dilation, ceil mode, count_include_pad both ways), on contiguous, transposed (H and
 * W swapped in memory) and stepped inputs, with shapes small enough to keep the test fast.
 */
class NeuralOpsGradCheckTest {

    /** A convolution: the input's shape, the weight's, whether there is a bias, and the params. */
    record Conv(String name, long[] input, long[] weight, boolean bias, Conv2dParams params) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Conv> CONVS = List.of(
            new Conv("3x3 with bias", new long[] {2, 2, 4, 4}, new long[] {3, 2, 3, 3}, true, new Conv2dParams(1, 1, 0, 0, 1, 1, 1)),
            new Conv("3x3 stride 2 padding 1 with bias", new long[] {1, 2, 5, 5}, new long[] {2, 2, 3, 3}, true,
                    new Conv2dParams(2, 2, 1, 1, 1, 1, 1)),
            new Conv("2x2 dilation 2 padding 2 without bias", new long[] {1, 2, 5, 4}, new long[] {2, 2, 2, 2}, false,
                    new Conv2dParams(1, 1, 2, 2, 2, 2, 1)),
            new Conv("groups 2, stride (2, 1), padding (1, 0), with bias", new long[] {1, 4, 4, 4}, new long[] {4, 2, 3, 2}, true,
                    new Conv2dParams(2, 1, 1, 0, 1, 1, 2)),
            new Conv("depthwise (groups 3) 1x3 dilation (1, 2) without bias", new long[] {2, 3, 3, 5}, new long[] {3, 1, 1, 3}, false,
                    new Conv2dParams(1, 1, 0, 1, 1, 2, 3)),
            new Conv("1x1 stride 2 with bias", new long[] {1, 3, 4, 4}, new long[] {2, 3, 1, 1}, true, new Conv2dParams(2, 2, 0, 0, 1, 1, 1)));

    static final List<Layout> LAYOUTS = List.of(Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.STEPPED);

    static Stream<Arguments> convolutions() {
        List<Arguments> cases = new ArrayList<>();
        for (Conv conv : CONVS) {
            for (Layout layout : LAYOUTS) {
                cases.add(Arguments.of(conv, layout));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convolutions")
    void conv2d(Conv conv, Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(conv.name().hashCode());
            Tensor input = leaf(rng, ANY, layout, conv.input());
            Tensor weight = leaf(rng, ANY, layout, conv.weight());
            if (conv.bias()) {
                Tensor bias = leaf(rng, ANY, layout, conv.weight()[0]);
                GradCheck.check(t -> NeuralOps.conv2d(t[0], t[1], t[2], conv.params()), input, weight, bias);
            } else {
                GradCheck.check(t -> NeuralOps.conv2d(t[0], t[1], null, conv.params()), input, weight);
            }
        }
    }

    /** A pooling: the input's shape and the params (kernel, stride, padding, dilation, ceil mode, count_include_pad). */
    record Pool(String name, long[] input, Pool2dParams params) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Pool> MAX_POOLS = List.of(
            new Pool("2x2 stride 2", new long[] {1, 2, 4, 4}, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true)),
            new Pool("3x3 stride 2 padding 1", new long[] {2, 1, 5, 5}, new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, false, true)),
            new Pool("2x2 stride 1 dilation 2", new long[] {1, 2, 5, 4}, new Pool2dParams(2, 2, 1, 1, 0, 0, 2, 2, false, true)),
            new Pool("3x2 stride (2, 1) padding (1, 0) ceil mode", new long[] {1, 2, 6, 5}, new Pool2dParams(3, 2, 2, 1, 1, 0, 1, 1, true, true)),
            new Pool("2x2 stride 2 ceil mode, odd size", new long[] {1, 2, 5, 5}, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, true, true)));

    static final List<Pool> AVG_POOLS = List.of(
            new Pool("2x2 stride 2", new long[] {1, 2, 4, 4}, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true)),
            new Pool("3x3 stride 2 padding 1 count_include_pad", new long[] {2, 1, 5, 5}, new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, false, true)),
            new Pool("3x3 stride 2 padding 1 without pad", new long[] {2, 1, 5, 5}, new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, false, false)),
            new Pool("3x3 stride 2 padding 1 ceil mode count_include_pad", new long[] {1, 2, 6, 6},
                    new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, true, true)),
            new Pool("3x3 stride 2 padding 1 ceil mode without pad", new long[] {1, 2, 6, 6},
                    new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, true, false)),
            new Pool("2x2 stride 2 ceil mode, odd size", new long[] {1, 2, 5, 5}, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, true, true)),
            new Pool("3x2 stride (1, 2) padding (1, 1)", new long[] {1, 1, 4, 5}, new Pool2dParams(3, 2, 1, 2, 1, 1, 1, 1, false, false)));

    static Stream<Arguments> maxPools() {
        return MAX_POOLS.stream().flatMap(p -> LAYOUTS.stream().map(layout -> Arguments.of(p, layout)));
    }

    static Stream<Arguments> avgPools() {
        return AVG_POOLS.stream().flatMap(p -> LAYOUTS.stream().map(layout -> Arguments.of(p, layout)));
    }

    /** Max pooling of distinct values, at least 0.05 apart, so that no window has a tie within gradcheck's step. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("maxPools")
    void maxPool2d(Pool pool, Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor input = distinct(new Random(pool.name().hashCode()), layout, pool.input());
            GradCheck.check(t -> NeuralOps.maxPool2d(t[0], pool.params()).values(), input);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("avgPools")
    void avgPool2d(Pool pool, Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor input = leaf(new Random(pool.name().hashCode()), ANY, layout, pool.input());
            GradCheck.check(t -> NeuralOps.avgPool2d(t[0], pool.params()), input);
        }
    }

    /** Not required by the issue: the gradients of conv2d are themselves differentiable (gradient penalties need them). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallConvolutions")
    void conv2dSecondDerivative(Conv conv) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(conv.name().hashCode());
            Tensor input = leaf(rng, ANY, Layout.TRANSPOSED, conv.input());
            Tensor weight = leaf(rng, ANY, Layout.CONTIGUOUS, conv.weight());
            Tensor bias = leaf(rng, ANY, Layout.CONTIGUOUS, conv.weight()[0]);
            gradgradcheck(t -> NeuralOps.conv2d(t[0], t[1], t[2], conv.params()), input, weight, bias);
            // squared, so that the second derivative in the input and in the weight alone is not zero
            gradgradcheck(t -> NeuralOps.conv2d(t[0], t[1], null, conv.params()).pow(2.0), input, weight);
        }
    }

    static Stream<Arguments> smallConvolutions() {
        return Stream.of(
                new Conv("3x3 stride 2 padding 1", new long[] {1, 2, 4, 4}, new long[] {2, 2, 3, 3}, true, new Conv2dParams(2, 2, 1, 1, 1, 1, 1)),
                new Conv("2x2 dilation 2 groups 2", new long[] {1, 2, 4, 4}, new long[] {2, 1, 2, 2}, true, new Conv2dParams(1, 1, 1, 1, 2, 2, 2)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallPools")
    void poolingSecondDerivative(Pool pool) {
        try (var scope = Tensors.scope()) {
            Tensor input = distinct(new Random(pool.name().hashCode()), Layout.TRANSPOSED, pool.input());
            gradgradcheck(t -> NeuralOps.avgPool2d(t[0], pool.params()).pow(2.0), input);
            gradgradcheck(t -> NeuralOps.maxPool2d(t[0], pool.params()).values().pow(2.0), input);
        }
    }

    static Stream<Arguments> smallPools() {
        return Stream.of(
                new Pool("2x2 stride 2", new long[] {1, 2, 4, 4}, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true)),
                new Pool("3x3 stride 2 padding 1 ceil mode without pad", new long[] {1, 1, 5, 5}, new Pool2dParams(3, 3, 2, 2, 1, 1, 1, 1, true, false)))
                .map(Arguments::of);
    }

    /**
     * A small network of many ops, differentiated twice: its gradient with respect to both the input
     * and the weights, as a gradient penalty needs it (gradgradcheck); and backward(createGraph) leaves
     * in grad() first gradients that differentiate to the same values as those of {@link Autograd#grad}.
     */
    @Test
    void secondDerivativeOfASmallNetwork() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(21);
            Tensor input = distinct(rng, Layout.CONTIGUOUS, new long[] {1, 2, 6, 6});
            Tensor weight = leaf(rng, ANY, Layout.CONTIGUOUS, 2, 2, 3, 3);
            Function<Tensor[], Tensor> net = t -> {
                Tensor conv = NeuralOps.conv2d(t[0], t[1], null, new Conv2dParams(1, 1, 1, 1, 1, 1, 1)).tanh();
                Tensor pooled = NeuralOps.maxPool2d(conv, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true)).values();
                Tensor averaged = NeuralOps.avgPool2d(pooled.exp(), new Pool2dParams(3, 3, 1, 1, 1, 1, 1, 1, false, false));
                return averaged.flatten(1, -1).narrow(1, 2, 12).logSoftmax(1).mul(pooled.flatten().narrow(0, 0, 12).sigmoid()).sum();
            };
            gradgradcheck(net, input, weight);

            List<Tensor> both = List.of(input, weight);
            List<Tensor> first = Autograd.grad(List.of(net.apply(new Tensor[] {input, weight})), both, null, true, true, false);
            List<Tensor> expected = Autograd.grad(first.get(0).pow(2.0).sum().add(first.get(1).pow(2.0).sum()), both);
            net.apply(new Tensor[] {input, weight}).backward(null, true, true);
            assertTrue(input.grad().requiresGrad() && weight.grad().requiresGrad());
            List<Tensor> actual = Autograd.grad(input.grad().pow(2.0).sum().add(weight.grad().pow(2.0).sum()), both);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(expected.get(i).toDoubleArray(), actual.get(i).toDoubleArray(), 1e-12);
            }
        }
    }

    /** A leaf of the given layout whose elements are a shuffled 0.05-spaced grid (plus a little noise): no two are equal. */
    private static Tensor distinct(Random rng, Layout layout, long[] shape) {
        Tensor leaf = leaf(rng, ANY, layout, shape);
        int n = Math.toIntExact(Shape.of(shape).numel());
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(-1 + 0.05 * i + 0.01 * rng.nextDouble());
        }
        Collections.shuffle(values, rng);
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        try (GradMode.Scope off = GradMode.noGrad(); Tensor source = Tensors.of(array, shape)) {
            leaf.detach().copy_(source);
        }
        return leaf;
    }

    /** The fused cross-entropy's gradient and, through the recorded backward pass, its own, dense and transposed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void crossEntropy(Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor logits = leaf(new Random(31), ANY, layout, 5, 7);
            Tensor target = Tensors.of(new long[] {6, 0, 3, 3, 1});
            GradCheck.check(t -> NeuralOps.crossEntropy(t[0], target, 0.2), logits);
            gradgradcheck(t -> NeuralOps.crossEntropy(t[0], target, 0.2), logits);
        }
    }

    static Stream<Layout> layouts() {
        return LAYOUTS.stream();
    }
}
