package ignis.autograd;

import static ignis.autograd.GradTesting.ANY;
import static ignis.autograd.GradTesting.gradgradcheck;
import static ignis.autograd.GradTesting.gradientsOfSum;
import static ignis.autograd.GradTesting.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ignis.autograd.GradTesting.Layout;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.ValuesAndIndices;
import java.util.ArrayList;
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
 * gradcheck of the reductions and of softmax: over all dimensions, one, several, keepDim both ways,
 * on contiguous, transposed and stepped inputs of shape [2, 3, 4] (and expanded ones where repeated
 * values cannot tie). Ties of amax/amin are hand-worked against PyTorch's convention.
 */
class ReductionGradCheckTest {

    /** A named reduction; {@code tieFree} says that repeated input values (expanded layouts) cannot make it tie. */
    record Case(String name, boolean tieFree, Function<Tensor, Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final int[][] DIMS = {{1}, {-1}, {0, 2}, {2, 0}, {0, 1, 2}};

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("sum()", true, Tensor::sum));
        cases.add(new Case("mean()", true, Tensor::mean));
        cases.add(new Case("amax all", false, Tensor::max));
        cases.add(new Case("amin all", false, Tensor::min));
        cases.add(new Case("var()", true, Tensor::var));
        cases.add(new Case("std()", true, Tensor::std));
        for (int[] dims : DIMS) {
            for (boolean keep : new boolean[] {false, true}) {
                String at = Arrays.toString(dims) + (keep ? " keepDim" : "");
                cases.add(new Case("sum " + at, true, x -> x.sum(dims, keep)));
                cases.add(new Case("mean " + at, true, x -> x.mean(dims, keep)));
                cases.add(new Case("amax " + at, false, x -> x.amax(dims, keep)));
                cases.add(new Case("amin " + at, false, x -> x.amin(dims, keep)));
                for (double correction : new double[] {0, 1}) {
                    cases.add(new Case("var " + at + " correction " + correction, true, x -> x.var(dims, keep, correction)));
                    cases.add(new Case("std " + at + " correction " + correction, true, x -> x.std(dims, keep, correction)));
                }
            }
        }
        for (int dim : new int[] {0, 1, 2, -1}) {
            for (boolean keep : new boolean[] {false, true}) {
                String at = dim + (keep ? " keepDim" : "");
                cases.add(new Case("sum(" + at + ")", true, x -> x.sum(dim, keep)));
                cases.add(new Case("mean(" + at + ")", true, x -> x.mean(dim, keep)));
                cases.add(new Case("var(" + at + ")", true, x -> x.var(dim, keep)));
                cases.add(new Case("std(" + at + ")", true, x -> x.std(dim, keep)));
                cases.add(new Case("max(" + at + ") values", false, x -> x.max(dim, keep).values()));
                cases.add(new Case("min(" + at + ") values", false, x -> x.min(dim, keep).values()));
                cases.add(new Case("logsumexp(" + at + ")", true, x -> x.logsumexp(dim, keep)));
            }
            cases.add(new Case("softmax(" + dim + ")", true, x -> x.softmax(dim)));
            cases.add(new Case("logSoftmax(" + dim + ")", true, x -> x.logSoftmax(dim)));
        }
        return cases;
    }

    static Stream<Arguments> reductionCases() {
        return cases().stream().flatMap(c -> Arrays.stream(Layout.values())
                .filter(layout -> layout != Layout.EXPANDED || c.tieFree())
                .map(layout -> Arguments.of(c, layout)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("reductionCases")
    void reduction(Case c, Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(c.name().hashCode()), ANY, layout, 2, 3, 4);
            GradCheck.check(t -> c.f().apply(t[0]), x);
        }
    }

    /** The reductions of a rank-0 and of a rank-1 tensor. */
    @Test
    void smallRanks() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(3);
            Tensor scalar = leaf(rng, ANY, Layout.CONTIGUOUS);
            Tensor vector = leaf(rng, ANY, Layout.STEPPED, 5);
            for (Tensor x : new Tensor[] {scalar, vector}) {
                GradCheck.check(t -> t[0].sum(), x);
                GradCheck.check(t -> t[0].mean(), x);
                GradCheck.check(t -> t[0].amax(new int[] {0}, false), x);
                GradCheck.check(t -> t[0].max(0, true).values(), x);
                GradCheck.check(t -> t[0].logsumexp(0, false), x);
                GradCheck.check(t -> t[0].softmax(0), x);
                GradCheck.check(t -> t[0].logSoftmax(-1), x);
            }
            GradCheck.check(t -> t[0].var(), vector);
            GradCheck.check(t -> t[0].std(new int[] {0}, true, 0), vector);
        }
    }

    /** Composite uses of the reductions, as losses and normalisations use them. */
    @Test
    void composites() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(4);
            Tensor x = leaf(rng, ANY, Layout.TRANSPOSED, 3, 4);
            GradCheck.check(t -> t[0].sub(t[0].mean(1, true)).div(t[0].std(new int[] {1}, true, 0).add(1e-5)), x);
            GradCheck.check(t -> t[0].logSoftmax(1).mul(t[0].softmax(1)).sum(1, false).neg().mean(), x);
            GradCheck.check(t -> t[0].sub(t[0].amax(new int[] {1}, true)).exp().sum(1, false).log(), x);
        }
    }

    static Stream<Case> secondOrderCases() {
        return Stream.of(
                new Case("sum(1)^2", true, x -> x.sum(1, false).pow(2.0)),
                new Case("exp(mean({0, 1}, keepDim))", true, x -> x.mean(new int[] {0, 1}, true).exp()),
                new Case("var(1, keepDim)", true, x -> x.var(1, true)),
                new Case("std({0}, correction 0)", true, x -> x.std(new int[] {0}, false, 0)),
                new Case("logsumexp(1)", true, x -> x.logsumexp(1, false)),
                new Case("logsumexp(0, keepDim)", true, x -> x.logsumexp(0, true)),
                new Case("softmax(0)", true, x -> x.softmax(0)),
                new Case("softmax(-1)", true, x -> x.softmax(-1)),
                new Case("logSoftmax(1)", true, x -> x.logSoftmax(1)),
                new Case("logSoftmax(0)", true, x -> x.logSoftmax(0)),
                new Case("amax({1})^2", false, x -> x.amax(new int[] {1}, false).pow(2.0)),
                new Case("max(0) values^2", false, x -> x.max(0, false).values().pow(2.0)));
    }

    /** Not required by the issue, but cheap: the reductions' derivatives are recorded too, so they differentiate twice. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrderCases")
    void secondDerivative(Case c) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(6), ANY, Layout.TRANSPOSED, 3, 4);
            gradgradcheck(t -> c.f().apply(t[0]), x);
        }
    }

    // ---- ties, by hand ------------------------------------------------------------------------

    /** PyTorch's amax/amin (and max()/min() of all elements) share the gradient equally among the tied extremes. */
    @Test
    void amaxAndAminShareTheGradientAmongTies() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new double[] {1, 3, 3, 2, 3, 0}, 6);
            // three elements equal 3: each gets 1/3; the single minimum 0 gets it all
            assertArrayEquals(new double[] {0, 1.0 / 3, 1.0 / 3, 0, 1.0 / 3, 0}, gradientsOfSum(t -> t[0].max(), x).getFirst(), 1e-15);
            assertArrayEquals(new double[] {0, 0, 0, 0, 0, 1}, gradientsOfSum(t -> t[0].min(), x).getFirst(), 1e-15);

            Tensor m = leaf(new double[] {1, 3, 3, 2, 2, 0}, 2, 3);
            // rows [1, 3, 3] and [2, 2, 0]: max ties in both rows, min ties in neither
            assertArrayEquals(new double[] {0, 0.5, 0.5, 0.5, 0.5, 0},
                    gradientsOfSum(t -> t[0].amax(new int[] {1}, false), m).getFirst(), 1e-15);
            assertArrayEquals(new double[] {1, 0, 0, 0, 0, 1},
                    gradientsOfSum(t -> t[0].amin(new int[] {1}, true), m).getFirst(), 1e-15);
            // columns [1, 2], [3, 2], [3, 0]: amin of columns; then over the whole matrix, two 3s tie for amax
            assertArrayEquals(new double[] {1, 0, 0, 0, 1, 1},
                    gradientsOfSum(t -> t[0].amin(new int[] {0}, false), m).getFirst(), 1e-15);
            assertArrayEquals(new double[] {0, 0.5, 0.5, 0, 0, 0},
                    gradientsOfSum(t -> t[0].amax(new int[] {0, 1}, false), m).getFirst(), 1e-15);

            Tensor equal = leaf(new double[] {2, 2, 2, 2}, 2, 2);
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, gradientsOfSum(t -> t[0].amin(new int[] {0, 1}, true), equal).getFirst(), 1e-15);
        }
    }

    /** max(dim) picks one index per slice, even among ties: the whole gradient goes to that index, as in PyTorch. */
    @Test
    void maxWithDimSendsTheGradientToTheReturnedIndex() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new double[] {1, 3, 3, 2, 2, 0}, 2, 3);
            for (boolean max : new boolean[] {true, false}) {
                ValuesAndIndices result = max ? x.max(1, false) : x.min(1, false);
                long[] indices = result.indices().toLongArray();
                double[] expected = new double[6];
                for (int row = 0; row < 2; row++) {
                    expected[row * 3 + (int) indices[row]] = 1;
                }
                double[] actual = Autograd.grad(result.values().sum(), List.of(x)).getFirst().toDoubleArray();
                assertArrayEquals(expected, actual, 0, (max ? "max" : "min") + " with indices " + Arrays.toString(indices));
            }
        }
    }
}
