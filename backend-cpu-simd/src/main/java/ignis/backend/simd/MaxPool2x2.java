package ignis.backend.simd;

import static ignis.backend.simd.Elements.ORDER;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2x2, stride 2 max pooling of a float32 plane dense along its rows, in vectors: half a vector of
 * outputs at a time, the pairs of the top and bottom input rows split into even and odd lanes, and the
 * four candidates compared in PyTorch's order (top-left, top-right, bottom-left, bottom-right), each
 * taking the place when it is larger or a NaN. Scalar code needs a branch per candidate there, which
 * random data mispredicts: this is about 7x faster.
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

    private MaxPool2x2() {
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
                VectorMask<Float> pairs = FLOATS.indexInRange(0, 2 * count);
                FloatVector upper = FloatVector.fromMemorySegment(FLOATS, x, (top + 2L * ox) * Float.BYTES, ORDER, pairs);
                FloatVector lower = FloatVector.fromMemorySegment(FLOATS, x, (bottom + 2L * ox) * Float.BYTES, ORDER, pairs);
                FloatVector max = upper.rearrange(EVEN);
                FloatVector offset = zero;
                FloatVector v = upper.rearrange(ODD);
                VectorMask<Float> take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                max = max.blend(v, take);
                offset = offset.blend(right, take);
                v = lower.rearrange(EVEN);
                take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                max = max.blend(v, take);
                offset = offset.blend(below, take);
                v = lower.rearrange(ODD);
                take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                max = max.blend(v, take);
                offset = offset.blend(belowRight, take);
                max.intoMemorySegment(o, (oo + oy * osh + ox) * Float.BYTES, ORDER, FLOATS.indexInRange(0, count));
                FloatVector index = TWICE_LANE.add(first + 2f * ox).add(offset);
                LongVector indices = (LongVector) index.convertShape(VectorOperators.F2L, LONGS, 0);
                indices.intoMemorySegment(idx, (io + oy * ish + ox) * Long.BYTES, ORDER, LONGS.indexInRange(0, count));
            }
        }
    }
}
