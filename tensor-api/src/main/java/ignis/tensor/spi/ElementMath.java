package ignis.tensor.spi;

/**
 * The value of every elementwise op on one element, as PyTorch defines it (following C and Python
 * where Java's arithmetic differs): part of the specification, like {@link Philox} and
 * {@link ErrorFunction}, and the scalar code every Java backend shares. Floats are computed in double
 * (with StrictMath, so results are reproducible) and rounded once by the caller; integers in long.
 */
public final class ElementMath {

    private static final int BFLOAT16_QUIET_BIT = 0x0040;

    private ElementMath() {
    }

    /** The constants of GELU_TANH: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    public static final double GELU_TANH_CUBIC = 0.044715;

    /** The op on a float32 or float64 value, in double precision. */
    public static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> sign(x);
            // As torch.relu: NaN (for which x < 0 is false) and -0.0 pass through unchanged.
            case RELU -> x < 0 ? 0 : x;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case EXP -> StrictMath.exp(x);
            case EXPM1 -> StrictMath.expm1(x);
            case LOG -> StrictMath.log(x);
            case LOG1P -> StrictMath.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> StrictMath.sin(x);
            case COS -> StrictMath.cos(x);
            case TANH -> StrictMath.tanh(x);
            case SIGMOID -> 1 / (1 + StrictMath.exp(-x));
            case ERF -> ErrorFunction.erf(x);
            // Φ(x) = (1 + erf(x/√2))/2 = erfc(-x/√2)/2; the erfc form keeps its precision in the left
            // tail, where 1 + erf(x/√2) cancels to nothing.
            case GELU -> gelu(x);
            case GELU_TANH -> 0.5 * x * (1 + StrictMath.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x)));
            case LOGICAL_NOT, ISNAN -> throw new IllegalArgumentException(op + " writes bool: it has no float result");
        };
    }


    /** The op on an int32 or int64 value, in long; the caller's store wraps int32 results. */
    public static long unary(UnaryOp op, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND, TRUNC -> x;
            default -> throw new IllegalArgumentException(op + " computes in float32 or float64: the core never "
                    + "passes it integers (its dtype rule is " + op.rule() + ")");
        };
    }


    public static double binary(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOOR_DIVIDE -> floorDivide(x, y);
            case REMAINDER -> remainder(x, y);
            case POW -> pow(x, y);
            // Math.max and Math.min return NaN when either operand is NaN, as required.
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case ATAN2 -> StrictMath.atan2(x, y);
            default -> throw new IllegalArgumentException(op + " has a bool result, not a float one");
        };
    }


    public static long binary(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case FLOOR_DIVIDE -> floorDivide(x, y);
            case REMAINDER -> remainder(x, y);
            case POW -> pow(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            default -> throw new IllegalArgumentException(op + " has no integer result: its dtype rule is " + op.rule());
        };
    }


    public static boolean compare(BinaryOp op, double x, double y) {
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


    public static boolean compare(BinaryOp op, long x, long y) {
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


    public static boolean logical(BinaryOp op, boolean x, boolean y) {
        return switch (op) {
            case LOGICAL_AND -> x && y;
            case LOGICAL_OR -> x || y;
            case LOGICAL_XOR -> x != y;
            default -> throw new IllegalArgumentException(op + " is not a logical op");
        };
    }


    /** As torch.sign: (0 < x) - (x < 0), so NaN and both zeros give +0. */
    public static double sign(double x) {
        if (x > 0) {
            return 1;
        }
        return x < 0 ? -1 : 0;
    }

    /**
     * Python's float {@code a // b}, as PyTorch computes it: from the exact remainder rather than
     * floor(a / b), whose rounded quotient can be off by one; IEEE's quotient for a zero divisor.
     */
    public static double floorDivide(double a, double b) {
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

    /** Python's float {@code a % b}: the exact fmod, moved by b when its sign differs from b's. */
    public static double remainder(double a, double b) {
        double mod = a % b;
        return mod != 0 && (b < 0) != (mod < 0) ? mod + b : mod;
    }

    /** Python's integer {@code a // b}. @throws ArithmeticException for a zero divisor */
    public static long floorDivide(long a, long b) {
        return Math.floorDiv(a, nonZero(a, b, "//"));
    }

    /** Python's integer {@code a % b}, with the divisor's sign. @throws ArithmeticException for a zero divisor */
    public static long remainder(long a, long b) {
        return Math.floorMod(a, nonZero(a, b, "%"));
    }

    /**
     * C's {@code pow}, which PyTorch calls. Java's {@code Math.pow} differs in two places: C gives 1 for
     * pow(1, y) with any y, NaN included, and for pow(-1, ±infinity), where Java gives NaN.
     */
    public static double pow(double x, double y) {
        if (x == 1 || x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return StrictMath.pow(x, y);
    }

    /**
     * An integer to a non-negative power by squaring, wrapping around as long arithmetic does; 0^0 = 1.
     *
     * @throws ArithmeticException for a negative exponent
     */
    public static long pow(long base, long exponent) {
        if (exponent < 0) {
            throw new ArithmeticException("Integers to negative integer powers are not allowed: " + base + " ** " + exponent);
        }
        long result = 1;
        for (long e = exponent, b = base; e != 0; e >>>= 1, b *= b) {
            if ((e & 1) != 0) {
                result *= b;
            }
        }
        return result;
    }

    /** x Φ(x), written with erfc so that it stays accurate far into the left tail. */
    public static double gelu(double x) {
        return 0.5 * x * ErrorFunction.erfc(-x / Math.sqrt(2));
    }

    /** bfloat16 (the upper half of a float32) widened to float: exact. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float narrowed to bfloat16: round to nearest, ties to even; overflow to infinity; NaN stays a quiet NaN with its sign. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // Rounding could carry a NaN's low payload into the exponent: keep the sign and top payload bits, quiet.
            return (short) (bits >>> 16 | BFLOAT16_QUIET_BIT);
        }
        int lowestKeptBit = bits >>> 16 & 1;
        return (short) ((bits + 0x7FFF + lowestKeptBit) >>> 16);
    }

    private static long nonZero(long a, long b, String op) {
        if (b == 0) {
            throw new ArithmeticException("integer division by zero: " + a + " " + op + " 0");
        }
        return b;
    }
}
