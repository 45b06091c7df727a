package ignis.backend.simd;

import ignis.tensor.spi.BinaryOp;
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

    private static final double SQRT_HALF = Math.sqrt(0.5);
    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double GELU_TANH_CUBIC = 0.044715;

    private ScalarMath() {
    }

    static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> sign(x);
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
            case ERF -> Erf.erf(x);
            // x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2: no cancellation in the left tail.
            case GELU -> 0.5 * x * Erf.erfc(-x * SQRT_HALF);
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

    /** -1, 0 or 1 as PyTorch computes it, (0 < x) - (x < 0): +0 for both zeros and for NaN. */
    static double sign(double x) {
        return x > 0 ? 1 : x < 0 ? -1 : 0;
    }

    static double binary(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOOR_DIVIDE -> floorDivide(x, y);
            case REMAINDER -> remainder(x, y);
            case POW -> pow(x, y);
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
            case FLOOR_DIVIDE -> Math.floorDiv(x, divisor(op, x, y));
            case REMAINDER -> Math.floorMod(x, divisor(op, x, y));
            case POW -> pow(x, y);
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

    /**
     * Python's float {@code a // b} as PyTorch computes it: from the exact fmod rather than from the
     * rounded quotient, which can be off by one; IEEE's quotient for a zero divisor.
     */
    static double floorDivide(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double quotient = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            quotient -= 1;
        }
        if (quotient == 0) {
            return Math.copySign(0.0, a / b);
        }
        double floor = Math.floor(quotient);
        return quotient - floor > 0.5 ? floor + 1 : floor;
    }

    /** Python's float {@code a % b}: fmod, moved by b when its sign differs from b's. */
    static double remainder(double a, double b) {
        double mod = a % b;
        return mod != 0 && (b < 0) != (mod < 0) ? mod + b : mod;
    }

    /** C's pow, which PyTorch follows: as Java's except pow(1, y) = 1 and pow(-1, +-inf) = 1, even for NaN y. */
    static double pow(double x, double y) {
        if (x == 1 || x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    /** An integer to a non-negative power by squaring, wrapping as long arithmetic does; 0^0 = 1. */
    static long pow(long base, long exponent) {
        if (exponent < 0) {
            throw new ArithmeticException("POW: integers to negative integer powers are not allowed: "
                    + base + " ** " + exponent);
        }
        long result = 1;
        for (long e = exponent, b = base; e != 0; e >>>= 1, b *= b) {
            if ((e & 1) != 0) {
                result *= b;
            }
        }
        return result;
    }

    private static long divisor(BinaryOp op, long x, long y) {
        if (y == 0) {
            throw new ArithmeticException(op + ": integer division by zero (" + x + " by 0)");
        }
        return y;
    }
}
