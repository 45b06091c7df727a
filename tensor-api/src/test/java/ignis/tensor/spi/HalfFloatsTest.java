package ignis.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    /** binary16 decoded from its fields, independently of the JDK: (-1)^s * 2^(e-15) * 1.f, or subnormal. */
    private static double decodeFloat16(int bits) {
        int sign = bits >> 15 & 1;
        int exponent = bits >> 10 & 0x1F;
        int fraction = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) fraction, -24);
        } else {
            magnitude = Math.scalb(1024.0 + fraction, exponent - 25);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    private static int float16(float value) {
        return Float.floatToFloat16(value) & 0xFFFF;
    }

    private static int bfloat16(float value) {
        return ElementMath.floatToBfloat16(value) & 0xFFFF;
    }

    @Test
    void float16DecodesEveryPatternExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int pattern = bits;
            double expected = decodeFloat16(bits);
            float actual = Float.float16ToFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), () -> "pattern " + Integer.toHexString(pattern));
            } else {
                assertEquals(expected, actual, 0.0);
                assertEquals(bits >> 15, Float.floatToRawIntBits(actual) >>> 31, "sign of zero");
                assertEquals(bits, float16(actual), "round trip");
            }
        }
    }

    @Test
    void float16RoundsToNearestEven() {
        assertEquals(0x3555, float16(1f / 3));
        assertEquals(0x3C00, float16(1f));
        assertEquals(0x3C00, float16(1f + 0x1p-11f));           // halfway between 1 and 1 + 2^-10: even
        assertEquals(0x3C02, float16(1f + 3 * 0x1p-11f));       // halfway between 1 + 2^-10 and 1 + 2^-9: even
        assertEquals(0x3C01, float16(1f + 0x1p-11f + 0x1p-20f)); // just above halfway: up
        assertEquals(0x8000, float16(-0f));
        assertEquals(0x0001, float16(0x1p-24f));                 // the smallest subnormal
        assertEquals(0x0000, float16(0x1p-25f));                 // halfway to it: even, zero
        assertEquals(0x0001, float16(0x1.8p-25f));
        assertEquals(0x0000, float16(1e-8f));
    }

    @Test
    void float16OverflowsToInfinity() {
        assertEquals(0x7BFF, float16(65504f));   // the largest finite
        assertEquals(0x7BFF, float16(65519f));
        assertEquals(0x7C00, float16(65520f));   // halfway to 65536: even, which is infinity
        assertEquals(0xFC00, float16(-65520f));
        assertEquals(0x7C00, float16(Float.POSITIVE_INFINITY));
        assertEquals(0x7C00, float16(Float.MAX_VALUE));
    }

    @Test
    void float16KeepsNaN() {
        assertTrue(Float.isNaN(Float.float16ToFloat(Float.floatToFloat16(Float.NaN))));
        assertTrue(Float.isNaN(Float.float16ToFloat(Float.floatToFloat16(Float.intBitsToFloat(0x7F800001)))));
        assertTrue(Float.isNaN(Float.float16ToFloat(Float.floatToFloat16(Float.intBitsToFloat(0xFFC00000)))));
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            assertEquals(bits << 16, Float.floatToRawIntBits(ElementMath.bfloat16ToFloat((short) bits)));
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals(0x3F80, bfloat16(1f));
        assertEquals(0x3F80, bfloat16(1.00390625f));             // 1 + 2^-8, halfway: even (down)
        assertEquals(0x3F81, bfloat16(Math.nextUp(1.00390625f))); // just above halfway: up
        assertEquals(0x3F81, bfloat16(1.0078125f));              // exact
        assertEquals(0x3F82, bfloat16(1.01171875f));             // 1 + 3 * 2^-8, halfway: even (up)
        assertEquals(0x3EAB, bfloat16(1f / 3));
        assertEquals(0x8000, bfloat16(-0f));
        assertEquals(0x0001, bfloat16(Float.intBitsToFloat(0x00008000 + 1))); // subnormals round the same way
    }

    @Test
    void bfloat16OverflowsToInfinity() {
        assertEquals(0x7F80, bfloat16(Float.MAX_VALUE));
        assertEquals(0xFF80, bfloat16(-Float.MAX_VALUE));
        assertEquals(0x7F7F, bfloat16(Float.intBitsToFloat(0x7F7F7FFF)));
        assertEquals(0x7F80, bfloat16(Float.POSITIVE_INFINITY));
    }

    @Test
    void bfloat16KeepsNaNEvenWithOnlyLowPayloadBits() {
        // Plain rounding of 0x7F800001 would carry nothing and truncate to 0x7F80, infinity.
        for (int bits : new int[] {0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FFFFFFF, 0xFF80FFFF}) {
            int rounded = bfloat16(Float.intBitsToFloat(bits));
            assertTrue(Float.isNaN(ElementMath.bfloat16ToFloat((short) rounded)), Integer.toHexString(bits));
            assertEquals(bits >>> 31, rounded >>> 15, "sign");
        }
    }

    @Test
    void bfloat16MatchesNearestEvenChosenByDistance() {
        Random random = new Random(20261122);
        for (int n = 0; n < 100_000; n++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(value)) {
                continue;
            }
            int bits = Float.floatToRawIntBits(value);
            int down = bits >>> 16;
            int up = down + 1;
            // Both neighbours as doubles (exact), and the distances to them (exact too).
            double below = ElementMath.bfloat16ToFloat((short) down);
            double above = up == 0x7F80 || up == 0xFF80 ? Math.scalb((double) Math.signum(value), 128)
                    : ElementMath.bfloat16ToFloat((short) up);
            double toBelow = Math.abs(value - below);
            double toAbove = Math.abs(above - value);
            int expected = toBelow < toAbove || toBelow == toAbove && (down & 1) == 0 ? down : up;
            assertEquals(expected & 0xFFFF, bfloat16(value), () -> "for " + value);
        }
    }
}
