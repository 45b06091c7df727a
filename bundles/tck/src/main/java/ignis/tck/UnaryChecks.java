package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.DTypeRule;
import ignis.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every {@link UnaryOp} for every dtype its rule admits, over every elementwise layout. */
abstract class UnaryChecks extends Checks {

    static final DType[] ARITHMETIC = {DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64};
    static final DType[] FLOATING = {DType.FLOAT32, DType.FLOAT64};
    static final DType[] ANY = {DType.BOOL, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64};

    static DType[] inputTypes(DTypeRule rule) {
        return switch (rule) {
            case ARITHMETIC -> ARITHMETIC;
            case FLOATING -> FLOATING;
            case COMPARISON, LOGICAL -> ANY;
        };
    }

    static DType outputType(DTypeRule rule, DType in) {
        return rule == DTypeRule.COMPARISON || rule == DTypeRule.LOGICAL ? DType.BOOL : in;
    }

    @TestFactory
    Stream<DynamicTest> unary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            for (DType dtype : inputTypes(op.rule())) {
                tests.add(DynamicTest.dynamicTest(op + " " + dtype, () -> check(op, dtype)));
            }
        }
        return tests.stream();
    }

    private void check(UnaryOp op, DType in) {
        DType out = outputType(op.rule(), in);
        Mismatches m = new Mismatches(title(op + " " + in + " -> " + out));
        Pool pool = pool(op, in);
        DType[] types = {in};
        Rule rule = (v, i) -> expect(op, in, v[0], i);
        Call call = (o, x) -> backend().unary(op, o.view, x[0].view);
        Case all = Case.of("every pool value, contiguous", shape(pool.size()), Layout.CONTIGUOUS, Layout.CONTIGUOUS);
        runElementwise(m, all, types, out, new Object[] {pool.take(pool.size(), 0)}, call, rule);
        int n = 0;
        for (Case c : elementwiseCases(types, out)) {
            runElementwise(m, c, types, out, new Object[] {pool.take(c.numel(), 7 * ++n)}, call, rule);
        }
        m.throwIfAny();
    }

    /** The operand values of an op: the general pool, trimmed where an op's domain calls for it. */
    static Pool pool(UnaryOp op, DType dtype) {
        long seed = 31L * op.ordinal() + dtype.ordinal();
        if (!dtype.isFloatingPoint()) {
            return Pool.general(dtype, seed);
        }
        double[] specials = Pool.floatSpecials(dtype);
        double lo = -10;
        double hi = 10;
        switch (op) {
            case SIN, COS -> {
                specials = filter(specials, x -> !(Math.abs(x) > 1e4));
                lo = -100;
                hi = 100;
            }
            case GELU, GELU_TANH -> specials = filter(specials, x -> x != Double.NEGATIVE_INFINITY);
            case LOG, LOG1P, SQRT, RSQRT -> {
                lo = -1;
                hi = 1000;
            }
            default -> {
            }
        }
        return Pool.reals(dtype, specials, lo, hi, 40, seed);
    }

    static double[] filter(double[] values, DoublePredicate keep) {
        return Arrays.stream(values).filter(keep).toArray();
    }

    static Expected expect(UnaryOp op, DType in, Values v, int i) {
        switch (op) {
            case LOGICAL_NOT:
                return Expected.bool(!v.truth(i));
            case ISNAN:
                return Expected.bool(in.isFloatingPoint() && Double.isNaN(v.real(i)));
            default:
                break;
        }
        if (!in.isFloatingPoint()) {
            long x = v.integer(i);
            long r = switch (op) {
                case NEG -> -x;
                case ABS -> Math.abs(x);
                case SIGN -> Long.signum(x);
                case RELU -> Math.max(x, 0);
                case FLOOR, CEIL, ROUND, TRUNC -> x;
                default -> throw new IllegalArgumentException(op + " on " + in);
            };
            return Expected.integer(Numbers.wrap(in, r));
        }
        double x = v.real(i);
        return Tolerances.unary(op, in, x, reference(op, x));
    }

    /** The float64 value of a floating unary op. */
    static double reference(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            // As torch.sign: (0 < x) - (x < 0), so NaN and both zeros give +0 (unlike numpy.sign).
            case SIGN -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
            case RELU -> Double.isNaN(x) ? x : x > 0 ? x : 0.0;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> ReferenceMath.sigmoid(x);
            case ERF -> ReferenceMath.erf(x);
            case GELU -> ReferenceMath.gelu(x);
            case GELU_TANH -> ReferenceMath.geluTanh(x);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }
}
