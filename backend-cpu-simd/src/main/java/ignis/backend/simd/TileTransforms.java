package ignis.backend.simd;

import static ignis.backend.simd.Elements.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one-dimensional transforms of Winograd's F(4, 3) ({@link WinogradF4x4}): G of three weights, and on
 * vectors, each lane a channel or a tile of its own, B^T of six inputs, A^T of six products and A of
 * four output gradients. A tile's transform is one of them along each of its rows, then along each
 * column of the results. The JVM options inline these into their loops (a call would box the vectors,
 * or take longer than the arithmetic).
 */
final class TileTransforms {

    private static final VectorSpecies<Float> FLOATS = Gemm.FLOATS.species();
    static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_512;

    private TileTransforms() {
    }

    /** G (g0, g1, g2): six values into {@code to} from {@code at}, {@code step} apart. */
    static void kernel(double g0, double g1, double g2, double[] to, int at, int step) {
        double sixth = 1.0 / 6;
        double outer = (g0 + g2) * sixth;
        double middle = g1 * sixth;
        double quarter = g0 * (1.0 / 24) + g2 * sixth;
        double half = g1 * (1.0 / 12);
        to[at] = g0 * 0.25;
        to[at + step] = -outer - middle;
        to[at + 2 * step] = middle - outer;
        to[at + 3 * step] = quarter + half;
        to[at + 4 * step] = quarter - half;
        to[at + 5 * step] = g2;
    }

    /**
     * G^T of the six vectors of eight doubles of {@code from} from {@code at}, {@code step} apart (the weight
     * gradient): three vectors into {@code to} likewise.
     */
    static void kernelGradient(double[] from, int at, int step, double[] to, int toAt, int toStep) {
        DoubleVector x0 = DoubleVector.fromArray(DOUBLES, from, at);
        DoubleVector x1 = DoubleVector.fromArray(DOUBLES, from, at + step);
        DoubleVector x2 = DoubleVector.fromArray(DOUBLES, from, at + 2 * step);
        DoubleVector x3 = DoubleVector.fromArray(DOUBLES, from, at + 3 * step);
        DoubleVector x4 = DoubleVector.fromArray(DOUBLES, from, at + 4 * step);
        DoubleVector x5 = DoubleVector.fromArray(DOUBLES, from, at + 5 * step);
        DoubleVector sum12 = x1.add(x2).mul(1.0 / 6);
        DoubleVector sum34 = x3.add(x4);
        DoubleVector difference34 = x3.sub(x4).mul(1.0 / 12);
        x0.mul(0.25).sub(sum12).add(sum34.mul(1.0 / 24)).intoArray(to, toAt);
        x2.sub(x1).mul(1.0 / 6).add(difference34).intoArray(to, toAt + toStep);
        sum34.mul(1.0 / 6).sub(sum12).add(x5).intoArray(to, toAt + 2 * toStep);
    }

    /** B^T of the six vectors of {@code from} from {@code at}, {@code step} apart: six vectors into {@code to} likewise. */
    static void input(float[] from, int at, int step, float[] to, int toAt, int toStep) {
        FloatVector x0 = FloatVector.fromArray(FLOATS, from, at);
        FloatVector x1 = FloatVector.fromArray(FLOATS, from, at + step);
        FloatVector x2 = FloatVector.fromArray(FLOATS, from, at + 2 * step);
        FloatVector x3 = FloatVector.fromArray(FLOATS, from, at + 3 * step);
        FloatVector x4 = FloatVector.fromArray(FLOATS, from, at + 4 * step);
        FloatVector x5 = FloatVector.fromArray(FLOATS, from, at + 5 * step);
        FloatVector minusFour = FloatVector.broadcast(FLOATS, -4f);
        FloatVector minusFive = FloatVector.broadcast(FLOATS, -5f);
        FloatVector four = FloatVector.broadcast(FLOATS, 4f);
        FloatVector sum = x2.fma(minusFour, x4);
        FloatVector difference = x1.fma(minusFour, x3);
        FloatVector outer = x4.sub(x2);
        FloatVector half = x3.sub(x1);
        FloatVector inner = half.add(half);
        x0.fma(four, x2.fma(minusFive, x4)).intoArray(to, toAt);
        sum.add(difference).intoArray(to, toAt + toStep);
        sum.sub(difference).intoArray(to, toAt + 2 * toStep);
        outer.add(inner).intoArray(to, toAt + 3 * toStep);
        outer.sub(inner).intoArray(to, toAt + 4 * toStep);
        x1.fma(four, x3.fma(minusFive, x5)).intoArray(to, toAt + 5 * toStep);
    }

    /**
     * A of the four vectors of {@code from} from {@code at}, {@code step} apart (the transpose of A^T, for
     * the weight gradient): six vectors into {@code to} from {@code toAt}, {@code toStep} apart.
     */
    static void gradient(float[] from, int at, int step, float[] to, int toAt, int toStep) {
        FloatVector y0 = FloatVector.fromArray(FLOATS, from, at);
        FloatVector y1 = FloatVector.fromArray(FLOATS, from, at + step);
        FloatVector y2 = FloatVector.fromArray(FLOATS, from, at + 2 * step);
        FloatVector y3 = FloatVector.fromArray(FLOATS, from, at + 3 * step);
        FloatVector even = y0.add(y2);
        FloatVector odd = y1.add(y3);
        FloatVector evenByPowers = y2.fma(FloatVector.broadcast(FLOATS, 4f), y0);
        FloatVector oddByPowers = y3.fma(FloatVector.broadcast(FLOATS, 4f), y1);
        FloatVector twiceOdd = oddByPowers.add(oddByPowers);
        y0.intoArray(to, toAt);
        even.add(odd).intoArray(to, toAt + toStep);
        even.sub(odd).intoArray(to, toAt + 2 * toStep);
        evenByPowers.add(twiceOdd).intoArray(to, toAt + 3 * toStep);
        evenByPowers.sub(twiceOdd).intoArray(to, toAt + 4 * toStep);
        y3.intoArray(to, toAt + 5 * toStep);
    }

    /** A^T of the six vectors of {@code from} from element {@code at}, {@code step} apart: four vectors into {@code to} from {@code toAt}, {@code toStep} apart. */
    static void outputColumn(MemorySegment from, long at, long step, float[] to, int toAt, int toStep) {
        FloatVector m0 = load(from, at);
        FloatVector m1 = load(from, at + step);
        FloatVector m2 = load(from, at + 2 * step);
        FloatVector m3 = load(from, at + 3 * step);
        FloatVector m4 = load(from, at + 4 * step);
        FloatVector m5 = load(from, at + 5 * step);
        FloatVector sum12 = m1.add(m2);
        FloatVector difference12 = m1.sub(m2);
        FloatVector sum34 = m3.add(m4);
        FloatVector difference34 = m3.sub(m4);
        m0.add(sum12).add(sum34).intoArray(to, toAt);
        difference34.fma(FloatVector.broadcast(FLOATS, 2f), difference12).intoArray(to, toAt + toStep);
        sum34.fma(FloatVector.broadcast(FLOATS, 4f), sum12).intoArray(to, toAt + 2 * toStep);
        difference34.fma(FloatVector.broadcast(FLOATS, 8f), difference12).add(m5).intoArray(to, toAt + 3 * toStep);
    }

    /** A^T of the six vectors of {@code from} from {@code at}, {@code step} apart, plus shift: four vectors into {@code to} from {@code toAt}, {@code toStep} apart. */
    static void outputRow(float[] from, int at, int step, FloatVector shift, float[] to, int toAt, int toStep) {
        FloatVector m0 = FloatVector.fromArray(FLOATS, from, at);
        FloatVector m1 = FloatVector.fromArray(FLOATS, from, at + step);
        FloatVector m2 = FloatVector.fromArray(FLOATS, from, at + 2 * step);
        FloatVector m3 = FloatVector.fromArray(FLOATS, from, at + 3 * step);
        FloatVector m4 = FloatVector.fromArray(FLOATS, from, at + 4 * step);
        FloatVector m5 = FloatVector.fromArray(FLOATS, from, at + 5 * step);
        FloatVector sum12 = m1.add(m2);
        FloatVector difference12 = m1.sub(m2);
        FloatVector sum34 = m3.add(m4);
        FloatVector difference34 = m3.sub(m4);
        m0.add(sum12).add(sum34).add(shift).intoArray(to, toAt);
        difference34.fma(FloatVector.broadcast(FLOATS, 2f), difference12).add(shift).intoArray(to, toAt + toStep);
        sum34.fma(FloatVector.broadcast(FLOATS, 4f), sum12).add(shift).intoArray(to, toAt + 2 * toStep);
        difference34.fma(FloatVector.broadcast(FLOATS, 8f), difference12).add(m5).add(shift).intoArray(to, toAt + 3 * toStep);
    }

    private static FloatVector load(MemorySegment from, long at) {
        return FloatVector.fromMemorySegment(FLOATS, from, at * Float.BYTES, ORDER);
    }
}
