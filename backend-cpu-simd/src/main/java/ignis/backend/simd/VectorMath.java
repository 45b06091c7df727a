package ignis.backend.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, tanh and lane sums of vectors from nothing but IEEE adds, multiplies, fused multiply-adds and bit
 * operations, so that a value is the same bits whether HotSpot runs the Vector API's Java fallback
 * (interpreter, C1) or its C2 intrinsic. The Vector API's own {@code EXP}, {@code TANH} etc. do not
 * promise that: compiled code calls a vector math library whose last bit differs from the fallback's
 * {@link Math} calls, so a training run would change with JIT timing and a seed would not reproduce it.
 *
 * <p>exp: Cody-Waite reduction {@code x = n ln2 + r}, {@code |r| <= ln2/2}, then a polynomial in r
 * (Cephes' minimax for float, Taylor to degree 13 for double) and a scale by {@code 2^n} in two
 * factors so that results near overflow and in the subnormal range are rounded once. Within 1 ulp of
 * the exact value; NaN stays NaN, large arguments give infinity and zero.
 */
final class VectorMath {

    private static final float F_LOG2E = 1.44269504088896341f;
    private static final float F_LN2_HI = 0.693359375f;
    private static final float F_LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 to an integer held in the low mantissa bits. */
    private static final float F_ROUNDER = 12582912f;

    private static final double D_LOG2E = 1.4426950408889634;
    private static final double D_LN2_HI = 6.93145751953125E-1;
    private static final double D_LN2_LO = 1.42860682030941723212E-6;
    private static final double D_ROUNDER = 6755399441055744.0; // 1.5 * 2^52
    private static final long D_ROUNDER_BITS = Double.doubleToRawLongBits(D_ROUNDER);

    private VectorMath() {
    }

    /**
     * The sum of the lanes from first to last. {@code reduceLanes(ADD)} adds in an order of the JIT's
     * choosing, so its last bit changes when HotSpot compiles the caller.
     */
    static float sum(FloatVector v) {
        float sum = 0;
        for (float lane : v.toArray()) {
            sum += lane;
        }
        return sum;
    }

    static double sum(DoubleVector v) {
        double sum = 0;
        for (double lane : v.toArray()) {
            sum += lane;
        }
        return sum;
    }

    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(-104f).min(88.8f);
        FloatVector shifted = clamped.fma(x.broadcast(F_LOG2E), x.broadcast(F_ROUNDER));
        FloatVector n = shifted.sub(F_ROUNDER);
        FloatVector r = n.fma(x.broadcast(-F_LN2_HI), clamped);
        r = n.fma(x.broadcast(-F_LN2_LO), r);
        FloatVector p = r.fma(x.broadcast(1.9875691500E-4f), x.broadcast(1.3981999507E-3f));
        p = p.fma(r, x.broadcast(8.3334519073E-3f));
        p = p.fma(r, x.broadcast(4.1665795894E-2f));
        p = p.fma(r, x.broadcast(1.6666665459E-1f));
        p = p.fma(r, x.broadcast(5.0000001201E-1f));
        FloatVector y = p.mul(r).fma(r, r).add(1f);
        // n as an int by a cast, not by reading shifted's bits (reinterpretAsInts): the Java fallback of a
        // reinterpretation stores the vector into a heap segment, and the profile of that store, shared with
        // every kernel, then makes their compiled stores check for heap segments (conv 1->32 forward after
        // an exp of 16M floats: 350 -> 515 us). The cast's fallback goes through arrays.
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    static DoubleVector exp(DoubleVector x) {
        DoubleVector clamped = x.max(-746d).min(709.9d);
        DoubleVector shifted = clamped.fma(x.broadcast(D_LOG2E), x.broadcast(D_ROUNDER));
        DoubleVector n = shifted.sub(D_ROUNDER);
        DoubleVector r = n.fma(x.broadcast(-D_LN2_HI), clamped);
        r = n.fma(x.broadcast(-D_LN2_LO), r);
        // Taylor series of e^r - 1 - r, Horner from 1/13! down to 1/2!.
        DoubleVector p = r.fma(x.broadcast(1.6059043836821613E-10), x.broadcast(2.08767569878681E-9));
        p = p.fma(r, x.broadcast(2.505210838544172E-8));
        p = p.fma(r, x.broadcast(2.755731922398589E-7));
        p = p.fma(r, x.broadcast(2.7557319223985893E-6));
        p = p.fma(r, x.broadcast(2.48015873015873E-5));
        p = p.fma(r, x.broadcast(1.984126984126984E-4));
        p = p.fma(r, x.broadcast(1.388888888888889E-3));
        p = p.fma(r, x.broadcast(8.333333333333333E-3));
        p = p.fma(r, x.broadcast(4.1666666666666664E-2));
        p = p.fma(r, x.broadcast(1.6666666666666666E-1));
        p = p.fma(r, x.broadcast(0.5));
        DoubleVector y = p.mul(r).fma(r, r).add(1d);
        // Bits, not a cast as in float: a double-to-long vector cast needs AVX-512 DQ to compile.
        LongVector k = shifted.reinterpretAsLongs().sub(D_ROUNDER_BITS);
        LongVector half = k.lanewise(VectorOperators.ASHR, 1);
        DoubleVector s1 = half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = k.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return y.mul(s1).mul(s2);
    }

    /**
     * tanh: Cephes' odd polynomial below 0.625 in magnitude, {@code 1 - 2 / (e^{2|x|} + 1)} with the
     * sign of x above, 1 beyond 10 (float) where the formula's rounding already gives 1.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(x.broadcast(-5.70498872745E-3f), x.broadcast(2.06390887954E-2f));
        p = p.fma(z, x.broadcast(-5.37397155531E-2f));
        p = p.fma(z, x.broadcast(1.33314422036E-1f));
        p = p.fma(z, x.broadcast(-3.33332819422E-1f));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector large = x.broadcast(1f).sub(x.broadcast(2f).div(exp(a.min(10f).mul(2f)).add(1f)));
        FloatVector signed = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        // NaN and signed zeros pass through as they are.
        return signed.blend(small, a.compare(VectorOperators.LT, 0.625f)).blend(x, x.compare(VectorOperators.NE, x).or(a.eq(0f)));
    }

    /** tanh in double: Cephes' rational form below 0.625, {@code 1 - 2 / (e^{2|x|} + 1)} above, 1 beyond 20. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector z = x.mul(x);
        DoubleVector num = z.fma(x.broadcast(-9.64399179425052238628E-1), x.broadcast(-9.92877231001918586564E1));
        num = num.fma(z, x.broadcast(-1.61468768441708447952E3));
        DoubleVector den = z.add(1.12811678491632931402E2);
        den = den.fma(z, x.broadcast(2.23548839060100448583E3));
        den = den.fma(z, x.broadcast(4.84406305325125486048E3));
        DoubleVector small = num.mul(z).div(den).fma(x, x);
        DoubleVector large = x.broadcast(1d).sub(x.broadcast(2d).div(exp(a.min(20d).mul(2d)).add(1d)));
        DoubleVector signed = large.blend(large.neg(), x.compare(VectorOperators.LT, 0d));
        return signed.blend(small, a.compare(VectorOperators.LT, 0.625d)).blend(x, x.compare(VectorOperators.NE, x).or(a.eq(0d)));
    }
}
