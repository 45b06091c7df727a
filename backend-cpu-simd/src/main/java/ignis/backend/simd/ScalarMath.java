package ignis.backend.simd;

import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.ErrorFunction;
import ignis.tensor.spi.UnaryOp;

/**
 * The elementwise ops on one element, in double (for float32 and float64) and in long (for int32 and
 * int64, wrapped by the store): the semantics that the scalar loops use and the vector code must match.
 * They follow PyTorch on the CPU as the reference backend specifies them: Python's floor division and
 * remainder, C's pow, NaN propagating through MAXIMUM and MINIMUM, comparisons with NaN false except NE.
 * For float32 operands, +, -, *, /, sqrt computed in double and rounded once give exactly the float32
 * result (double has more than 2 * 24 + 2 bits).
 */
final class ScalarMath {

    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double GELU_TANH_CUBIC = 0.044715;

    private ScalarMath() {
    }

    static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> ElementMath.sign(x);
            // NaN (for which x < 0 is false) and -0.0 pass through, as torch.relu.
            case RELU -> x < 0 ? 0 : x;
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
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case ERF -> ErrorFunction.erf(x);
            // x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2: no cancellation in the left tail.
            case GELU -> ElementMath.gelu(x);
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x)));
            case LOGICAL_NOT, ISNAN -> throw new IllegalArgumentException(op + " has a bool result, not a float one");
        };
    }

    static long unary(UnaryOp op, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND, TRUNC -> x;
            default -> throw new IllegalArgumentException(op + " computes in float32 or float64 (its dtype rule is "
                    + op.rule() + "): the core never passes it integers");
        };
    }

    static double binary(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOOR_DIVIDE -> ElementMath.floorDivide(x, y);
            case REMAINDER -> ElementMath.remainder(x, y);
            case POW -> ElementMath.pow(x, y);
            // Math.max and Math.min return NaN when either operand is NaN.
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case ATAN2 -> Math.atan2(x, y);
            default -> throw new IllegalArgumentException(op + " has a bool result, not a number");
        };
    }

    static long binary(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case FLOOR_DIVIDE -> ElementMath.floorDivide(x, y);
            case REMAINDER -> ElementMath.remainder(x, y);
            case POW -> ElementMath.pow(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            default -> throw new IllegalArgumentException(op + " has no integer result (its dtype rule is " + op.rule() + ")");
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
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    static boolean compare(BinaryOp op, long x, long y) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    static boolean logical(BinaryOp op, boolean x, boolean y) {
        return switch (op) {
            case LOGICAL_AND -> x && y;
            case LOGICAL_OR -> x || y;
            case LOGICAL_XOR -> x != y;
            default -> throw new IllegalArgumentException(op + " is not a logical op");
        };
    }

}
