package ignis.tensor.spi;

/**
 * The counter-based random generator every backend uses: Philox4x32-10 (Salmon et al., "Parallel
 * random numbers: as easy as 1, 2, 3", SC 2011). Output element {@code i} of a random kernel uses
 * counter {@code offset + i}; the counter's low and high 32 bits are the first two counter words
 * (the other two are 0), the seed's low and high 32 bits the two key words. The conversions below
 * are the specification: a device backend computes the same values in its own kernels.
 */
public final class Philox {

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;

    private Philox() {
    }

    /** The four output words of Philox4x32-10 for a 128-bit counter and a 64-bit key. */
    public static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int round = 0; round < ROUNDS; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** The block for counter {@code counter} under key {@code seed}. */
    public static int[] block(long seed, long counter) {
        return block((int) counter, (int) (counter >>> 32), 0, 0, (int) seed, (int) (seed >>> 32));
    }

    /** Uniform in [0, 1) with 24 random bits: {@code (w0 >>> 8) * 2^-24}. */
    public static float uniform32(long seed, long counter) {
        return (block(seed, counter)[0] >>> 8) * 0x1p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits from w1:w0. */
    public static double uniform64(long seed, long counter) {
        int[] w = block(seed, counter);
        return (bits64(w[0], w[1]) >>> 11) * 0x1p-53;
    }

    /**
     * Standard normal by Box-Muller in double precision, rounded to float: u1 = ((w0 >>> 8) + 1) * 2^-24
     * in (0, 1], u2 = (w1 >>> 8) * 2^-24, z = sqrt(-2 ln u1) cos(2 pi u2).
     */
    public static float normal32(long seed, long counter) {
        int[] w = block(seed, counter);
        double u1 = ((w[0] >>> 8) + 1) * 0x1p-24;
        double u2 = (w[1] >>> 8) * 0x1p-24;
        return (float) boxMuller(u1, u2);
    }

    /** Standard normal by Box-Muller: u1 = ((w1:w0 >>> 11) + 1) * 2^-53 in (0, 1], u2 = (w3:w2 >>> 11) * 2^-53. */
    public static double normal64(long seed, long counter) {
        int[] w = block(seed, counter);
        double u1 = ((bits64(w[0], w[1]) >>> 11) + 1) * 0x1p-53;
        double u2 = (bits64(w[2], w[3]) >>> 11) * 0x1p-53;
        return boxMuller(u1, u2);
    }

    /**
     * Uniform in [low, high), high > low: {@code low + unsignedMultiplyHigh(w1:w0, high - low)}, with
     * {@code high - low} read as an unsigned 64-bit range.
     */
    public static long integer(long seed, long counter, long low, long high) {
        int[] w = block(seed, counter);
        return low + Math.unsignedMultiplyHigh(bits64(w[0], w[1]), high - low);
    }

    /** How a kernel scales a unit uniform to [a, b): in double, then rounded to the output type. */
    public static double scale(double unit, double a, double b) {
        return a + (b - a) * unit;
    }

    private static long bits64(int low, int high) {
        return (long) high << 32 | low & 0xFFFFFFFFL;
    }

    private static double boxMuller(double u1, double u2) {
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
