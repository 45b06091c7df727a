package ignis.data.internal;

/**
 * A small, fast, seeded generator for index permutations: SplitMix64 (Steele, Lea and Flood, 2014).
 * Its output depends only on the seed, on every JVM and platform, so shuffles are reproducible.
 * Not thread-safe; make one per use.
 */
public final class SeededRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /**
     * The generator of epoch {@code epoch} of a sampler seeded with {@code seed}: every (seed, epoch)
     * pair gets its own stream, so that epochs differ and runs repeat.
     */
    public static SeededRandom forEpoch(long seed, long epoch) {
        return new SeededRandom(mix(seed + GOLDEN_GAMMA) ^ mix(epoch * GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, 1)}: the top 53 bits of {@link #nextLong()}, each value a multiple of 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1p-53;
    }

    /** Uniform in {@code [0, bound)} without bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniformly random permutation of {@code 0 .. n-1} (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = p[i];
            p[i] = p[j];
            p[j] = swap;
        }
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
