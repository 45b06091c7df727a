package ignis.backend.simd;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.UnaryOp;
import java.util.SplittableRandom;

/**
 * Expected values for the tests, computed in double with {@link StrictMath} independently of the
 * backend's code, and the tolerances of the conformance kit: exact for correctly rounded ops, a few
 * ulps (4 for float32, 8 for float64, plus the smallest normal) for transcendental ones.
 */
final class Oracle {

    private Oracle() {
    }

    /** Special values first, then pseudo-random ones in [-10, 10), each rounded to the dtype. */
    static double[] pool(DType type, long seed) {
        double[] specials = type == DType.FLOAT32
                ? new double[] {0.0, -0.0, 1, -1, 0.5, -2.5, 3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Float.MIN_VALUE, -Float.MIN_NORMAL / 2, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-3, 100, -7.25, 88.7, -103, 1e10, 2, -0.75}
                : new double[] {0.0, -0.0, 1, -1, 0.5, -2.5, 3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.MIN_VALUE, -Double.MIN_NORMAL / 2, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-3, 100, -7.25, 709.8, -745, 1e300, 2, -0.75};
        SplittableRandom random = new SplittableRandom(seed);
        double[] pool = new double[specials.length + 41];
        for (int i = 0; i < pool.length; i++) {
            double x = i < specials.length ? specials[i] : -10 + 20 * random.nextDouble();
            pool[i] = round(type, x);
        }
        return pool;
    }

    static double round(DType type, double x) {
        return type == DType.FLOAT32 ? (float) x : x;
    }

    /** Whether an op's vector result must equal the correctly rounded value exactly. */
    static boolean exact(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, TRUNC, SQRT, RECIPROCAL -> true;
            default -> false;
        };
    }

    static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> StrictMath.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0;
            case RELU -> x < 0 ? 0 : x;
            case FLOOR -> StrictMath.floor(x);
            case CEIL -> StrictMath.ceil(x);
            case ROUND -> StrictMath.rint(x);
            case TRUNC -> x < 0 ? StrictMath.ceil(x) : StrictMath.floor(x);
            case SQRT -> StrictMath.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case RSQRT -> 1 / StrictMath.sqrt(x);
            case EXP -> StrictMath.exp(x);
            case EXPM1 -> StrictMath.expm1(x);
            case LOG -> StrictMath.log(x);
            case LOG1P -> StrictMath.log1p(x);
            case SIN -> StrictMath.sin(x);
            case COS -> StrictMath.cos(x);
            case TANH -> StrictMath.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
            case GELU_TANH -> {
                double z = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
                // x * sigmoid(2z) = 0.5 x (1 + tanh z), without cancellation for negative x.
                yield x * unary(UnaryOp.SIGMOID, 2 * z);
            }
            default -> throw new IllegalArgumentException(op + " has no oracle here");
        };
    }

    /** Whether the operand is in the domain the kit checks for {@code op}. */
    static boolean inDomain(UnaryOp op, double x) {
        return switch (op) {
            case SIN, COS -> !(Math.abs(x) > 1e4);
            case GELU_TANH -> x != Double.NEGATIVE_INFINITY;
            default -> true;
        };
    }

    static double binary(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAXIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : StrictMath.max(x, y);
            case MINIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : StrictMath.min(x, y);
            case POW -> x == 1 || y == 0 || x == -1 && Double.isInfinite(y) ? 1 : StrictMath.pow(x, y);
            case ATAN2 -> StrictMath.atan2(x, y);
            default -> throw new IllegalArgumentException(op + " has no oracle here");
        };
    }

    static boolean compare(BinaryOp op, double x, double y) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /**
     * Whether {@code got} (already in the dtype) matches the float64 value {@code expected}: NaN for NaN;
     * bit for bit (the sign of zero included) when exact or when the rounded value is infinite; else
     * within {@code ulps} ulps of the dtype plus the smallest normal plus {@code extra}.
     */
    static boolean matches(DType type, double got, double expected, boolean exact, double extra) {
        if (Double.isNaN(expected)) {
            return Double.isNaN(got);
        }
        double rounded = round(type, expected);
        if (exact || Double.isInfinite(rounded)) {
            return Double.doubleToLongBits(got) == Double.doubleToLongBits(rounded);
        }
        boolean single = type == DType.FLOAT32;
        double ulp = single ? Math.ulp((float) expected) : Math.ulp(expected);
        double tolerance = (single ? 4 : 8) * ulp + (single ? Float.MIN_NORMAL : Double.MIN_NORMAL) + extra;
        return Math.abs(got - expected) <= tolerance;
    }

    /** The extra absolute tolerance the kit grants an op at operand x. */
    static double extra(UnaryOp op, DType type, double x) {
        double u = type == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        return switch (op) {
            case SIN, COS -> 4 * u;
            case GELU_TANH -> 4 * u * Math.abs(x);
            default -> 0;
        };
    }
}
