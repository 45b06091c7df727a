package ignis.backend.simd;

import static ignis.backend.simd.Elements.ORDER;

import ignis.tensor.spi.Pool2dParams;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2x2, stride 2 max pooling of a float32 plane dense along its rows, and its gradient, in vectors:
 * half a vector of outputs at a time. Forward, the pairs of the top and bottom input rows split into even
 * and odd lanes, and the four candidates compared in PyTorch's order (top-left, top-right, bottom-left,
 * bottom-right), each taking the place when it is larger or a NaN. Scalar code needs a branch per
 * candidate there, which random data mispredicts: this is about 10x faster. Backward, each output's
 * gradient spread to its pair of lanes in both rows and kept where its index points.
 *
 * <p>Unlike the kernels that take {@link Lanes}, the species here are constants (the width the JVM's
 * backend chose): HotSpot compiles the lane shuffles and the float-to-long conversion of the indices to
 * vector instructions only for a constant species. Indices are computed in float lanes, exact for
 * planes of up to 2^24 elements ({@link #fits}).
 */
final class MaxPool2x2 {

    private static final VectorSpecies<Float> FLOATS = VectorSupport.lanes().floats();
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, FLOATS.vectorShape());
    private static final int LANES = FLOATS.length();
    private static final int HALF = LANES / 2;
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(FLOATS, i -> 2 * i % LANES);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(FLOATS, i -> (2 * i + 1) % LANES);
    /** {@code 2 * lane}: the offset of each output's top-left input from the first one's. */
    private static final FloatVector TWICE_LANE = FloatVector.zero(FLOATS).addIndex(2);
    /** {@code lane}: the offset of each input of a row from the first one's. */
    private static final FloatVector LANE = FloatVector.zero(FLOATS).addIndex(1);
    /** Each of the first half of the lanes twice: an output's value for both inputs of its pair. */
    private static final VectorShuffle<Float> TWICE = VectorShuffle.fromOp(FLOATS, i -> i / 2);

    private MaxPool2x2() {
    }

    /** Whether {@code p} is the 2x2 pooling with stride 2 and neither padding nor dilation. */
    static boolean twoByTwo(Pool2dParams p) {
        return p.kernelH() == 2 && p.kernelW() == 2 && p.strideH() == 2 && p.strideW() == 2
                && p.padH() == 0 && p.padW() == 0 && p.dilationH() == 1 && p.dilationW() == 1;
    }

    /** Whether an index in a plane of {@code h x w} is exact as a float. */
    static boolean fits(int h, int w) {
        return (long) h * w <= 1 << 24;
    }

    /**
     * Output rows {@code 0 .. oh-1} of one plane: row {@code oy} of {@code o} (values) and {@code idx}
     * (int64, {@code h*w + x} in the input plane of width {@code w}) from input rows {@code 2oy} and
     * {@code 2oy+1}; offsets in elements, each operand dense along its rows.
     */
    static void plane(int oh, int ow, int w, MemorySegment x, long xo, long xsh, MemorySegment o, long oo, long osh,
                      MemorySegment idx, long io, long ish) {
        FloatVector zero = FloatVector.zero(FLOATS);
        FloatVector right = FloatVector.broadcast(FLOATS, 1);
        FloatVector below = FloatVector.broadcast(FLOATS, w);
        FloatVector belowRight = FloatVector.broadcast(FLOATS, w + 1);
        for (int oy = 0; oy < oh; oy++) {
            long top = xo + 2L * oy * xsh;
            long bottom = top + xsh;
            float first = 2f * oy * w;
            for (int ox = 0; ox < ow; ox += HALF) {
                int count = Math.min(HALF, ow - ox);
                long upperAt = (top + 2L * ox) * Float.BYTES;
                long lowerAt = (bottom + 2L * ox) * Float.BYTES;
                // The lanes past the pairs hold what follows, which no store keeps. The loads are written out
                // (here and in planeBackward): a helper returning the vector was compiled apart, boxing it.
                boolean whole = Lanes.wholeVector(x, lowerAt, FLOATS);
                FloatVector upper = whole ? FloatVector.fromMemorySegment(FLOATS, x, upperAt, ORDER)
                        : FloatVector.fromMemorySegment(FLOATS, x, upperAt, ORDER, FLOATS.indexInRange(0, 2 * count));
                FloatVector lower = whole ? FloatVector.fromMemorySegment(FLOATS, x, lowerAt, ORDER)
                        : FloatVector.fromMemorySegment(FLOATS, x, lowerAt, ORDER, FLOATS.indexInRange(0, 2 * count));
                FloatVector max = upper.rearrange(EVEN);
                FloatVector offset = zero;
                FloatVector v = upper.rearrange(ODD);
                VectorMask<Float> take = v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
                max = max.blend(v, take);
                offset = offset.blend(right, take);
                v = lower.rearrange(EVEN);
                take = v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
                max = max.blend(v, take);
                offset = offset.blend(below, take);
                v = lower.rearrange(ODD);
                take = v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
                max = max.blend(v, take);
                offset = offset.blend(belowRight, take);
                max.intoMemorySegment(o, (oo + oy * osh + ox) * Float.BYTES, ORDER, FLOATS.indexInRange(0, count));
                FloatVector index = TWICE_LANE.add(first + 2f * ox).add(offset);
                LongVector indices = (LongVector) index.convertShape(VectorOperators.F2L, LONGS, 0);
                indices.intoMemorySegment(idx, (io + oy * ish + ox) * Long.BYTES, ORDER, LONGS.indexInRange(0, count));
            }
        }
    }

    /**
     * The input gradient of one plane whose windows tile it ({@code h = 2 oh, w = 2 ow}, the plane dense
     * from {@code gio}): each input element gets its window's gradient where the window's index points at
     * it and zero elsewhere, written once, with no zeroing pass; {@code go} and {@code idx} dense along rows.
     * False, with the plane partly written, when an index is outside its window (indices that the forward
     * did not make): the caller then zeroes the plane and scatters.
     */
    static boolean planeBackward(int oh, int ow, int w, MemorySegment gi, long gio, MemorySegment go, long goo, long osh,
                                 MemorySegment idx, long io, long ish) {
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int oy = 0; oy < oh; oy++) {
            long top = gio + 2L * oy * w;
            float first = 2f * oy * w;
            for (int ox = 0; ox < ow; ox += HALF) {
                int count = Math.min(HALF, ow - ox);
                long gradAt = (goo + oy * osh + ox) * Float.BYTES;
                long indexAt = (io + oy * ish + ox) * Long.BYTES;
                FloatVector grad = Lanes.wholeVector(go, gradAt, FLOATS)
                        ? FloatVector.fromMemorySegment(FLOATS, go, gradAt, ORDER)
                        : FloatVector.fromMemorySegment(FLOATS, go, gradAt, ORDER, FLOATS.indexInRange(0, count));
                LongVector index = Lanes.wholeVector(idx, indexAt, LONGS)
                        ? LongVector.fromMemorySegment(LONGS, idx, indexAt, ORDER)
                        : LongVector.fromMemorySegment(LONGS, idx, indexAt, ORDER, LONGS.indexInRange(0, count));
                FloatVector pointed = ((FloatVector) index.convertShape(VectorOperators.L2F, FLOATS, 0)).rearrange(TWICE);
                FloatVector spread = grad.rearrange(TWICE);
                FloatVector upper = LANE.add(first + 2f * ox);
                VectorMask<Float> pairs = FLOATS.indexInRange(0, 2 * count);
                VectorMask<Float> hitTop = pointed.compare(VectorOperators.EQ, upper).and(pairs);
                VectorMask<Float> hitBottom = pointed.compare(VectorOperators.EQ, upper.add(w)).and(pairs);
                if (hitTop.trueCount() + hitBottom.trueCount() != count) {
                    return false;
                }
                zero.blend(spread, hitTop).intoMemorySegment(gi, (top + 2L * ox) * Float.BYTES, ORDER, pairs);
                zero.blend(spread, hitBottom).intoMemorySegment(gi, (top + w + 2L * ox) * Float.BYTES, ORDER, pairs);
            }
        }
        return true;
    }
}
