package ignis.backend.simd;

/**
 * bfloat16, the upper half of a float32 (1 sign, 8 exponent, 7 fraction bits). float16 (IEEE binary16)
 * uses {@link Float#floatToFloat16} and {@link Float#float16ToFloat}, which round to nearest even and
 * keep NaN a NaN.
 */
final class HalfFloats {

    private HalfFloats() {
    }

    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Rounds to nearest, ties to even; overflows to infinity; NaN stays a (quiet) NaN with its sign. */
    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (value != value) {
            // Truncating keeps the sign and top payload; setting the quiet bit keeps it a NaN even when
            // the payload lived only in the dropped low half.
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds the dropped half to nearest even; a carry
        // propagates into the exponent as it should (up to infinity).
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
