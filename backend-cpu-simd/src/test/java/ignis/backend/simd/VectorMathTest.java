package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** VectorMath against StrictMath (float: computed in double, so exact to well below a float ulp) and against itself cold and warm. */
class VectorMathTest {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    @Test
    void floatExpIsWithinOneUlpEverywhere() {
        float[] x = floatArguments(-110f, 95f);
        float[] y = applyFloats(x, VectorMath::exp);
        for (int i = 0; i < x.length; i++) {
            assertWithinUlps(StrictMath.exp(x[i]), y[i], 1, "exp(" + x[i] + ")");
        }
    }

    @Test
    void floatTanhIsWithinTwoUlpsEverywhere() {
        float[] x = floatArguments(-12f, 12f);
        float[] y = applyFloats(x, VectorMath::tanh);
        for (int i = 0; i < x.length; i++) {
            assertWithinUlps(StrictMath.tanh(x[i]), y[i], 2, "tanh(" + x[i] + ")");
        }
    }

    @Test
    void doubleExpIsWithinOneUlpOfTheExactValue() {
        double[] x = doubleArguments(-750, 712);
        double[] y = applyDoubles(x, VectorMath::exp);
        for (int i = 0; i < x.length; i++) {
            assertWithinUlps(exactExp(x[i]), y[i], 1, "exp(" + x[i] + ")");
        }
    }

    @Test
    void doubleTanhIsWithinTwoUlpsOfStrictMath() {
        double[] x = doubleArguments(-25, 25);
        double[] y = applyDoubles(x, VectorMath::tanh);
        for (int i = 0; i < x.length; i++) {
            // StrictMath.tanh is within 2.5 ulps itself; 3 leaves room for both.
            assertWithinUlps(StrictMath.tanh(x[i]), y[i], 3, "tanh(" + x[i] + ")");
        }
    }

    @Test
    void specialValuesBehaveAsMathDoes() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.72283f, 88.72284f, -87.33655f, -103.9721f, -104f};
        float[] exp = applyFloats(x, VectorMath::exp);
        float[] tanh = applyFloats(x, VectorMath::tanh);
        for (int i = 0; i < x.length; i++) {
            assertEquals((float) Math.exp(x[i]), exp[i], "exp(" + x[i] + ")");
            assertEquals((float) Math.tanh(x[i]), tanh[i], "tanh(" + x[i] + ")");
        }
        double[] d = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0d, 709.78, 709.79, -745.13, -746, 1e-300};
        double[] dexp = applyDoubles(d, VectorMath::exp);
        double[] dtanh = applyDoubles(d, VectorMath::tanh);
        for (int i = 0; i < d.length; i++) {
            assertEquals(Math.exp(d[i]), dexp[i], Math.ulp(Math.exp(d[i])), "exp(" + d[i] + ")");
            assertEquals(Math.tanh(d[i]), dtanh[i], "tanh(" + d[i] + ")");
        }
    }

    /** The point of the class: HotSpot's compiled code gives the same bits as the interpreted code. */
    @Test
    void coldAndCompiledCodeGiveTheSameBits() {
        float[] x = floatArguments(-90f, 90f);
        double[] d = doubleArguments(-700, 700);
        float[] coldExp = applyFloats(x, VectorMath::exp);
        float[] coldTanh = applyFloats(x, VectorMath::tanh);
        double[] coldDExp = applyDoubles(d, VectorMath::exp);
        for (int round = 0; round < 300; round++) {
            applyFloats(x, VectorMath::exp);
            applyFloats(x, VectorMath::tanh);
            applyDoubles(d, VectorMath::exp);
        }
        assertArrayEquals(coldExp, applyFloats(x, VectorMath::exp));
        assertArrayEquals(coldTanh, applyFloats(x, VectorMath::tanh));
        assertArrayEquals(coldDExp, applyDoubles(d, VectorMath::exp));
    }

    private static float[] floatArguments(float from, float to) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[FLOATS.length() * 2048];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 4 == 0 ? (float) (random.nextDouble(-1e-3, 1e-3) * Math.pow(10, -random.nextInt(30)))
                    : (float) random.nextDouble(from, to);
        }
        return x;
    }

    private static double[] doubleArguments(double from, double to) {
        SplittableRandom random = new SplittableRandom(11);
        double[] x = new double[DOUBLES.length() * 2048];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 4 == 0 ? random.nextDouble(-1e-3, 1e-3) * Math.pow(10, -random.nextInt(200)) : random.nextDouble(from, to);
        }
        return x;
    }

    private static float[] applyFloats(float[] x, UnaryOperator<FloatVector> f) {
        float[] padded = Arrays.copyOf(x, Math.ceilDiv(x.length, FLOATS.length()) * FLOATS.length());
        float[] y = new float[padded.length];
        for (int i = 0; i < padded.length; i += FLOATS.length()) {
            f.apply(FloatVector.fromArray(FLOATS, padded, i)).intoArray(y, i);
        }
        return Arrays.copyOf(y, x.length);
    }

    private static double[] applyDoubles(double[] x, UnaryOperator<DoubleVector> f) {
        double[] padded = Arrays.copyOf(x, Math.ceilDiv(x.length, DOUBLES.length()) * DOUBLES.length());
        double[] y = new double[padded.length];
        for (int i = 0; i < padded.length; i += DOUBLES.length()) {
            f.apply(DoubleVector.fromArray(DOUBLES, padded, i)).intoArray(y, i);
        }
        return Arrays.copyOf(y, x.length);
    }

    /** e^x to 40 digits: e^x = (e^(x/1024))^1024, the inner value by its series in BigDecimal. */
    private static double exactExp(double x) {
        if (x < -745.2 || x > 709.8) {
            return Math.exp(x);
        }
        MathContext mc = new MathContext(60);
        BigDecimal r = new BigDecimal(x).divide(BigDecimal.valueOf(1024), mc);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; k < 40; k++) {
            term = term.multiply(r, mc).divide(BigDecimal.valueOf(k), mc);
            sum = sum.add(term, mc);
        }
        for (int i = 0; i < 10; i++) {
            sum = sum.multiply(sum, mc);
        }
        return sum.doubleValue();
    }

    private static void assertWithinUlps(double exact, float actual, int ulps, String what) {
        float rounded = (float) exact;
        if (Float.isNaN(rounded) || Float.isInfinite(rounded)) {
            assertEquals(rounded, actual, what);
            return;
        }
        double ulp = Math.ulp(rounded == 0 ? Float.MIN_VALUE : rounded);
        assertTrue(Math.abs(actual - exact) <= ulps * ulp, what + " = " + actual + ", exact " + exact);
    }

    private static void assertWithinUlps(double exact, double actual, int ulps, String what) {
        if (Double.isNaN(exact) || Double.isInfinite(exact)) {
            assertEquals(exact, actual, what);
            return;
        }
        double ulp = Math.ulp(exact == 0 ? Double.MIN_VALUE : exact);
        assertTrue(Math.abs(actual - exact) <= ulps * ulp, what + " = " + actual + ", exact " + exact);
    }
}
