package ignis.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The kit's own reference arithmetic, checked against independent values (mpmath, the JDK's float16 conversions). */
class KitSelfTest {

    /**
     * erf and erfc of the doubles nearest the decimal inputs, to 25 digits, from mpmath 1.3.0:
     * {@code mp.dps = 60; x = mpf(float(s)); nstr(erf(x), 25), nstr(erfc(x), 25)}.
     */
    @ParameterizedTest
    @CsvSource({
        "1e-5, 0.00001128379167057900027298965, 0.999988716208329420999727",
        "0.1, 0.1124629160182848984047123, 0.8875370839817151015952877",
        "0.5, 0.5204998778130465376827467, 0.4795001221869534623172533",
        "1, 0.8427007929497148693412206, 0.1572992070502851306587794",
        "1.5, 0.9661051464753107270669763, 0.03389485352468927293302374",
        "2, 0.9953222650189527341620693, 0.004677734981047265837930744",
        "2.5, 0.9995930479825550410604358, 0.0004069520174449589395642157",
        "2.9, 0.9999589021219005411420041, 0.00004109787809945885799587684",
        "2.99, 0.9999764743969193598046997, 0.00002352560308064019530027559",
        "3, 0.9999779095030014145586272, 0.00002209049699858544137277613",
        "3.01, 0.9999792610363628673660883, 0.0000207389636371326339117144",
        "3.5, 0.9999992569016276585872545, 0.0000007430983723414127455236838",
        "4, 0.9999999845827420997199811, 1.541725790028001885215967e-8",
        "5.5, 0.999999999999992642152082, 7.357847917974398063068362e-15",
    })
    void erf(double x, double erf, double erfc) {
        // Correctly rounded below 3 (the 50-digit series), the continued fraction's ~1e-14 relative beyond.
        double ulps = x < 3 ? 0.5 : 100;
        assertEquals(erf, ReferenceMath.erf(x), ulps * Math.ulp(erf), "erf(" + x + ")");
        assertEquals(-erf, ReferenceMath.erf(-x), ulps * Math.ulp(erf), "erf(-" + x + ")");
        assertEquals(erfc, ReferenceMath.erfc(x), x < 3 ? 0.5 * Math.ulp(erfc) : 1e-14 * erfc, "erfc(" + x + ")");
        assertEquals(1 + erf, ReferenceMath.erfc(-x), Math.ulp(1 + erf), "erfc(-" + x + ")");
    }

    @ParameterizedTest
    @CsvSource({"6, 2.151973671249891311659335e-17", "10, 2.088487583762544757000786e-45",
        "20, 5.395865611607900928934999e-176", "26, 5.663192408856142846475728e-296"})
    void erfcTail(double x, double erfc) {
        assertEquals(erfc, ReferenceMath.erfc(x), 1e-14 * erfc, "erfc(" + x + ")");
        assertEquals(1.0, ReferenceMath.erf(x));
    }

    /** float16 rounding and decoding agree with the JDK's Float.floatToFloat16 / float16ToFloat on sampled floats and every half. */
    @Test
    void float16AgreesWithTheJdk() {
        for (int h = 0; h < 0x10000; h++) {
            int bits = h;
            float jdk = Float.float16ToFloat((short) bits);
            double kit = Numbers.halfValue(bits);
            assertTrue(Float.isNaN(jdk) ? Double.isNaN(kit) : jdk == kit && Math.copySign(1, jdk) == Math.copySign(1, kit),
                    () -> "half " + Integer.toHexString(bits));
        }
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 4093) {
            long b = bits;
            float f = Float.intBitsToFloat((int) b);
            long jdk = Float.floatToFloat16(f) & 0xFFFF;
            long kit = Numbers.encode(DType.FLOAT16, f);
            if (Float.isNaN(f)) {
                assertTrue(Double.isNaN(Numbers.halfValue((int) kit)));
            } else {
                assertEquals(jdk, kit, () -> "float " + f + " (0x" + Long.toHexString(b) + ")");
            }
        }
    }

    /** bfloat16 rounding agrees with the integer round-to-nearest-even on float32 bits (PyTorch's c10::BFloat16). */
    @Test
    void bfloat16AgreesWithBitRounding() {
        for (long b = 0; b <= 0xFFFFFFFFL; b += 4093) {
            int bits = (int) b;
            float f = Float.intBitsToFloat(bits);
            if (Float.isNaN(f)) {
                continue;
            }
            int bias = 0x7FFF + ((bits >>> 16) & 1);
            long expected = ((bits & 0xFFFFFFFFL) + bias) >>> 16 & 0xFFFF;
            assertEquals(expected, Numbers.encode(DType.BFLOAT16, f), () -> "float " + f);
        }
    }

    @Test
    void roundingEdges() {
        assertEquals(1.0, Numbers.round(1 + 0x1p-11, DType.FLOAT16), "tie to even");
        assertEquals(1 + 0x1p-9, Numbers.round(1 + 3 * 0x1p-11, DType.FLOAT16), "tie to even, upward");
        assertEquals(65504.0, Numbers.round(65519.99, DType.FLOAT16));
        assertEquals(Double.POSITIVE_INFINITY, Numbers.round(65520, DType.FLOAT16));
        assertEquals(0.0, Numbers.round(0x1p-25, DType.FLOAT16), "half the smallest subnormal rounds to zero (even)");
        assertEquals(0x1p-23, Numbers.round(3 * 0x1p-25, DType.FLOAT16));
        assertEquals(Double.POSITIVE_INFINITY, Numbers.round(Float.MAX_VALUE, DType.BFLOAT16));
        assertEquals(0x1p-133, Numbers.round(0x1p-133, DType.BFLOAT16));
    }

    /** Layouts never place two elements of an output at one address, and stay inside their span. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void layouts(Layout layout) {
        for (long[] shape : new long[][] {{}, {1}, {7}, {3, 4}, {2, 3, 4}, {1, 4, 1}, {2, 3, 4, 5}}) {
            Layout.Placement p = layout.place(shape);
            int n = Values.numel(shape);
            boolean[] used = new boolean[(int) p.span()];
            for (int i = 0; i < n; i++) {
                long at = Workspace.position(p.offset(), p.strides(), Values.unravel(i, shape));
                assertTrue(at >= 0 && at < p.span(), layout + " places an element outside its span");
                assertTrue(layout.broadcast() || !used[(int) at], layout + " places two elements at " + at);
                used[(int) at] = true;
            }
        }
    }

    @Test
    void exactSum() {
        ExactSum s = new ExactSum();
        s.add(1e16);
        s.add(1);
        s.add(-1e16);
        assertEquals(1.0, s.value());
        s.add(Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, s.value());
        s.add(Double.NEGATIVE_INFINITY);
        assertTrue(Double.isNaN(s.value()));
    }

    @Test
    void pythonDivision() {
        assertEquals(-1.0, ReferenceMath.floorDivide(-1, Double.POSITIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, ReferenceMath.remainder(-1, Double.POSITIVE_INFINITY));
        assertEquals(-4.0, ReferenceMath.floorDivide(7, -2));
        assertEquals(-1.0, ReferenceMath.remainder(7, -2));
        assertEquals(3.0, ReferenceMath.floorDivide(-7.5, -2.5));
        assertTrue(Double.isNaN(ReferenceMath.floorDivide(Double.POSITIVE_INFINITY, 2)));
        assertEquals(1.0, ReferenceMath.pow(1, Double.NaN));
        assertEquals(1.0, ReferenceMath.pow(-1, Double.NEGATIVE_INFINITY));
    }
}
