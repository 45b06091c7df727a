package ignis.backend.reference;

/**
 * The two 16-bit storage formats, converted to and from float32. Widening is exact; narrowing rounds
 * to nearest, ties to even, overflows to infinity and keeps NaN a NaN (with its sign).
 *
 * <ul>
 * <li>float16 is IEEE 754 binary16: 1 sign, 5 exponent and 10 fraction bits; Java has had its
 *     conversions since 20.</li>
 * <li>bfloat16 is the upper half of a float32: 1 sign, 8 exponent and 7 fraction bits.</li>
 * </ul>
 */
final class HalfFloats {

    private static final int BFLOAT16_QUIET_BIT = 0x0040;

    private HalfFloats() {
    }

    static float float16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    static short floatToFloat16(float value) {
        return Float.floatToFloat16(value);
    }

    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // Rounding could carry a NaN's low payload into the exponent (or clear it to infinity):
            // keep the sign and top payload bits and make sure the result is a quiet NaN.
            return (short) (bits >>> 16 | BFLOAT16_QUIET_BIT);
        }
        // Round to nearest, ties to even, by adding just under half of the dropped range (0x7FFF)
        // plus the lowest kept bit, then truncating. A carry out of the fraction correctly bumps the
        // exponent, up to infinity for values beyond bfloat16's largest finite number.
        int lowestKeptBit = bits >>> 16 & 1;
        return (short) ((bits + 0x7FFF + lowestKeptBit) >>> 16);
    }
}
