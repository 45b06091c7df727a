package ignis.tck;

import ignis.tensor.DType;

/**
 * The kit's own element encodings and roundings, written independently of any backend: raw bit
 * patterns (zero-extended to a long) from and to logical values, and round-to-nearest-even into
 * each floating format, float16 and bfloat16 included.
 */
final class Numbers {

    static final double FLOAT16_MAX = 65504.0;
    static final double BFLOAT16_MAX = 0x1.FEp127;

    private Numbers() {
    }

    /** The mask of a dtype's raw bits inside a long. */
    static long mask(DType dtype) {
        return dtype.byteSize() == 8 ? -1L : (1L << (8 * dtype.byteSize())) - 1;
    }

    /** Rounds {@code x} to the nearest value of a floating dtype, ties to even, overflowing to infinity. */
    static double round(double x, DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> x;
            case FLOAT32 -> (float) x;
            case FLOAT16 -> roundToFormat(x, 11, -14, FLOAT16_MAX);
            case BFLOAT16 -> roundToFormat(x, 8, -126, BFLOAT16_MAX);
            default -> throw new IllegalArgumentException("not a floating dtype: " + dtype);
        };
    }

    /**
     * Rounds to a binary format with {@code precision} significant bits and minimum normal exponent
     * {@code emin}, ties to even. Scaling by powers of two is exact, so {@code rint} does the rounding.
     */
    private static double roundToFormat(double x, int precision, int emin, double maxFinite) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return x;
        }
        double a = Math.abs(x);
        int exponent = Math.max(Math.getExponent(a), emin);
        double quantum = Math.scalb(1.0, exponent - (precision - 1));
        double r = Math.rint(a / quantum) * quantum;
        if (r > maxFinite) {
            r = Double.POSITIVE_INFINITY;
        }
        return Math.copySign(r, x);
    }

    /** The raw bits of a floating value in a floating dtype, rounding it to nearest even first. */
    static long encode(DType dtype, double x) {
        return switch (dtype) {
            case FLOAT64 -> Double.doubleToRawLongBits(x);
            case FLOAT32 -> Float.floatToRawIntBits((float) x) & 0xFFFFFFFFL;
            case FLOAT16 -> halfBits(round(x, DType.FLOAT16));
            case BFLOAT16 -> bfloatBits(round(x, DType.BFLOAT16));
            default -> throw new IllegalArgumentException(dtype + " takes integer values, not " + x);
        };
    }

    /** The raw bits of an integer value in an integral or bool dtype: the low bytes (two's complement). */
    static long encode(DType dtype, long v) {
        if (dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(dtype + " takes floating values, not the integer " + v);
        }
        return v & mask(dtype);
    }

    /** The value of raw bits as a double (integers sign-extended; bool is its byte, 0 to 255). */
    static double real(DType dtype, long raw) {
        return switch (dtype) {
            case FLOAT64 -> Double.longBitsToDouble(raw);
            case FLOAT32 -> Float.intBitsToFloat((int) raw);
            case FLOAT16 -> halfValue((int) raw);
            case BFLOAT16 -> Float.intBitsToFloat((int) raw << 16);
            default -> integer(dtype, raw);
        };
    }

    /** The value of raw integral bits: int32 sign-extended, int64 as is, bool its unsigned byte. */
    static long integer(DType dtype, long raw) {
        return switch (dtype) {
            case INT32 -> (int) raw;
            case INT64 -> raw;
            case BOOL -> raw & 0xFF;
            default -> throw new IllegalArgumentException(dtype + " is not integral");
        };
    }

    /** Whether raw bits read as true: non-zero, NaN included; -0.0 is false. */
    static boolean truth(DType dtype, long raw) {
        return dtype.isFloatingPoint() ? real(dtype, raw) != 0 || Double.isNaN(real(dtype, raw)) : (raw & mask(dtype)) != 0;
    }

    /** Wraps an integer into int32 or int64 (two's complement); bool is 0 or 1. */
    static long wrap(DType dtype, long v) {
        return switch (dtype) {
            case INT32 -> (int) v;
            case INT64 -> v;
            case BOOL -> v != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(dtype + " is not integral");
        };
    }

    static long min(DType dtype) {
        return dtype == DType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
    }

    static long max(DType dtype) {
        return dtype == DType.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
    }

    /** float16 bits of a value that float16 represents exactly. */
    static long halfBits(double r) {
        if (Double.isNaN(r)) {
            return 0x7E00;
        }
        int sign = (Double.doubleToRawLongBits(r) < 0) ? 0x8000 : 0;
        double a = Math.abs(r);
        if (Double.isInfinite(a)) {
            return sign | 0x7C00;
        }
        if (a >= 0x1p-14) {
            int e = Math.getExponent(a);
            int mantissa = (int) ((Math.scalb(a, -e) - 1) * 1024);
            return sign | (e + 15) << 10 | mantissa;
        }
        return sign | (int) (a * 0x1p24);
    }

    static double halfValue(int bits) {
        int e = (bits >>> 10) & 0x1F;
        int m = bits & 0x3FF;
        double s = (bits & 0x8000) != 0 ? -1.0 : 1.0;
        if (e == 0) {
            return s * m * 0x1p-24;
        }
        if (e == 31) {
            return m == 0 ? s * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return s * (1 + m / 1024.0) * Math.scalb(1.0, e - 15);
    }

    /** bfloat16 bits of a value that bfloat16 represents exactly: the high half of its float32 bits. */
    static long bfloatBits(double r) {
        if (Double.isNaN(r)) {
            return 0x7FC0;
        }
        return (Float.floatToRawIntBits((float) r) >>> 16) & 0xFFFF;
    }

    /** The unit roundoff of a floating dtype: half the distance from 1 to the next value. */
    static double unitRoundoff(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> 0x1p-53;
            case FLOAT32 -> 0x1p-24;
            case BFLOAT16 -> 0x1p-8;
            case FLOAT16 -> 0x1p-11;
            default -> 0;
        };
    }

    /** The smallest positive normal value of a floating dtype. */
    static double minNormal(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> Double.MIN_NORMAL;
            case FLOAT16 -> 0x1p-14;
            default -> Float.MIN_NORMAL;
        };
    }

    /** The smallest positive (subnormal) value of a floating dtype. */
    static double minSubnormal(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> Double.MIN_VALUE;
            case FLOAT16 -> 0x1p-24;
            case BFLOAT16 -> 0x1p-133;
            default -> Float.MIN_VALUE;
        };
    }

    /** The distance from |x|, rounded to the dtype, to the next larger value of the dtype. */
    static double ulp(double x, DType dtype) {
        return dtype == DType.FLOAT64 ? Math.ulp(x) : Math.ulp((float) x);
    }

    /** A value for a message: the number, and its bits for floats. */
    static String show(DType dtype, long raw) {
        if (dtype.isFloatingPoint()) {
            double v = real(dtype, raw);
            String hex = Long.toHexString(raw & mask(dtype));
            return (dtype == DType.FLOAT64 ? Double.toString(v) : Float.toString((float) v)) + " (0x" + hex + ")";
        }
        if (dtype == DType.BOOL) {
            long b = raw & 0xFF;
            return b == 0 ? "false" : b == 1 ? "true" : "true (byte 0x" + Long.toHexString(b) + ")";
        }
        return Long.toString(integer(dtype, raw));
    }
}
