package ignis.autograd;

import static ignis.autograd.GradTesting.ANY;
import static ignis.autograd.GradTesting.NONZERO;
import static ignis.autograd.GradTesting.OFF_GRID;
import static ignis.autograd.GradTesting.POSITIVE;
import static ignis.autograd.GradTesting.between;
import static ignis.autograd.GradTesting.constant;
import static ignis.autograd.GradTesting.gradgradcheck;
import static ignis.autograd.GradTesting.gradientsOfSum;
import static ignis.autograd.GradTesting.leaf;
import static ignis.autograd.GradTesting.magnitude;
import static ignis.autograd.GradTesting.mask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.autograd.GradTesting.Domain;
import ignis.autograd.GradTesting.Layout;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gradcheck (and gradgradcheck) of every elementwise op: the unary ops, the binary ops tensor-tensor
 * with broadcasting both ways and tensor-scalar, clamp, where and maskedFill; each on contiguous,
 * transposed, stepped and expanded (stride 0) inputs. Ties of maximum/minimum are hand-worked.
 */
class ElementwiseGradCheckTest {

    /** The unary ops without a derivative: their results are bool. */
    static final Set<UnaryOp> NOT_DIFFERENTIABLE_UNARY = EnumSet.of(UnaryOp.LOGICAL_NOT, UnaryOp.ISNAN);
    /** The binary ops without a useful derivative: comparisons and logic (bool results), floor division (zero almost everywhere). */
    static final Set<BinaryOp> NOT_DIFFERENTIABLE_BINARY = EnumSet.of(BinaryOp.FLOOR_DIVIDE, BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT,
            BinaryOp.LE, BinaryOp.GT, BinaryOp.GE, BinaryOp.LOGICAL_AND, BinaryOp.LOGICAL_OR, BinaryOp.LOGICAL_XOR);

    // ---- unary --------------------------------------------------------------------------------

    static Tensor apply(UnaryOp op, Tensor x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            case SIGN -> x.sign();
            case RELU -> x.relu();
            case FLOOR -> x.floor();
            case CEIL -> x.ceil();
            case ROUND -> x.round();
            case TRUNC -> x.trunc();
            case EXP -> x.exp();
            case EXPM1 -> x.expm1();
            case LOG -> x.log();
            case LOG1P -> x.log1p();
            case SQRT -> x.sqrt();
            case RSQRT -> x.rsqrt();
            case RECIPROCAL -> x.reciprocal();
            case SIN -> x.sin();
            case COS -> x.cos();
            case TANH -> x.tanh();
            case SIGMOID -> x.sigmoid();
            case ERF -> x.erf();
            case GELU -> x.gelu();
            case GELU_TANH -> x.geluTanh();
            case LOGICAL_NOT, ISNAN -> throw new IllegalArgumentException(op + " has no derivative");
        };
    }

    /** Inputs kept inside each op's domain and away from its kinks and jumps. */
    static Domain domain(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT, RSQRT -> POSITIVE;
            case LOG1P -> between(-0.6, 2);
            case ABS, SIGN, RELU, RECIPROCAL -> NONZERO;
            case FLOOR, CEIL, ROUND, TRUNC -> OFF_GRID;
            default -> ANY;
        };
    }

    static Stream<Arguments> unaryCases() {
        return differentiableUnary().flatMap(op -> Arrays.stream(Layout.values()).map(layout -> Arguments.of(op, layout)));
    }

    static Stream<UnaryOp> differentiableUnary() {
        return Arrays.stream(UnaryOp.values()).filter(op -> !NOT_DIFFERENTIABLE_UNARY.contains(op));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryCases")
    void unary(UnaryOp op, Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(op.ordinal()), domain(op), layout, 3, 4);
            GradCheck.check(t -> apply(op, t[0]), x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiableUnary")
    void unaryOnARank0AndA3dTensor(UnaryOp op) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(100 + op.ordinal());
            GradCheck.check(t -> apply(op, t[0]), leaf(rng, domain(op), Layout.CONTIGUOUS));
            GradCheck.check(t -> apply(op, t[0]), leaf(rng, domain(op), Layout.TRANSPOSED, 2, 3, 2));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("secondOrderUnaryCases")
    void unarySecondDerivative(UnaryOp op, Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(200 + op.ordinal()), domain(op), layout, 2, 3);
            gradgradcheck(t -> apply(op, t[0]), x);
        }
    }

    static Stream<Arguments> secondOrderUnaryCases() {
        return differentiableUnary().flatMap(op -> Stream.of(Layout.CONTIGUOUS, Layout.TRANSPOSED).map(layout -> Arguments.of(op, layout)));
    }

    @Test
    void everyUnaryOpIsEitherCheckedOrKnownToHaveNoDerivative() {
        for (UnaryOp op : UnaryOp.values()) {
            if (!NOT_DIFFERENTIABLE_UNARY.contains(op)) {
                try (var scope = Tensors.scope()) {
                    Tensor x = leaf(new Random(1), domain(op), Layout.CONTIGUOUS, 2);
                    assertEquals(true, apply(op, x).requiresGrad(), op + " is not recorded");
                }
            }
        }
    }

    // ---- binary, tensor-tensor ----------------------------------------------------------------

    static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.pow(b);
            case MAXIMUM -> a.maximum(b);
            case MINIMUM -> a.minimum(b);
            case ATAN2 -> a.atan2(b);
            case REMAINDER -> a.remainder(b);
            default -> throw new IllegalArgumentException(op + " has no derivative");
        };
    }

    static Domain domainA(BinaryOp op) {
        return switch (op) {
            case POW -> between(0.5, 2);
            case ATAN2 -> NONZERO;
            // |a| < |b|: a / b stays in ±[0.27, 0.8], away from the integers where remainder jumps.
            case REMAINDER -> magnitude(0.3, 0.8);
            default -> ANY;
        };
    }

    static Domain domainB(BinaryOp op) {
        return switch (op) {
            case DIV, ATAN2 -> NONZERO;
            case REMAINDER -> magnitude(1.0, 1.1);
            default -> ANY;
        };
    }

    static Stream<BinaryOp> differentiableBinary() {
        return Arrays.stream(BinaryOp.values()).filter(op -> !NOT_DIFFERENTIABLE_BINARY.contains(op));
    }

    /** Pairs of shapes: equal, broadcast one way and the other, both ways, and a rank-0 operand. */
    static final long[][][] SHAPE_PAIRS = {
        {{3, 4}, {3, 4}},
        {{3, 1}, {4}},
        {{4}, {3, 1}},
        {{2, 3, 4}, {3, 1}},
        {{3, 1}, {2, 3, 4}},
        {{2, 1, 4}, {3, 1}},
        {{}, {2, 3}},
        {{2, 3}, {}},
    };

    static Stream<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        differentiableBinary().forEach(op -> {
            for (long[][] pair : SHAPE_PAIRS) {
                for (Layout layout : Layout.values()) {
                    cases.add(Arguments.of(op, Shape.of(pair[0]), Shape.of(pair[1]), layout));
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} x {2} {3}")
    @MethodSource("binaryCases")
    void binary(BinaryOp op, Shape shapeA, Shape shapeB, Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(31L * op.ordinal() + shapeA.rank() * 7L + shapeB.rank());
            Tensor a = leaf(rng, domainA(op), layout, shapeA.toArray());
            Tensor b = leaf(rng, domainB(op), layout, shapeB.toArray());
            GradCheck.check(t -> apply(op, t[0], t[1]), a, b);
        }
    }

    /** Only one operand requires grad: the other's gradient must not be computed (needsGrad false). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiableBinary")
    void binaryWithOneOperandConstant(BinaryOp op) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(300 + op.ordinal());
            Tensor a = leaf(rng, domainA(op), Layout.TRANSPOSED, 3, 4);
            Tensor b = constant(rng, domainB(op), 4);
            GradCheck.check(t -> apply(op, t[0], b), a);
            Tensor c = constant(rng, domainA(op), 3, 1);
            Tensor d = leaf(rng, domainB(op), Layout.STEPPED, 3, 4);
            GradCheck.check(t -> apply(op, c, t[0]), d);
        }
    }

    @ParameterizedTest(name = "{0} {1} x {2}")
    @MethodSource("secondOrderBinaryCases")
    void binarySecondDerivative(BinaryOp op, Shape shapeA, Shape shapeB) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(400 + op.ordinal());
            Tensor a = leaf(rng, domainA(op), Layout.TRANSPOSED, shapeA.toArray());
            Tensor b = leaf(rng, domainB(op), Layout.CONTIGUOUS, shapeB.toArray());
            gradgradcheck(t -> apply(op, t[0], t[1]), a, b);
        }
    }

    static Stream<Arguments> secondOrderBinaryCases() {
        long[][][] pairs = {{{2, 3}, {2, 3}}, {{3, 1}, {2}}, {{2}, {2, 3, 1}}};
        return differentiableBinary().flatMap(op -> Arrays.stream(pairs).map(p -> Arguments.of(op, Shape.of(p[0]), Shape.of(p[1]))));
    }

    /** Random broadcastable shapes of rank 0 to 3, a random op and layout: 60 trials from a fixed seed. */
    @Test
    void binaryOnRandomBroadcastShapes() {
        Random rng = new Random(20261111);
        BinaryOp[] ops = differentiableBinary().toArray(BinaryOp[]::new);
        for (int trial = 0; trial < 60; trial++) {
            int rank = rng.nextInt(4);
            long[] full = new long[rank];
            for (int d = 0; d < rank; d++) {
                full[d] = 1 + rng.nextInt(3);
            }
            long[] a = full.clone();
            int rankB = rng.nextInt(rank + 1);
            long[] b = Arrays.copyOfRange(full, rank - rankB, rank);
            for (int d = 0; d < a.length; d++) {
                if (rng.nextInt(3) == 0) {
                    a[d] = 1;
                }
            }
            for (int d = 0; d < b.length; d++) {
                if (rng.nextInt(3) == 0 && a[d + rank - rankB] != 1) {
                    b[d] = 1;
                }
            }
            if (rng.nextBoolean()) {
                long[] swap = a;
                a = b;
                b = swap;
            }
            BinaryOp op = ops[rng.nextInt(ops.length)];
            Layout layout = Layout.values()[rng.nextInt(Layout.values().length)];
            String what = "trial " + trial + ": " + op + " " + Arrays.toString(a) + " x " + Arrays.toString(b) + " " + layout;
            try (var scope = Tensors.scope()) {
                Tensor x = leaf(rng, domainA(op), layout, a);
                Tensor y = leaf(rng, domainB(op), layout, b);
                GradCheck.check(t -> apply(op, t[0], t[1]), x, y);
            } catch (AssertionError e) {
                throw new AssertionError(what + ": " + e.getMessage(), e);
            }
        }
    }

    // ---- binary, tensor-scalar ----------------------------------------------------------------

    record ScalarCase(String name, Domain domain, Function<Tensor, Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ScalarCase> scalarCases() {
        return Stream.of(
                new ScalarCase("x + 2.0", ANY, x -> x.add(2.0)),
                new ScalarCase("x + 3L", ANY, x -> x.add(3L)),
                new ScalarCase("x - 2.0", ANY, x -> x.sub(2.0)),
                new ScalarCase("x * 2.0", ANY, x -> x.mul(2.0)),
                new ScalarCase("x * -3L", ANY, x -> x.mul(-3L)),
                new ScalarCase("x / 2.0", ANY, x -> x.div(2.0)),
                new ScalarCase("x ^ 3.0", ANY, x -> x.pow(3.0)),
                new ScalarCase("x ^ 2L", ANY, x -> x.pow(2L)),
                new ScalarCase("x ^ 0.5", POSITIVE, x -> x.pow(0.5)),
                new ScalarCase("x ^ -1.5", POSITIVE, x -> x.pow(-1.5)),
                new ScalarCase("x ^ 0.0", ANY, x -> x.pow(0.0)),
                new ScalarCase("x % 1.5", between(0.2, 1.3), x -> x.remainder(1.5)),
                new ScalarCase("x % -2L", magnitude(0.2, 1.8), x -> x.remainder(-2L)),
                new ScalarCase("2.0 - x", ANY, x -> x.neg().add(2.0)),
                new ScalarCase("2.0 / x", NONZERO, x -> x.reciprocal().mul(2.0)),
                new ScalarCase("x + 2.5 * x", ANY, x -> x.add(x, 2.5)),
                new ScalarCase("square", ANY, Tensor::square),
                new ScalarCase("x.sub_(1).mul_(x) in place", ANY, x -> x.mul(1.0).sub_(1.0).mul_(x)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalarCases")
    void tensorScalar(ScalarCase c) {
        for (Layout layout : Layout.values()) {
            try (var scope = Tensors.scope()) {
                GradCheck.check(t -> c.f().apply(t[0]), leaf(new Random(c.name().hashCode()), c.domain(), layout, 3, 4));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalarCases")
    void tensorScalarSecondDerivative(ScalarCase c) {
        try (var scope = Tensors.scope()) {
            gradgradcheck(t -> c.f().apply(t[0]), leaf(new Random(c.name().hashCode()), c.domain(), Layout.STEPPED, 2, 3));
        }
    }

    /** The rank-0 operand requires grad too: its gradient is the sum over the broadcast. */
    @Test
    void rank0TensorOperands() {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(5);
            Tensor x = leaf(rng, POSITIVE, Layout.TRANSPOSED, 3, 4);
            Tensor s = leaf(rng, between(0.5, 1.5), Layout.CONTIGUOUS);
            GradCheck.check(t -> t[0].pow(t[1]), x, s);
            GradCheck.check(t -> t[1].pow(t[0]), x, s);
            GradCheck.check(t -> t[1].div(t[0]).mul(t[1]), x, s);
            gradgradcheck(t -> t[0].pow(t[1]), x, s);
        }
    }

    // ---- ties of maximum and minimum, by hand -------------------------------------------------

    /** PyTorch: where a == b the gradient is shared equally, grad / 2 to each. */
    @Test
    void maximumAndMinimumShareTheGradientOfTies() {
        try (var scope = Tensors.scope()) {
            Tensor a = leaf(new double[] {1, 2, 3, 4}, 4);
            Tensor b = leaf(new double[] {1, 5, 3, 0}, 4);
            List<double[]> max = gradientsOfSum(t -> t[0].maximum(t[1]), a, b);
            assertArrayEquals(new double[] {0.5, 0, 0.5, 1}, max.get(0), 1e-15);
            assertArrayEquals(new double[] {0.5, 1, 0.5, 0}, max.get(1), 1e-15);
            List<double[]> min = gradientsOfSum(t -> t[0].minimum(t[1]), a, b);
            assertArrayEquals(new double[] {0.5, 1, 0.5, 0}, min.get(0), 1e-15);
            assertArrayEquals(new double[] {0.5, 0, 0.5, 1}, min.get(1), 1e-15);
        }
    }

    /** Ties under broadcasting: a = [[1], [2]], b = [1, 2, 3]; maximum ties at (0, 0) and (1, 1). */
    @Test
    void broadcastTiesAreSharedAndSummedBack() {
        try (var scope = Tensors.scope()) {
            Tensor a = leaf(new double[] {1, 2}, 2, 1);
            Tensor b = leaf(new double[] {1, 2, 3}, 3);
            // max = [[1, 2, 3], [2, 2, 3]]
            // da[0] = 1/2 (tie with b0) + 0 + 0; da[1] = 1 (beats b0) + 1/2 (tie with b1) + 0
            // db[0] = 1/2 + 0; db[1] = 1 (beats a0) + 1/2; db[2] = 1 + 1
            List<double[]> max = gradientsOfSum(t -> t[0].maximum(t[1]), a, b);
            assertArrayEquals(new double[] {0.5, 1.5}, max.get(0), 1e-15);
            assertArrayEquals(new double[] {0.5, 1.5, 2}, max.get(1), 1e-15);
            // min = [[1, 1, 1], [1, 2, 2]]
            // da[0] = 1/2 + 1 + 1; da[1] = 0 + 1/2 + 1; db[0] = 1/2 + 1; db[1] = 0 + 1/2; db[2] = 0
            List<double[]> min = gradientsOfSum(t -> t[0].minimum(t[1]), a, b);
            assertArrayEquals(new double[] {2.5, 1.5}, min.get(0), 1e-15);
            assertArrayEquals(new double[] {1.5, 0.5, 0}, min.get(1), 1e-15);
        }
    }

    // ---- clamp, where, maskedFill -------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Layout.class)
    void clampWithScalarBounds(Layout layout) {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new Random(11), ANY, layout, 3, 4);
            GradCheck.check(t -> t[0].clamp(-0.5, 0.7), x);
            GradCheck.check(t -> t[0].clampMin(0.2), x);
            GradCheck.check(t -> t[0].clampMax(-0.3), x);
            gradgradcheck(t -> t[0].clamp(-0.5, 0.7).mul(t[0]), x);
        }
    }

    /** PyTorch's clamp passes the gradient where min <= x <= max, bounds included. */
    @Test
    void clampPassesTheGradientOnTheBounds() {
        try (var scope = Tensors.scope()) {
            Tensor x = leaf(new double[] {-2, -1, 0, 1, 2}, 5);
            assertArrayEquals(new double[] {0, 1, 1, 1, 0}, gradientsOfSum(t -> t[0].clamp(-1, 1), x).getFirst(), 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void clampWithTensorBounds(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(12);
            Tensor x = leaf(rng, ANY, layout, 3, 4);
            Tensor min = leaf(rng, between(-1, -0.3), layout, 3, 1);
            Tensor max = leaf(rng, between(0.3, 1), layout, 4);
            GradCheck.check(t -> t[0].clamp(t[1], t[2]), x, min, max);
            gradgradcheck(t -> t[0].clamp(t[1], t[2]).mul(t[0]), x, min, max);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void whereWithBothBranchesRequiringGrad(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(13);
            Tensor condition = mask(rng, 3, 4);
            Tensor a = leaf(rng, ANY, layout, 3, 1);
            Tensor b = leaf(rng, ANY, layout, 4);
            GradCheck.check(t -> Tensors.where(condition, t[0], t[1]), a, b);
            Tensor c = leaf(rng, ANY, layout, 2, 3, 4);
            Tensor d = leaf(rng, ANY, layout, 3, 4);
            Tensor row = mask(rng, 4);
            GradCheck.check(t -> Tensors.where(row, t[0], t[1]), c, d);
            gradgradcheck(t -> Tensors.where(condition, t[0].mul(t[0]), t[1].exp()), a, b);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void whereWithAScalarBranch(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(14);
            Tensor condition = mask(rng, 3, 4);
            Tensor x = leaf(rng, ANY, layout, 3, 4);
            GradCheck.check(t -> Tensors.where(condition, t[0], 0.0), x);
            GradCheck.check(t -> Tensors.where(condition, 1.5, t[0]), x);
            Tensor column = leaf(rng, ANY, layout, 3, 1);
            GradCheck.check(t -> Tensors.where(condition, 1.5, t[0]), column);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void maskedFill(Layout layout) {
        try (var scope = Tensors.scope()) {
            Random rng = new Random(15);
            Tensor x = leaf(rng, ANY, layout, 3, 4);
            Tensor full = mask(rng, 3, 4);
            Tensor row = mask(rng, 4);
            GradCheck.check(t -> t[0].maskedFill(full, 0.5), x);
            GradCheck.check(t -> t[0].maskedFill(row, -1.0), x);
            gradgradcheck(t -> t[0].maskedFill(row, -1.0).pow(3.0), x);
        }
    }
}
