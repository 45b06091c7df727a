package ignis.tensor.spi;

/**
 * The element semantics of ops where Java's arithmetic differs from PyTorch's (which follows C and
 * Python), as code that Java backends share: part of the specification, like {@link Philox} and
 * {@link ErrorFunction}.
 */
public final class ElementMath {

    private static final int BFLOAT16_QUIET_BIT = 0x0040;

    private ElementMath() {
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
