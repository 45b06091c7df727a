package ignis.tensor;

/**
 * The engine of PyTorch's CPU generator: the 32-bit Mersenne Twister (MT19937) seeded as
 * {@code torch.manual_seed} seeds it, so that a seed gives the numbers PyTorch gives on the CPU.
 * Not thread-safe: its owner serialises the draws.
 */
public final class Mt19937 {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] state = new int[N];
    private int next = N;

    /** The engine of {@code torch.Generator().manual_seed(seed)}: the seed's low 32 bits, as PyTorch keeps them. */
    public Mt19937(long seed) {
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
    }

    /** The next 32 random bits ({@code generator->random()}). */
    public int nextInt() {
        if (next == N) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >>> 18);
    }

    /** 64 random bits from two draws, the first the high half ({@code generator->random64()}). */
    public long nextLong() {
        long high = Integer.toUnsignedLong(nextInt());
        return high << 32 | Integer.toUnsignedLong(nextInt());
    }

    /**
     * {@code torch.randperm(n, generator=g)} on the CPU: the identity, then for each {@code i < n-1} a
     * swap of element {@code i} with element {@code i + random() % (n-i)}.
     */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must be non-negative, got " + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int j = i + (int) Long.remainderUnsigned(Integer.toUnsignedLong(nextInt()), n - i);
            int kept = out[i];
            out[i] = out[j];
            out[j] = kept;
        }
        return out;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7fffffff);
            int v = state[(i + M) % N] ^ (y >>> 1);
            state[i] = (y & 1) != 0 ? v ^ 0x9908b0df : v;
        }
        next = 0;
    }
}
