package ignis.tck;

import ignis.tensor.DType;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * The values operands of one dtype are drawn from: the special values first (zeros of both signs,
 * infinities, NaN, subnormals, extremes, ties), then pseudo-random ones from a fixed seed, so that
 * every run sees the same numbers. Floating pools hold doubles, integral and bool pools longs (for
 * bool, the byte: any non-zero is true).
 */
final class Pool {

    final DType dtype;
    private final double[] reals;
    private final long[] ints;
    private final int specials;

    private Pool(DType dtype, double[] reals, long[] ints, int specials) {
        this.dtype = dtype;
        this.reals = reals;
        this.ints = ints;
        this.specials = specials;
    }

    /** A floating pool: the specials, then {@code randoms} uniform values in [lo, hi). */
    static Pool reals(DType dtype, double[] specials, double lo, double hi, int randoms, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] all = Arrays.copyOf(specials, specials.length + randoms);
        for (int i = specials.length; i < all.length; i++) {
            all[i] = lo + (hi - lo) * random.nextDouble();
        }
        return new Pool(dtype, all, null, specials.length);
    }

    /** An integral pool: the specials that fit the dtype, then {@code randoms} uniform values in [lo, hi]. */
    static Pool ints(DType dtype, long[] specials, long lo, long hi, int randoms, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] fitting = dtype == DType.INT32
                ? Arrays.stream(specials).filter(v -> v == (int) v).toArray()
                : specials;
        long[] all = Arrays.copyOf(fitting, fitting.length + randoms);
        for (int i = fitting.length; i < all.length; i++) {
            all[i] = random.nextLong(lo, hi + 1);
        }
        return new Pool(dtype, null, all, fitting.length);
    }

    int size() {
        return reals != null ? reals.length : ints.length;
    }

    int specialCount() {
        return specials;
    }

    /** {@code n} values starting at {@code start}, cycling through the whole pool. */
    Object take(int n, int start) {
        return pick(n, i -> (start + i) % size());
    }

    /** The special values repeated: element i is special i mod count. */
    Object tile(int n) {
        return pick(n, i -> i % specials);
    }

    /** The special values each repeated {@code each} times: element i is special (i / each) mod count. */
    Object spread(int n, int each) {
        return pick(n, i -> (i / each) % specials);
    }

    private Object pick(int n, IntUnaryOperator index) {
        if (reals != null) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = reals[index.applyAsInt(i)];
            }
            return out;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = ints[index.applyAsInt(i)];
        }
        return out;
    }

    /** The general floating specials of a dtype. */
    static double[] floatSpecials(DType dtype) {
        boolean f64 = dtype == DType.FLOAT64;
        return new double[] {
            0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.75, -7.0, 1e-3, 100.0, -1e4,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            Numbers.minSubnormal(dtype), -3 * Numbers.minSubnormal(dtype), Numbers.minNormal(dtype),
            f64 ? 1e300 : 1e30, f64 ? -0x1p52 - 1 : -0x1p23 - 1, f64 ? 0.49999999999999994 : 0.49999997f,
        };
    }

    /** The general integer specials (int32 keeps those that fit). */
    static long[] intSpecials() {
        return new long[] {
            0, 1, -1, 2, -2, 7, -7, 100, -100, 65536, -65536, 46341, 123456789,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, 1L << 40, -(1L << 40), 3037000500L,
            // Equal as doubles, different as longs: a kernel that computes int64 in double shows.
            1L << 53, (1L << 53) + 1,
        };
    }

    /** Bool bytes: canonical and non-canonical trues. */
    static long[] boolSpecials() {
        return new long[] {0, 1, 2, 0xFF, 0x80, 0, 1, 0x5A};
    }

    /** The general pool of a dtype: its specials and values of moderate size. */
    static Pool general(DType dtype, long seed) {
        return switch (dtype) {
            case BOOL -> ints(DType.BOOL, boolSpecials(), 0, 1, 24, seed);
            case INT32, INT64 -> ints(dtype, intSpecials(), -1000, 1000, 40, seed);
            default -> reals(dtype, floatSpecials(dtype), -10, 10, 40, seed);
        };
    }
}
