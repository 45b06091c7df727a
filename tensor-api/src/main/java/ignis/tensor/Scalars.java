package ignis.tensor;

import ignis.tensor.spi.ElementMath;

/** Conversions of Java numbers into the raw element bits of a dtype, as {@code Backend.fill} takes them. */
final class Scalars {

    private Scalars() {
    }

    /** The bits of {@code value} converted to {@code dtype} as PyTorch converts a Python float. */
    static long bits(double value, DType dtype) {
        return switch (dtype) {
            case BOOL -> value != 0 || Double.isNaN(value) ? 1 : 0;
            case INT32 -> (int) value & 0xFFFFFFFFL;
            case INT64 -> (long) value;
            case FLOAT16 -> Float.floatToFloat16((float) value) & 0xFFFF;
            case BFLOAT16 -> ElementMath.floatToBfloat16((float) value) & 0xFFFF;
            case FLOAT32 -> Float.floatToRawIntBits((float) value) & 0xFFFFFFFFL;
            case FLOAT64 -> Double.doubleToRawLongBits(value);
        };
    }

    /** The bits of an exact integer in {@code dtype}. */
    static long bits(long value, DType dtype) {
        return switch (dtype) {
            case BOOL -> value != 0 ? 1 : 0;
            case INT32 -> (int) value & 0xFFFFFFFFL;
            case INT64 -> value;
            default -> bits((double) value, dtype);
        };
    }
}
