package ignis.tck.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Elementwise math on every floating dtype against double references computed from the inputs as
 * stored (rounded to the dtype first), within the {@code torch.testing.assert_close} tolerance of the
 * result dtype; integer semantics (Python's floor division and remainder); NaN and infinities.
 */
abstract class ElementwiseCases extends KitArea {

    static final double[] GENERAL = {-7.5, -3.5, -1.25, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 2.75, 7};
    static final double[] POSITIVE = {1e-3, 0.07, 0.5, 1, 2, 10, 1234.5};
    static final double[] ABOVE_MINUS_ONE = {-0.9, -0.5, -1e-4, 0, 1e-4, 0.5, 3, 100};
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16};

    record Unary(String name, Function<Tensor, Tensor> op, DoubleUnaryOperator reference, double[] inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Unary> unaryOps() {
        return List.of(
                new Unary("exp", Tensor::exp, Math::exp, GENERAL),
                new Unary("expm1", Tensor::expm1, Math::expm1, GENERAL),
                new Unary("log", Tensor::log, Math::log, POSITIVE),
                new Unary("log1p", Tensor::log1p, Math::log1p, ABOVE_MINUS_ONE),
                new Unary("sqrt", Tensor::sqrt, Math::sqrt, POSITIVE),
                new Unary("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), POSITIVE),
                new Unary("reciprocal", Tensor::reciprocal, x -> 1 / x, POSITIVE),
                new Unary("sin", Tensor::sin, Math::sin, GENERAL),
                new Unary("cos", Tensor::cos, Math::cos, GENERAL),
                new Unary("tanh", Tensor::tanh, Math::tanh, GENERAL),
                new Unary("sigmoid", Tensor::sigmoid, Reference::sigmoid, GENERAL),
                new Unary("relu", Tensor::relu, x -> Math.max(x, 0), GENERAL),
                new Unary("gelu", Tensor::gelu, Reference::gelu, GENERAL),
                new Unary("geluTanh", Tensor::geluTanh, Reference::geluTanh, GENERAL),
                new Unary("erf", Tensor::erf, Reference::erf, GENERAL),
                new Unary("neg", Tensor::neg, x -> -x, GENERAL),
                new Unary("abs", Tensor::abs, Math::abs, GENERAL),
                new Unary("sign", Tensor::sign, Math::signum, GENERAL),
                new Unary("floor", Tensor::floor, Math::floor, GENERAL),
                new Unary("ceil", Tensor::ceil, Math::ceil, GENERAL),
                new Unary("trunc", Tensor::trunc, x -> x < 0 ? Math.ceil(x) : Math.floor(x), GENERAL),
                new Unary("square", Tensor::square, x -> x * x, GENERAL));
    }

    static Stream<Arguments> unaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Unary op : unaryOps()) {
            for (DType dtype : FLOATS) {
                cases.add(Arguments.of(op, dtype));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("unaryCases")
    void unaryOpsMatchDoubleReferences(Unary op, DType dtype) {
        Tensor x = typed(dtype, op.inputs());
        double[] stored = x.toDoubleArray();
        double[] expected = new double[stored.length];
        for (int i = 0; i < stored.length; i++) {
            expected[i] = Reference.round(op.reference().applyAsDouble(stored[i]), dtype);
        }
        Tensor y = op.op().apply(x);
        assertDType(dtype, y);
        assertShape(y, stored.length);
        assertClose(expected, y);
        // the same op on a strided view (every other element, read backwards through a transpose)
        Tensor matrix = typed(dtype, interleave(op.inputs()), 2, op.inputs().length).t().select(1, 0);
        assertClose(expected, op.op().apply(matrix), Tolerance.of(dtype));
    }

    /** The inputs in row 0 of a [2, n] matrix whose row 1 is junk. */
    private static double[] interleave(double[] inputs) {
        double[] out = new double[2 * inputs.length];
        System.arraycopy(inputs, 0, out, 0, inputs.length);
        java.util.Arrays.fill(out, inputs.length, out.length, 99);
        return out;
    }

    /**
     * A new result is laid out as its operands are (PyTorch's TensorIterator): a transposed or permuted
     * operand gives a result with its strides, the first operand deciding where they disagree, while
     * broadcast operands, scalars and row-major operands leave it row-major. Strides as torch 1.13
     * gives them; values against the row-major expectation.
     */
    @Test
    void resultsKeepTheOperandsLayout() {
        Tensor xt = range64(3, 4).t();
        Tensor yt = range64(3, 4).mul(10).t();
        Tensor y = range64(4, 3);
        double[] x = xt.toDoubleArray();
        double[] ten = yt.toDoubleArray();
        double[] plain = y.toDoubleArray();
        double[] negated = new double[12];
        double[] sums = new double[12];
        double[] withPlain = new double[12];
        double[] plusOne = new double[12];
        double[] chosen = new double[12];
        for (int i = 0; i < 12; i++) {
            negated[i] = -x[i];
            sums[i] = x[i] + ten[i];
            withPlain[i] = x[i] + plain[i];
            plusOne[i] = x[i] + 1;
            chosen[i] = x[i] > 4 ? x[i] : ten[i];
        }
        assertLayout(new long[] {1, 4}, negated, xt.neg());
        assertLayout(new long[] {1, 4}, sums, xt.add(yt));
        assertLayout(new long[] {1, 4}, withPlain, xt.add(y));
        assertLayout(new long[] {3, 1}, withPlain, y.add(xt));
        assertLayout(new long[] {1, 4}, plusOne, xt.add(1.0));
        assertLayout(new long[] {1, 4}, plusOne, ones(DType.FLOAT64, 3).add(xt));
        assertLayout(new long[] {1, 4}, chosen, Tensors.where(xt.gt(4), xt, yt));
        assertArrayEquals(new long[] {1, 4}, xt.gt(4).stride());
        // Channels last (NCHW permuted to NHWC) stays channels last; a dimension of size 1 sits where torch puts it.
        Tensor nhwc = range64(2, 3, 4, 5).permute(0, 2, 3, 1);
        assertLayout(new long[] {60, 5, 1, 20}, negate(nhwc.toDoubleArray()), nhwc.neg());
        Tensor single = range64(3, 1, 4).permute(2, 1, 0);
        assertLayout(new long[] {1, 4, 4}, negate(single.toDoubleArray()), single.neg());
        // Not dense: a row-major slice gives a row-major result.
        Tensor everyOther = range64(4, 6).slice(1, 0, 6, 2);
        assertLayout(new long[] {3, 1}, negate(everyOther.toDoubleArray()), everyOther.neg());
    }

    private static double[] negate(double[] values) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
        return out;
    }

    private static void assertLayout(long[] strides, double[] expected, Tensor actual) {
        assertArrayEquals(strides, actual.stride(), () -> "strides of " + actual.shape());
        assertExactly(expected, actual);
    }

    @Test
    void floatingOpsOfIntegersGiveFloat32() {
        Tensor ints = i32(0, 1, 2, 4);
        Tensor e = ints.exp();
        assertDType(DType.FLOAT32, e);
        assertClose(new double[] {1, Math.E, Math.exp(2), Math.exp(4)}, e);
        assertClose(new double[] {0, 1, Math.sqrt(2), 2}, i64(0, 1, 2, 4).sqrt());
        assertClose(new double[] {0.5, Reference.sigmoid(1)}, i64(0, 1).sigmoid());
    }

    @Test
    void integerOpsStayIntegral() {
        Tensor x = i32(-3, 0, 5);
        assertDType(DType.INT32, x.relu());
        assertLongs(new long[] {0, 0, 5}, x.relu());
        assertLongs(new long[] {3, 0, 5}, x.abs());
        assertLongs(new long[] {3, 0, -5}, x.neg());
        assertLongs(new long[] {-1, 0, 1}, i64(-3, 0, 5).sign());
        assertLongs(new long[] {9, 0, 25}, x.square());
        assertDType(DType.INT64, i64(-3).floor());
    }

    @Test
    void integerArithmeticWrapsAround() {
        // torch.tensor([2**31 - 1], dtype=torch.int32) + 1 -> tensor([-2147483648], dtype=torch.int32)
        assertLongs(new long[] {Integer.MIN_VALUE}, i32(Integer.MAX_VALUE).add(1));
        assertLongs(new long[] {0}, i32(65536).mul(i32(65536)));
        assertLongs(new long[] {Long.MIN_VALUE}, i64(Long.MAX_VALUE).add(1));
        assertDType(DType.INT32, i32(Integer.MAX_VALUE).add(1));
    }

    @Test
    void int64StaysExactBeyondTwoToThe53() {
        long big = 1L << 53;
        assertLongs(new long[] {big + 1}, i64(big).add(1));
        assertLongs(new long[] {big}, i64(big + 1).sub(i64(1)));
        assertLongs(new long[] {(1L << 61) + 3}, i64((1L << 62) + 7).floorDivide(2));
        assertLongs(new long[] {1}, i64((1L << 62) + 7).remainder(2));
        assertLongs(new long[] {big + 1}, i64(big + 1).maximum(i64(big)));
        assertLongs(new long[] {big + 1, 0}, Tensors.where(bools(true, false), i64(big + 1, big + 1), i64(0, 0)));
        assertLongs(new long[] {big + 1, big + 3}, i64(big - 5, big + 9).clamp(i64(big + 1), i64(big + 3)));
        assertLongs(new long[] {-(big + 1)}, i64(big + 1).neg());
    }

    @Test
    void roundGoesHalfToEven() {
        // torch.round([0.5, 1.5, 2.5, -0.5, -2.5, 2.4, -2.6]) -> [0., 2., 2., -0., -2., 2., -3.]
        for (DType dtype : FLOATS) {
            assertExactly(new double[] {0, 2, 2, -0.0, -2, 2, -3}, typed(dtype, new double[] {0.5, 1.5, 2.5, -0.5, -2.5, 2.4, -2.6}).round());
        }
    }

    @Test
    void specialValuesOfUnaryOps() {
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = typed(dtype, new double[] {-inf, inf, nan});
            assertExactly(new double[] {0, inf, nan}, x.exp());
            assertExactly(new double[] {-1, 1, nan}, x.tanh());
            assertExactly(new double[] {0, 1, nan}, x.sigmoid());
            assertExactly(new double[] {0, inf, nan}, x.relu());
            assertExactly(new double[] {-1, 1, nan}, x.erf());
            assertExactly(new double[] {inf, inf, nan}, x.abs());
            // torch.sign computes (0 < x) - (x < 0): 0 for NaN
            assertExactly(new double[] {-1, 1, 0}, x.sign());
            Tensor y = typed(dtype, new double[] {0, -1, inf, -0.0});
            assertExactly(new double[] {-inf, nan, inf, -inf}, y.log());
            assertExactly(new double[] {0, nan, inf, -0.0}, y.sqrt());
            assertExactly(new double[] {inf, -1, 0, -inf}, y.reciprocal());
            assertExactly(new double[] {nan, nan}, typed(dtype, new double[] {nan, -2}).log());
        }
        // overflow: exp(100) is inf in float32 but finite in float64; exp(1000) is inf in float64
        assertExactly(new double[] {inf}, f32(100).exp());
        assertClose(new double[] {Math.exp(100)}, f64(100).exp());
        assertExactly(new double[] {inf, 0}, f64(1000, -1000).exp());
        assertExactly(new double[] {1, 0}, f64(800, -800).sigmoid());
    }

    // ---- binary -------------------------------------------------------------------------------

    record Binary(String name, DoubleBinaryOperator reference, java.util.function.BinaryOperator<Tensor> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> binaryCases() {
        List<Binary> ops = List.of(
                new Binary("add", Double::sum, Tensor::add),
                new Binary("sub", (a, b) -> a - b, Tensor::sub),
                new Binary("mul", (a, b) -> a * b, Tensor::mul),
                new Binary("div", (a, b) -> a / b, Tensor::div),
                new Binary("maximum", Math::max, Tensor::maximum),
                new Binary("minimum", Math::min, Tensor::minimum),
                new Binary("atan2", Math::atan2, Tensor::atan2));
        List<Arguments> cases = new ArrayList<>();
        for (Binary op : ops) {
            for (DType dtype : FLOATS) {
                cases.add(Arguments.of(op, dtype));
            }
        }
        return cases.stream();
    }

    /**
     * + - * / of two float32 (or float64) values is IEEE's correctly rounded result, which rounding the
     * exact double result once gives too: so these must match exactly, on every backend.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("binaryCases")
    void binaryOpsMatchDoubleReferences(Binary op, DType dtype) {
        double[] av = {-7.25, -3, -1e-3, 0, 0.1, 0.5, 2, 3.75, 1e3, 123.456};
        double[] bv = {2, -0.75, 3, -2.5, 0.3, 7, -1e-2, 0.5, 3, -9.87};
        Tensor a = typed(dtype, av);
        Tensor b = typed(dtype, bv);
        double[] sa = a.toDoubleArray();
        double[] sb = b.toDoubleArray();
        double[] expected = new double[sa.length];
        for (int i = 0; i < sa.length; i++) {
            expected[i] = Reference.round(op.reference().applyAsDouble(sa[i], sb[i]), dtype);
        }
        Tensor out = op.op().apply(a, b);
        assertDType(dtype, out);
        boolean correctlyRounded = op.name().length() == 3 && (dtype == DType.FLOAT32 || dtype == DType.FLOAT64);
        assertClose(expected, out, correctlyRounded ? Tolerance.EXACT : Tolerance.of(dtype));
    }

    @Test
    void addWithAlphaScalesTheOtherOperand() {
        // torch.add(a, b, alpha=2)
        assertExactly(new double[] {21, 42}, f32(1, 2).add(f32(10, 20), 2));
    }

    @Test
    void powOfFloatsAndIntegers() {
        assertClose(new double[] {8, Math.sqrt(3), 4, 1, 0.5}, f64(2, 3, -2, 0, 4).pow(f64(3, 0.5, 2, 0, -0.5)));
        assertClose(new double[] {8, Math.sqrt(3), 4, 1, 0.5}, f32(2, 3, -2, 0, 4).pow(f32(3, 0.5, 2, 0, -0.5)));
        assertExactly(new double[] {Double.NaN}, f64(-8).pow(1.0 / 3));
        assertExactly(new double[] {4, 9, 0.25}, f32(2, 3, 0.5).pow(2.0));
        Tensor ints = i64(2, 3, -4, 0);
        Tensor squared = ints.pow(2);
        assertDType(DType.INT64, squared);
        assertLongs(new long[] {4, 9, 16, 0}, squared);
        assertLongs(new long[] {1, 1, 1, 1}, ints.pow(0));
        Tensor root = ints.pow(0.5);
        assertDType(DType.FLOAT32, root);
        assertClose(new double[] {Math.sqrt(2), Math.sqrt(3), Double.NaN, 0}, root);
        // torch.tensor([2]) ** -1 -> RuntimeError: Integers to negative integer powers are not allowed.
        assertThrows(RuntimeException.class, () -> i64(2).pow(-1));
        assertLongs(new long[] {1L << 40}, i64(2).pow(40));
    }

    @Test
    void floorDivideAndRemainderFollowPython() {
        // Python: [7, -7, 7, -7] // [2, 2, -2, -2] == [3, -4, -4, 3]; % == [1, 1, -1, -1]
        Tensor a = i64(7, -7, 7, -7);
        Tensor b = i64(2, 2, -2, -2);
        assertLongs(new long[] {3, -4, -4, 3}, a.floorDivide(b));
        assertLongs(new long[] {1, 1, -1, -1}, a.remainder(b));
        assertDType(DType.INT64, a.floorDivide(b));
        assertLongs(new long[] {3, -4, 3, -4}, i32(7, -7, 7, -7).floorDivide(2));
        assertDType(DType.INT32, i32(7).remainder(2));
        assertLongs(new long[] {2, 1, 0}, i32(-1, -2, -3).remainder(3));
        // floats: 7.5 // 2 == 3.0, -7.5 // 2 == -4.0, 7.5 % -2 == -0.5, -7.5 % 2 == 0.5
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = typed(dtype, new double[] {7.5, -7.5, 7.5, -7.5});
            Tensor y = typed(dtype, new double[] {2, 2, -2, -2});
            assertExactly(new double[] {3, -4, -4, 3}, x.floorDivide(y));
            assertExactly(new double[] {1.5, 0.5, -0.5, -1.5}, x.remainder(y));
        }
        // Python's float floor division is exact where floor(a / b) is not: 1.0 // 0.1 == 9.0, 1.0 % 0.1 == 0.09999999999999995
        assertExactly(new double[] {9}, f64(1).floorDivide(f64(0.1)));
        assertExactly(new double[] {0.09999999999999995}, f64(1).remainder(f64(0.1)));
        // an integer tensor with a float divisor gives float32: 7 % 2.5 == 2.0
        assertDType(DType.FLOAT32, i32(7).remainder(2.5));
        assertExactly(new double[] {2}, i32(7).remainder(2.5));
        // float division by zero: 5 // 0 == inf, -5 // 0 == -inf, 0 // 0 and 5 % 0 are nan
        assertExactly(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN},
                f64(5, -5, 0).floorDivide(f64(0, 0, 0)));
        assertExactly(new double[] {Double.NaN}, f64(5).remainder(f64(0)));
        // integer division by zero: RuntimeError: ZeroDivisionError
        assertThrows(RuntimeException.class, () -> i64(5).floorDivide(i64(0)));
        assertThrows(RuntimeException.class, () -> i64(5).remainder(0));
    }

    @Test
    void divisionAndInfinities() {
        double inf = Double.POSITIVE_INFINITY;
        assertExactly(new double[] {inf, -inf, Double.NaN}, f32(1, -1, 0).div(f32(0, 0, 0)));
        assertExactly(new double[] {Double.NaN, inf}, f64(inf, inf).add(f64(-inf, inf)));
        assertExactly(new double[] {Double.NaN}, f64(inf).mul(f64(0)));
        assertExactly(new double[] {Double.NaN, Double.NaN}, f64(Double.NaN, 1).maximum(f64(1, Double.NaN)));
        assertExactly(new double[] {Double.NaN, Double.NaN}, f64(Double.NaN, 1).minimum(f64(1, Double.NaN)));
    }

    @Test
    void clampLimitsAndKeepsNaN() {
        double nan = Double.NaN;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = typed(dtype, new double[] {-2, 0.5, 3, nan, Double.NEGATIVE_INFINITY});
            assertExactly(new double[] {0, 0.5, 1, nan, 0}, x.clamp(0, 1));
            assertExactly(new double[] {0, 0.5, 3, nan, 0}, x.clampMin(0));
            assertExactly(new double[] {-2, 0.5, 1, nan, Double.NEGATIVE_INFINITY}, x.clampMax(1));
            assertDType(dtype, x.clamp(0, 1));
        }
        assertExactly(new double[] {-1, 0, 2}, f32(-5, 0, 5).clamp(f32(-1, -1, -1), f32(1, 1, 2)));
        assertLongs(new long[] {0, 1, 3}, i64(-4, 1, 9).clamp(i64(0), i64(3)));
        assertDType(DType.INT64, i64(-4, 1, 9).clamp(i64(0), i64(3)));
    }

    @Test
    void clampWithMinAboveMaxGivesMax() {
        // torch.clamp docs: "If min is greater than max torch.clamp(..., min, max) sets all elements in input to the value of max."
        assertExactly(new double[] {1, 1, 1}, f32(-5, 0, 5).clamp(2, 1));
    }

    @Test
    void whereChoosesBroadcastsAndPromotes() {
        Tensor cond = bools(true, false, true);
        assertExactly(new double[] {1, 20, 3}, Tensors.where(cond, f32(1, 2, 3), f32(10, 20, 30)));
        assertExactly(new double[] {1, -1, 3}, Tensors.where(cond, f32(1, 2, 3), -1));
        assertExactly(new double[] {0.5, 2, 0.5}, Tensors.where(cond, 0.5, f32(1, 2, 3)));
        Tensor mixed = Tensors.where(cond, i64(1, 2, 3), f32(10, 20, 30));
        assertDType(DType.FLOAT32, mixed);
        assertExactly(new double[] {1, 20, 3}, mixed);
        assertDType(DType.FLOAT64, Tensors.where(cond, i32(1, 2, 3), f64(0, 0, 0)));
        assertDType(DType.INT64, Tensors.where(cond, i64(1, 2, 3), i32(0, 0, 0)));
        Tensor grid = Tensors.where(bools(new boolean[] {true, false}, 2, 1), range64(3), f64(-1));
        assertShape(grid, 2, 3);
        assertExactly(new double[] {0, 1, 2, -1, -1, -1}, grid);
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tensors.where(i32(1, 0), f32(1, 2), f32(3, 4)), "bool");
    }

    @Test
    void maskedFillKeepsTheDType() {
        assertExactly(new double[] {-1, 2, -1, 4}, f32(1, 2, 3, 4).maskedFill(bools(true, false, true, false), -1));
        Tensor m = range64(2, 3).maskedFill(bools(new boolean[] {false, true}, 2, 1), 9);
        assertExactly(new double[] {0, 1, 2, 9, 9, 9}, m);
        Tensor ints = i32(1, 2).maskedFill(bools(false, true), 7);
        assertDType(DType.INT32, ints);
        assertLongs(new long[] {1, 7}, ints);
        assertBools(new boolean[] {true, true}, bools(false, true).maskedFill(bools(true, false), 1));
        assertThrows(IllegalArgumentException.class, () -> f32(1, 2).maskedFill(i32(1, 0), 0));
        assertThrowsMentioning(IllegalArgumentException.class, () -> f32(1, 2).maskedFill(bools(true, false, true), 0), "[3]", "[2]");
    }

    @Test
    void comparisonsIncludingNaN() {
        double nan = Double.NaN;
        Tensor a = f64(1, 2, nan, nan, Double.NEGATIVE_INFINITY);
        Tensor b = f64(2, 2, 1, nan, Double.NEGATIVE_INFINITY);
        assertBools(new boolean[] {false, true, false, false, true}, a.eq(b));
        assertBools(new boolean[] {true, false, true, true, false}, a.ne(b));
        assertBools(new boolean[] {true, false, false, false, false}, a.lt(b));
        assertBools(new boolean[] {true, true, false, false, true}, a.le(b));
        assertBools(new boolean[] {false, false, false, false, false}, a.gt(b));
        assertBools(new boolean[] {false, true, false, false, true}, a.ge(b));
        assertBools(new boolean[] {false, false, true, true, false}, a.isnan());
        assertBools(new boolean[] {false, false}, i32(1, 2).isnan());
        assertBools(new boolean[] {true, false, false}, i64(1, 2, 3).le(1));
        assertBools(new boolean[] {false, true}, bools(true, false).lt(bools(true, true)));
    }

    @Test
    void logicalOpsReadNonZeroAsTrue() {
        Tensor a = f32(0, 1.5, Double.NaN, 0);
        Tensor b = i32(1, 1, 1, 0);
        assertBools(new boolean[] {false, true, true, false}, a.logicalAnd(b));
        assertBools(new boolean[] {true, true, true, false}, a.logicalOr(b));
        assertBools(new boolean[] {true, false, false, false}, a.logicalXor(b));
        assertBools(new boolean[] {true, false, false, true}, a.logicalNot());
        assertBools(new boolean[] {false, true}, i64(3, 0).logicalNot());
        assertBools(new boolean[] {false, true}, bools(true, false).logicalNot());
    }

    @Test
    void boolArithmeticIsLogical() {
        assertBools(new boolean[] {true, true, false}, bools(true, false, false).add(bools(true, true, false)));
        assertBools(new boolean[] {true, false, false}, bools(true, false, false).mul(bools(true, true, false)));
        assertThrowsMentioning(IllegalArgumentException.class, () -> bools(true).sub(bools(true)), "bool");
        assertThrows(IllegalArgumentException.class, () -> bools(true).neg());
    }

    @Test
    void zeroDimensionalAndEmptyOperands() {
        Tensor s = scalarOf(DType.FLOAT64, 2);
        Tensor sum = s.add(s);
        assertEquals(0, sum.dim());
        assertEquals(4.0, sum.item());
        Tensor empty = zeros(DType.FLOAT32, 0, 3);
        assertShape(empty.exp(), 0, 3);
        assertShape(empty.add(f32(1, 2, 3)), 0, 3);
        assertShape(empty.gt(0.5), 0, 3);
    }
}
