package ignis.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded source of random numbers for tensors: a Philox key (the seed) and a counter that each
 * random op advances by the number of elements it draws, so results depend only on the seed and the
 * order of the ops, never on the backend or the number of threads.
 */
public final class Generator {

    /** PyTorch's default seed. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static volatile Generator defaultGenerator = new Generator(DEFAULT_SEED);

    private final long seed;
    private final AtomicLong offset = new AtomicLong();

    public Generator(long seed) {
        this.seed = seed;
    }

    /** The generator that random ops use unless given one. */
    public static Generator defaultGenerator() {
        return defaultGenerator;
    }

    /** Reseeds the default generator, as {@code torch.manual_seed}. */
    public static void manualSeed(long seed) {
        defaultGenerator = new Generator(seed);
    }

    public long seed() {
        return seed;
    }

    /** How many numbers have been drawn so far. */
    public long offset() {
        return offset.get();
    }

    /** Reserves {@code count} counters and returns the first. */
    long reserve(long count) {
        return offset.getAndAdd(count);
    }
}
