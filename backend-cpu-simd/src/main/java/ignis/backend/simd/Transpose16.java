package ignis.backend.simd;

import static ignis.backend.simd.Elements.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transpose of a 16 x 16 block of floats in 512-bit registers, for the GEMM's packing of an operand
 * that is dense along the other axis than its panels need (the weights of {@code x W^T}, the
 * activations of {@code g^T x}): four rounds of two-register selects instead of 256 scalar moves.
 */
final class Transpose16 {

    static final int SIZE = 16;
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    // Round d pairs row j with row j + d (j / d even): the low result takes the lanes whose bit d is
    // clear from row j and the others from row j + d shifted down by d; the high result the rest.
    private static final FloatVector LOW_8 = selector(8, false);
    private static final FloatVector HIGH_8 = selector(8, true);
    private static final FloatVector LOW_4 = selector(4, false);
    private static final FloatVector HIGH_4 = selector(4, true);
    private static final FloatVector LOW_2 = selector(2, false);
    private static final FloatVector HIGH_2 = selector(2, true);
    private static final FloatVector LOW_1 = selector(1, false);
    private static final FloatVector HIGH_1 = selector(1, true);

    private Transpose16() {
    }

    /** Whether {@code species} is the one these transposes work in. */
    static boolean fits(VectorSpecies<Float> species) {
        return species.length() == SIZE;
    }

    private static FloatVector selector(int d, boolean high) {
        float[] lanes = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            boolean fromFirst = (i / d) % 2 == 0;
            lanes[i] = fromFirst ? (high ? i + d : i) : (high ? SIZE + i : SIZE + i - d);
        }
        return FloatVector.fromArray(S, lanes, 0);
    }

    /**
     * Reads 16 rows of 16 floats, row j from element {@code from + j * stride} of {@code src}, and writes
     * its columns as rows: column q to {@code to} from {@code first + q * step} for q < 8 and from
     * {@code second + (q - 8) * step} for the others.
     */
    static void block(MemorySegment src, long from, long stride, float[] to, int first, int second, int step) {
        FloatVector r0 = FloatVector.fromMemorySegment(S, src, (from + 0 * stride) * Float.BYTES, ORDER);
        FloatVector r1 = FloatVector.fromMemorySegment(S, src, (from + 1 * stride) * Float.BYTES, ORDER);
        FloatVector r2 = FloatVector.fromMemorySegment(S, src, (from + 2 * stride) * Float.BYTES, ORDER);
        FloatVector r3 = FloatVector.fromMemorySegment(S, src, (from + 3 * stride) * Float.BYTES, ORDER);
        FloatVector r4 = FloatVector.fromMemorySegment(S, src, (from + 4 * stride) * Float.BYTES, ORDER);
        FloatVector r5 = FloatVector.fromMemorySegment(S, src, (from + 5 * stride) * Float.BYTES, ORDER);
        FloatVector r6 = FloatVector.fromMemorySegment(S, src, (from + 6 * stride) * Float.BYTES, ORDER);
        FloatVector r7 = FloatVector.fromMemorySegment(S, src, (from + 7 * stride) * Float.BYTES, ORDER);
        FloatVector r8 = FloatVector.fromMemorySegment(S, src, (from + 8 * stride) * Float.BYTES, ORDER);
        FloatVector r9 = FloatVector.fromMemorySegment(S, src, (from + 9 * stride) * Float.BYTES, ORDER);
        FloatVector r10 = FloatVector.fromMemorySegment(S, src, (from + 10 * stride) * Float.BYTES, ORDER);
        FloatVector r11 = FloatVector.fromMemorySegment(S, src, (from + 11 * stride) * Float.BYTES, ORDER);
        FloatVector r12 = FloatVector.fromMemorySegment(S, src, (from + 12 * stride) * Float.BYTES, ORDER);
        FloatVector r13 = FloatVector.fromMemorySegment(S, src, (from + 13 * stride) * Float.BYTES, ORDER);
        FloatVector r14 = FloatVector.fromMemorySegment(S, src, (from + 14 * stride) * Float.BYTES, ORDER);
        FloatVector r15 = FloatVector.fromMemorySegment(S, src, (from + 15 * stride) * Float.BYTES, ORDER);
        transpose(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, to, first, second, step);
    }

    /** The same from element {@code from} of an array. */
    static void block(float[] src, int from, int stride, float[] to, int first, int second, int step) {
        FloatVector r0 = FloatVector.fromArray(S, src, from + 0 * stride);
        FloatVector r1 = FloatVector.fromArray(S, src, from + 1 * stride);
        FloatVector r2 = FloatVector.fromArray(S, src, from + 2 * stride);
        FloatVector r3 = FloatVector.fromArray(S, src, from + 3 * stride);
        FloatVector r4 = FloatVector.fromArray(S, src, from + 4 * stride);
        FloatVector r5 = FloatVector.fromArray(S, src, from + 5 * stride);
        FloatVector r6 = FloatVector.fromArray(S, src, from + 6 * stride);
        FloatVector r7 = FloatVector.fromArray(S, src, from + 7 * stride);
        FloatVector r8 = FloatVector.fromArray(S, src, from + 8 * stride);
        FloatVector r9 = FloatVector.fromArray(S, src, from + 9 * stride);
        FloatVector r10 = FloatVector.fromArray(S, src, from + 10 * stride);
        FloatVector r11 = FloatVector.fromArray(S, src, from + 11 * stride);
        FloatVector r12 = FloatVector.fromArray(S, src, from + 12 * stride);
        FloatVector r13 = FloatVector.fromArray(S, src, from + 13 * stride);
        FloatVector r14 = FloatVector.fromArray(S, src, from + 14 * stride);
        FloatVector r15 = FloatVector.fromArray(S, src, from + 15 * stride);
        transpose(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, to, first, second, step);
    }

    /** The four rounds of selects of {@link #block}, then the stores: inlined into each block (see cnf/jvm.options), or the vectors would be boxed. */
    private static void transpose(FloatVector r0, FloatVector r1, FloatVector r2, FloatVector r3, FloatVector r4, FloatVector r5,
                                  FloatVector r6, FloatVector r7, FloatVector r8, FloatVector r9, FloatVector r10, FloatVector r11,
                                  FloatVector r12, FloatVector r13, FloatVector r14, FloatVector r15, float[] to, int first, int second,
                                  int step) {
        FloatVector a0 = LOW_8.selectFrom(r0, r8);
        FloatVector a8 = HIGH_8.selectFrom(r0, r8);
        FloatVector a1 = LOW_8.selectFrom(r1, r9);
        FloatVector a9 = HIGH_8.selectFrom(r1, r9);
        FloatVector a2 = LOW_8.selectFrom(r2, r10);
        FloatVector a10 = HIGH_8.selectFrom(r2, r10);
        FloatVector a3 = LOW_8.selectFrom(r3, r11);
        FloatVector a11 = HIGH_8.selectFrom(r3, r11);
        FloatVector a4 = LOW_8.selectFrom(r4, r12);
        FloatVector a12 = HIGH_8.selectFrom(r4, r12);
        FloatVector a5 = LOW_8.selectFrom(r5, r13);
        FloatVector a13 = HIGH_8.selectFrom(r5, r13);
        FloatVector a6 = LOW_8.selectFrom(r6, r14);
        FloatVector a14 = HIGH_8.selectFrom(r6, r14);
        FloatVector a7 = LOW_8.selectFrom(r7, r15);
        FloatVector a15 = HIGH_8.selectFrom(r7, r15);
        FloatVector b0 = LOW_4.selectFrom(a0, a4);
        FloatVector b4 = HIGH_4.selectFrom(a0, a4);
        FloatVector b1 = LOW_4.selectFrom(a1, a5);
        FloatVector b5 = HIGH_4.selectFrom(a1, a5);
        FloatVector b2 = LOW_4.selectFrom(a2, a6);
        FloatVector b6 = HIGH_4.selectFrom(a2, a6);
        FloatVector b3 = LOW_4.selectFrom(a3, a7);
        FloatVector b7 = HIGH_4.selectFrom(a3, a7);
        FloatVector b8 = LOW_4.selectFrom(a8, a12);
        FloatVector b12 = HIGH_4.selectFrom(a8, a12);
        FloatVector b9 = LOW_4.selectFrom(a9, a13);
        FloatVector b13 = HIGH_4.selectFrom(a9, a13);
        FloatVector b10 = LOW_4.selectFrom(a10, a14);
        FloatVector b14 = HIGH_4.selectFrom(a10, a14);
        FloatVector b11 = LOW_4.selectFrom(a11, a15);
        FloatVector b15 = HIGH_4.selectFrom(a11, a15);
        FloatVector c0 = LOW_2.selectFrom(b0, b2);
        FloatVector c2 = HIGH_2.selectFrom(b0, b2);
        FloatVector c1 = LOW_2.selectFrom(b1, b3);
        FloatVector c3 = HIGH_2.selectFrom(b1, b3);
        FloatVector c4 = LOW_2.selectFrom(b4, b6);
        FloatVector c6 = HIGH_2.selectFrom(b4, b6);
        FloatVector c5 = LOW_2.selectFrom(b5, b7);
        FloatVector c7 = HIGH_2.selectFrom(b5, b7);
        FloatVector c8 = LOW_2.selectFrom(b8, b10);
        FloatVector c10 = HIGH_2.selectFrom(b8, b10);
        FloatVector c9 = LOW_2.selectFrom(b9, b11);
        FloatVector c11 = HIGH_2.selectFrom(b9, b11);
        FloatVector c12 = LOW_2.selectFrom(b12, b14);
        FloatVector c14 = HIGH_2.selectFrom(b12, b14);
        FloatVector c13 = LOW_2.selectFrom(b13, b15);
        FloatVector c15 = HIGH_2.selectFrom(b13, b15);
        FloatVector d0 = LOW_1.selectFrom(c0, c1);
        FloatVector d1 = HIGH_1.selectFrom(c0, c1);
        FloatVector d2 = LOW_1.selectFrom(c2, c3);
        FloatVector d3 = HIGH_1.selectFrom(c2, c3);
        FloatVector d4 = LOW_1.selectFrom(c4, c5);
        FloatVector d5 = HIGH_1.selectFrom(c4, c5);
        FloatVector d6 = LOW_1.selectFrom(c6, c7);
        FloatVector d7 = HIGH_1.selectFrom(c6, c7);
        FloatVector d8 = LOW_1.selectFrom(c8, c9);
        FloatVector d9 = HIGH_1.selectFrom(c8, c9);
        FloatVector d10 = LOW_1.selectFrom(c10, c11);
        FloatVector d11 = HIGH_1.selectFrom(c10, c11);
        FloatVector d12 = LOW_1.selectFrom(c12, c13);
        FloatVector d13 = HIGH_1.selectFrom(c12, c13);
        FloatVector d14 = LOW_1.selectFrom(c14, c15);
        FloatVector d15 = HIGH_1.selectFrom(c14, c15);
        d0.intoArray(to, first + 0 * step);
        d1.intoArray(to, first + 1 * step);
        d2.intoArray(to, first + 2 * step);
        d3.intoArray(to, first + 3 * step);
        d4.intoArray(to, first + 4 * step);
        d5.intoArray(to, first + 5 * step);
        d6.intoArray(to, first + 6 * step);
        d7.intoArray(to, first + 7 * step);
        d8.intoArray(to, second + 0 * step);
        d9.intoArray(to, second + 1 * step);
        d10.intoArray(to, second + 2 * step);
        d11.intoArray(to, second + 3 * step);
        d12.intoArray(to, second + 4 * step);
        d13.intoArray(to, second + 5 * step);
        d14.intoArray(to, second + 6 * step);
        d15.intoArray(to, second + 7 * step);
    }
}
