package ignis.autograd;

import static ignis.autograd.GradTesting.ANY;
import static ignis.autograd.GradTesting.between;
import static ignis.autograd.GradTesting.constant;
import static ignis.autograd.GradTesting.gradgradcheck;
import static ignis.autograd.GradTesting.index;
import static ignis.autograd.GradTesting.leaf;
import static ignis.autograd.GradTesting.mask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ignis.autograd.GradTesting.Layout;
import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gradcheck of the views (which route each gradient element to one place: the fixed weights of
 * gradcheck catch any misplacement), the copies and dtype changes, and the indexing ops, on
 * contiguous, transposed, stepped and expanded inputs of shape [2, 3, 4].
 */
class ViewAndIndexingGradCheckTest {

    record Case(String name, long[] shape, Function<Tensor, Tensor> f) {
        Case(String name, Function<Tensor, Tensor> f) {
            this(name, new long[] {2, 3, 4}, f);
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    static List<Case> viewCases() {
        return List.of(
                new Case("contiguous().view(6, 4)", x -> x.contiguous().view(6, 4)),
                new Case("contiguous().view(-1)", x -> x.contiguous().view(-1)),
                new Case("reshape(4, 6)", x -> x.reshape(4, 6)),
                new Case("reshape(-1, 2)", x -> x.reshape(-1, 2)),
                new Case("flatten()", Tensor::flatten),
                new Case("flatten(1, 2)", x -> x.flatten(1, 2)),
                new Case("flatten(0, 1)", x -> x.flatten(0, 1)),
                new Case("unsqueeze(0)", x -> x.unsqueeze(0)),
                new Case("unsqueeze(-1)", x -> x.unsqueeze(-1)),
                new Case("unsqueeze(1).squeeze(1)", x -> x.unsqueeze(1).squeeze(1)),
                new Case("squeeze()", new long[] {2, 1, 4, 1}, Tensor::squeeze),
                new Case("squeeze(1)", new long[] {2, 1, 4}, x -> x.squeeze(1)),
                new Case("squeeze(-1) of a size 4 dim", x -> x.squeeze(-1)),
                new Case("transpose(0, 2)", x -> x.transpose(0, 2)),
                new Case("transpose(-1, -2)", x -> x.transpose(-1, -2)),
                new Case("t()", new long[] {3, 4}, Tensor::t),
                new Case("t() of a vector", new long[] {4}, Tensor::t),
                new Case("permute(2, 0, 1)", x -> x.permute(2, 0, 1)),
                new Case("permute(-1, 0, 1)", x -> x.permute(-1, 0, 1)),
                new Case("narrow(1, 1, 2)", x -> x.narrow(1, 1, 2)),
                new Case("narrow(2, -3, 2)", x -> x.narrow(2, -3, 2)),
                new Case("slice(2, 0, 4, 2)", x -> x.slice(2, 0, 4, 2)),
                new Case("slice(2, 1, 4, 2)", x -> x.slice(2, 1, 4, 2)),
                new Case("slice(2, -3, -1, 1)", x -> x.slice(2, -3, -1, 1)),
                new Case("slice(1, -2, 100, 1)", x -> x.slice(1, -2, 100, 1)),
                new Case("slice(-1, -4, 4, 3)", x -> x.slice(-1, -4, 4, 3)),
                new Case("slice(0, 0, 2, 3)", x -> x.slice(0, 0, 2, 3)),
                new Case("select(1, -1)", x -> x.select(1, -1)),
                new Case("select(0, 1)", x -> x.select(0, 1)),
                new Case("select(-1, -2)", x -> x.select(-1, -2)),
                new Case("select(0, -1) of a vector", new long[] {4}, x -> x.select(0, -1)),
                new Case("expand(2, 3, 4)", new long[] {3, 1}, x -> x.expand(2, 3, 4)),
                new Case("expand(-1, 4)", new long[] {3, 1}, x -> x.expand(-1, 4)),
                new Case("expandAs", new long[] {4}, x -> x.expandAs(Tensors.zeros(3, 4))),
                new Case("contiguous()", Tensor::contiguous),
                new Case("clone()", Tensor::clone),
                new Case("to(FLOAT64)", x -> x.to(DType.FLOAT64)),
                new Case("transpose(0, 1).reshape(-1)", x -> x.transpose(0, 1).reshape(-1)),
                new Case("chained views", x -> x.permute(1, 2, 0).narrow(0, 1, 2).select(1, -1).unsqueeze(0).expand(3, 2, 2)),
                new Case("split(2, 2) combined", x -> {
                    List<Tensor> parts = x.split(2, 2);
                    return Tensors.cat(List.of(parts.get(1).mul(2.0), parts.get(0)), 1);
                }),
                new Case("split({1, 3}, -1) combined", x -> {
                    List<Tensor> parts = x.split(new long[] {1, 3}, -1);
                    return parts.get(0).mul(parts.get(1));
                }),
                new Case("chunk(3, 1) combined", x -> {
                    List<Tensor> parts = x.chunk(3, 1);
                    return parts.get(0).add(parts.get(1).mul(3.0)).sub(parts.get(2).exp());
                }),
                new Case("chunk(3, 2) uneven, flattened and joined", x -> {
                    List<Tensor> parts = x.chunk(3, 2);
                    return Tensors.cat(parts.stream().map(p -> p.mul(p).reshape(-1)).toList(), 0);
                }));
    }

    static Stream<Arguments> views() {
        return viewCases().stream().flatMap(c -> Arrays.stream(Layout.values())
                .filter(layout -> layout == Layout.CONTIGUOUS || !c.name().startsWith("contiguous().view"))
                .map(layout -> Arguments.of(c, layout)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("views")
    void view(Case c, Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(c.name().hashCode()), ANY, layout, c.shape());
            GradCheck.check(t -> c.f().apply(t[0]), x);
        }
    }

    /** view() itself needs no copy on a contiguous input; reshape of a strided one copies; both must route the gradient. */
    @Test
    void viewOfAContiguousLeaf() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(1), ANY, Layout.CONTIGUOUS, 2, 3, 4);
            GradCheck.check(t -> t[0].view(4, 3, 2), x);
            GradCheck.check(t -> t[0].view(-1, 4).t(), x);
        }
    }

    /**
     * A round trip through float32. The rounding to float32 would swamp central differences of step 1e-6
     * at magnitudes near 1 (ulp 1.2e-7), so the values are kept in [1e-4, 1e-3], where an ulp is below 1.2e-10.
     */
    @Test
    void toFloat32AndBack() {
        for (Layout layout : Layout.values()) {
            try (var scope = Tensors.scope()) {
                Tensor x = leaf(new Random(2), between(1e-4, 1e-3), layout, 3, 4);
                GradCheck.check(t -> t[0].to(DType.FLOAT32).to(DType.FLOAT64), x);
                GradCheck.check(t -> t[0].to(DType.FLOAT32).mul(2.0).t().to(DType.FLOAT64), x);
            }
        }
    }

    static Stream<Case> secondOrderViewCases() {
        return Stream.of(
                new Case("permute(1, 0).reshape(-1)", x -> x.permute(1, 0).reshape(-1)),
                new Case("narrow(1, 1, 2)", x -> x.narrow(1, 1, 2)),
                new Case("narrow(0, -2, 2)", x -> x.narrow(0, -2, 2)),
                new Case("slice(1, 0, 4, 2)", x -> x.slice(1, 0, 4, 2)),
                new Case("slice(1, -3, 100, 2)", x -> x.slice(1, -3, 100, 2)),
                new Case("select(0, -1)", x -> x.select(0, -1)),
                new Case("select(1, 2)", x -> x.select(1, 2)),
                new Case("unsqueeze(0).expand(2, 3, 4)", x -> x.unsqueeze(0).expand(2, 3, 4)),
                new Case("clone()", Tensor::clone),
                new Case("chunk(2, 1) combined", x -> {
                    List<Tensor> parts = x.chunk(2, 1);
                    return parts.get(0).mul(parts.get(1));
                }));
    }

    /**
     * Not required by the issue: the derivatives of views are recorded too, so a second derivative goes
     * through them (of the view cubed, so that it is not zero).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrderViewCases")
    void secondDerivativeThroughAView(Case c) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(3), ANY, Layout.TRANSPOSED, 3, 4);
            gradgradcheck(t -> c.f().apply(t[0]).pow(3.0), x);
        }
    }

    // ---- indexing -----------------------------------------------------------------------------

    static Stream<Arguments> layouts() {
        return Arrays.stream(Layout.values()).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void indexSelect(Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(4), ANY, layout, 3, 4);
            GradCheck.check(t -> t[0].indexSelect(0, index(new long[] {2, 0, 2}, 3)), x);
            GradCheck.check(t -> t[0].indexSelect(1, index(new long[] {3, 1, 1, 0, 3}, 5)), x);
            GradCheck.check(t -> t[0].indexSelect(-1, index(new long[] {2}, 1)), x);
            Tensor cube = leaf(new Random(5), ANY, layout, 2, 3, 2);
            GradCheck.check(t -> t[0].indexSelect(1, index(new long[] {1, 1, 0, 2}, 4)), cube);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void gather(Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(6), ANY, layout, 3, 4);
            GradCheck.check(t -> t[0].gather(1, index(new long[] {0, 3, 3, 1, 2, 2}, 3, 2)), x);
            GradCheck.check(t -> t[0].gather(0, index(new long[] {2, 0, 1, 2, 0, 0, 2, 1}, 2, 4)), x);
            GradCheck.check(t -> t[0].gather(-1, index(new long[] {1, 1, 1}, 3, 1)), x);
        }
    }

    /** scatter: the tensor's gradient is cleared where src was written; src gets it back from those places. */
    @ParameterizedTest
    @MethodSource("layouts")
    void scatterToSelfAndSrc(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(7);
            Tensor x = leaf(rng, ANY, layout, 3, 4);
            Tensor src = leaf(rng, ANY, layout, 3, 2);
            Tensor rowIndex = index(new long[] {3, 0, 1, 2, 0, 3}, 3, 2);    // distinct within each row
            GradCheck.check(t -> t[0].scatter(1, rowIndex, t[1]), x, src);
            Tensor wide = leaf(rng, ANY, layout, 3, 5);                      // src larger than the index
            GradCheck.check(t -> t[0].scatter(1, rowIndex, t[1]), x, wide);
            Tensor columnIndex = index(new long[] {2, 0, 1, 1}, 1, 4);      // one row of targets, along dim 0
            GradCheck.check(t -> t[0].scatter(0, columnIndex, t[1]), x, leaf(rng, ANY, layout, 2, 4));
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void scatterAddToSelfAndSrc(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(8);
            Tensor x = leaf(rng, ANY, layout, 3, 4);
            Tensor src = leaf(rng, ANY, layout, 3, 3);
            Tensor repeated = index(new long[] {1, 1, 1, 0, 3, 0, 2, 2, 3}, 3, 3);
            GradCheck.check(t -> t[0].scatterAdd(1, repeated, t[1]), x, src);
            GradCheck.check(t -> t[0].scatterAdd(0, index(new long[] {2, 2, 0, 1, 0, 0, 1, 1}, 2, 4), t[1]), x,
                    leaf(rng, ANY, layout, 2, 4));
            Tensor larger = leaf(rng, ANY, layout, 4, 4);
            GradCheck.check(t -> t[0].scatterAdd(1, repeated, t[1]), x, larger);
        }
    }

    @Test
    void scatterWithOnlyOneSideRequiringGrad() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(9);
            Tensor rowIndex = index(new long[] {3, 0, 1, 2, 0, 3}, 3, 2);
            Tensor constantSelf = constant(rng, ANY, 3, 4);
            Tensor constantSrc = constant(rng, ANY, 3, 2);
            GradCheck.check(t -> constantSelf.scatter(1, rowIndex, t[0]), leaf(rng, ANY, Layout.TRANSPOSED, 3, 2));
            GradCheck.check(t -> t[0].scatter(1, rowIndex, constantSrc), leaf(rng, ANY, Layout.TRANSPOSED, 3, 4));
            GradCheck.check(t -> constantSelf.scatterAdd(1, rowIndex, t[0]), leaf(rng, ANY, Layout.STEPPED, 3, 2));
        }
    }

    /** Hand-worked: scatter overwrites x[0][3], x[0][0], x[1][1], x[1][2] with src; their gradient goes to src instead. */
    @Test
    void scatterGradientsByHand() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new double[8], 2, 4);
            Tensor src = leaf(new double[4], 2, 2);
            Tensor idx = index(new long[] {3, 0, 1, 2}, 2, 2);
            Tensor weights = Tensors.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
            List<Tensor> grads = Autograd.grad(x.scatter(1, idx, src).mul(weights).sum(), List.of(x, src));
            assertArrayEquals(new double[] {0, 2, 3, 0, 5, 0, 0, 8}, grads.get(0).toDoubleArray(), 0);
            assertArrayEquals(new double[] {4, 1, 6, 7}, grads.get(1).toDoubleArray(), 0);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void maskedSelect(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(10);
            Tensor x = leaf(rng, ANY, layout, 3, 4);
            Tensor full = mask(rng, 3, 4);
            Tensor row = mask(rng, 4);
            GradCheck.check(t -> t[0].maskedSelect(full), x);
            GradCheck.check(t -> t[0].maskedSelect(row), x);
            Tensor narrow = leaf(rng, ANY, layout, 1, 4);                 // broadcast to the mask's shape
            GradCheck.check(t -> t[0].maskedSelect(full), narrow);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void cat(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(11);
            Tensor a = leaf(rng, ANY, layout, 2, 3);
            Tensor b = leaf(rng, ANY, layout, 1, 3);
            Tensor c = leaf(rng, ANY, layout, 3, 3);
            Tensor fixed = constant(rng, ANY, 2, 3);
            GradCheck.check(t -> Tensors.cat(List.of(t[0], fixed, t[1], t[2]), 0), a, b, c);
            Tensor d = leaf(rng, ANY, layout, 2, 1);
            Tensor e = leaf(rng, ANY, layout, 2, 4);
            GradCheck.check(t -> Tensors.cat(List.of(t[0], t[1], fixed, t[0]), -1), a, d, e);
            GradCheck.check(t -> Tensors.cat(List.of(fixed, t[0]), 1), e);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void stack(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(12);
            Tensor a = leaf(rng, ANY, layout, 2, 3);
            Tensor b = leaf(rng, ANY, layout, 2, 3);
            Tensor fixed = constant(rng, ANY, 2, 3);
            for (int dim : new int[] {0, 1, 2, -1}) {
                GradCheck.check(t -> Tensors.stack(List.of(t[0], fixed, t[1]), dim), a, b);
            }
        }
    }

    static Stream<Arguments> secondOrderIndexingCases() {
        Tensor selected = mask(new Random(14), 3, 4);
        Tensor rowIndex = index(new long[] {3, 0, 1, 2, 0, 3}, 3, 2);
        return Stream.of(
                Arguments.of("indexSelect", (Function<Tensor[], Tensor>) t -> t[0].indexSelect(1, index(new long[] {3, 1, 1}, 3)), 2),
                Arguments.of("gather", (Function<Tensor[], Tensor>) t -> t[0].gather(1, index(new long[] {0, 3, 3, 1, 2, 2}, 3, 2)), 2),
                Arguments.of("scatter", (Function<Tensor[], Tensor>) t -> t[0].scatter(1, rowIndex, t[1]), 2),
                Arguments.of("scatter, src larger than the index", (Function<Tensor[], Tensor>) t -> t[0].scatter(1, rowIndex, t[1]), 3),
                Arguments.of("scatterAdd", (Function<Tensor[], Tensor>) t -> t[0].scatterAdd(1, rowIndex, t[1]), 2),
                Arguments.of("maskedSelect", (Function<Tensor[], Tensor>) t -> t[0].maskedSelect(selected), 2),
                Arguments.of("cat", (Function<Tensor[], Tensor>) t -> Tensors.cat(List.of(t[0], t[1]), 1), 2),
                Arguments.of("stack", (Function<Tensor[], Tensor>) t -> Tensors.stack(List.of(t[0].narrow(1, 1, 2), t[1]), 0), 2));
    }

    /** Not required by the issue: the indexing ops' backward passes are recorded too, and differentiate again (of the result cubed). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrderIndexingCases")
    void secondDerivativeThroughIndexing(String name, Function<Tensor[], Tensor> f, long srcColumns) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(13);
            Tensor x = leaf(rng, ANY, Layout.TRANSPOSED, 3, 4);
            Tensor src = leaf(rng, ANY, Layout.CONTIGUOUS, 3, srcColumns);
            gradgradcheck(t -> f.apply(t).pow(3.0), x, src);
        }
    }
}
