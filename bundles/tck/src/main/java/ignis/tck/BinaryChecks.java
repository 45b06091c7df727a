package ignis.tck;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every {@link BinaryOp} for every dtype its rule admits, over every elementwise layout, and integer errors. */
abstract class BinaryChecks extends Checks {

    @TestFactory
    Stream<DynamicTest> binary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            for (DType dtype : UnaryChecks.inputTypes(op.rule())) {
                tests.add(DynamicTest.dynamicTest(op + " " + dtype, () -> check(op, dtype)));
            }
        }
        return tests.stream();
    }

    private void check(BinaryOp op, DType in) {
        DType out = UnaryChecks.outputType(op.rule(), in);
        Mismatches m = new Mismatches(title(op + " " + in + " -> " + out));
        Pool a = poolA(op, in);
        Pool b = poolB(op, in);
        DType[] types = {in, in};
        Rule rule = (v, i) -> expect(op, in, v[0], v[1], i);
        Call call = (o, x) -> backend().binary(op, o.view, x[0].view, x[1].view);
        int pairs = a.specialCount() * b.specialCount();
        Case all = Case.of("every pair of special values, contiguous", shape(pairs), Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS);
        runElementwise(m, all, types, out, new Object[] {a.tile(pairs), b.spread(pairs, a.specialCount())}, call, rule);
        int n = 0;
        for (Case c : elementwiseCases(types, out)) {
            n++;
            // When b is the very same view as a, a's values must suit b too (no zero divisor, no negative exponent).
            Pool first = c.inputs()[1] == null ? b : a;
            Object[] values = {first.take(c.numel(), 7 * n), b.take(c.numel(), 11 * n + 3)};
            runElementwise(m, c, types, out, values, call, rule);
        }
        m.throwIfAny();
    }

    static Pool poolA(BinaryOp op, DType dtype) {
        long seed = 977L * op.ordinal() + dtype.ordinal();
        if (dtype.isFloatingPoint()) {
            switch (op) {
                case FLOOR_DIVIDE, REMAINDER:
                    return Pool.reals(dtype, moderate(dtype), -10, 10, 40, seed);
                case POW:
                    return Pool.reals(dtype, new double[] {0.0, -0.0, 1, -1, 2, -2, 0.5, 10, -3, 1.5,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-3, Numbers.minSubnormal(dtype)}, 0, 10, 40, seed);
                default:
                    break;
            }
        }
        return Pool.general(dtype, seed);
    }

    static Pool poolB(BinaryOp op, DType dtype) {
        long seed = 1013L * op.ordinal() + dtype.ordinal() + 5;
        if (dtype.isFloatingPoint()) {
            switch (op) {
                case FLOOR_DIVIDE, REMAINDER:
                    return Pool.reals(dtype, moderate(dtype), -10, 10, 40, seed);
                case POW:
                    return Pool.reals(dtype, new double[] {0.0, -0.0, 1, -1, 2, 3, -2, 0.5, -0.5, 2.5, 1 / 3.0,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 10, -3}, -4, 4, 40, seed);
                default:
                    return Pool.general(dtype, seed);
            }
        }
        switch (op) {
            case FLOOR_DIVIDE, REMAINDER:
                // No zero (it throws) and no -1 (MIN / -1 overflows, which PyTorch leaves undefined).
                long[] divisors = Arrays.stream(Pool.intSpecials()).filter(v -> v != 0 && v != -1).toArray();
                return Pool.ints(dtype, append(divisors, -3, 3), 2, 1000, 40, seed);
            case POW:
                return Pool.ints(dtype, new long[] {0, 1, 2, 3, 5, 10, 31, 32, 63, 64}, 0, 20, 40, seed);
            default:
                return Pool.general(dtype, seed);
        }
    }

    /** Float specials whose quotients stay far from the rounding subtleties of huge values. */
    private static double[] moderate(DType dtype) {
        return new double[] {0.0, -0.0, 1, -1, 0.5, -0.5, 2.5, -2.5, 3.75, -7, 1e-3, 100, -1e4,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Numbers.minNormal(dtype), 6, -6, 0.1};
    }

    private static long[] append(long[] values, long... more) {
        long[] all = Arrays.copyOf(values, values.length + more.length);
        System.arraycopy(more, 0, all, values.length, more.length);
        return all;
    }

    static Expected expect(BinaryOp op, DType in, Values va, Values vb, int i) {
        switch (op.rule()) {
            case LOGICAL: {
                boolean x = va.truth(i);
                boolean y = vb.truth(i);
                return Expected.bool(switch (op) {
                    case LOGICAL_AND -> x && y;
                    case LOGICAL_OR -> x || y;
                    case LOGICAL_XOR -> x ^ y;
                    default -> throw new IllegalArgumentException(op.toString());
                });
            }
            case COMPARISON: {
                int c;
                if (in.isFloatingPoint()) {
                    double x = va.real(i);
                    double y = vb.real(i);
                    if (Double.isNaN(x) || Double.isNaN(y)) {
                        return Expected.bool(op == BinaryOp.NE);
                    }
                    c = x < y ? -1 : x > y ? 1 : 0;
                } else if (in == DType.BOOL) {
                    c = Boolean.compare(va.truth(i), vb.truth(i));
                } else {
                    c = Long.compare(va.integer(i), vb.integer(i));
                }
                return Expected.bool(switch (op) {
                    case EQ -> c == 0;
                    case NE -> c != 0;
                    case LT -> c < 0;
                    case LE -> c <= 0;
                    case GT -> c > 0;
                    case GE -> c >= 0;
                    default -> throw new IllegalArgumentException(op.toString());
                });
            }
            default:
                break;
        }
        if (!in.isFloatingPoint()) {
            long x = va.integer(i);
            long y = vb.integer(i);
            long r = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case FLOOR_DIVIDE -> Math.floorDiv(x, y);
                case REMAINDER -> Math.floorMod(x, y);
                case POW -> ReferenceMath.powInteger(x, y);
                case MAXIMUM -> Math.max(x, y);
                case MINIMUM -> Math.min(x, y);
                default -> throw new IllegalArgumentException(op + " on " + in);
            };
            return Expected.integer(Numbers.wrap(in, r));
        }
        return Tolerances.binary(op, in, reference(op, va.real(i), vb.real(i)));
    }

    /** The float64 value of a floating binary op. */
    static double reference(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOOR_DIVIDE -> ReferenceMath.floorDivide(x, y);
            case REMAINDER -> ReferenceMath.remainder(x, y);
            case POW -> ReferenceMath.pow(x, y);
            case MAXIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MINIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            case ATAN2 -> Math.atan2(x, y);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** Integer division by zero and integer powers with negative exponents throw ArithmeticException. */
    @TestFactory
    Stream<DynamicTest> integerErrors() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : new DType[] {DType.INT32, DType.INT64}) {
            tests.add(throwing(BinaryOp.FLOOR_DIVIDE, dtype, new long[] {7, -7, 1, 0, 3}));
            tests.add(throwing(BinaryOp.REMAINDER, dtype, new long[] {7, -7, 1, 0, 3}));
            tests.add(throwing(BinaryOp.POW, dtype, new long[] {2, 1, 0, -1, 3}));
        }
        return tests.stream();
    }

    private DynamicTest throwing(BinaryOp op, DType dtype, long[] b) {
        String what = op == BinaryOp.POW ? "a negative exponent" : "a zero divisor";
        return DynamicTest.dynamicTest(op + " " + dtype + " with " + what + " throws ArithmeticException", () -> {
            try (Workspace w = workspace()) {
                long[] shape = {b.length};
                KitTensor x = w.input("a", dtype, shape, Layout.CONTIGUOUS, new long[] {5, 6, 7, 8, 9});
                KitTensor y = w.input("b", dtype, shape, Layout.CONTIGUOUS, b);
                KitTensor out = w.output("out", dtype, shape, Layout.CONTIGUOUS);
                Assertions.assertThrows(ArithmeticException.class, () -> {
                    backend().binary(op, out.view, x.view, y.view);
                    backend().synchronize();
                }, () -> title(op + " " + dtype + " of a = [5, 6, 7, 8, 9] and b = " + Arrays.toString(b))
                        + " must throw ArithmeticException for " + what);
            }
        });
    }
}
