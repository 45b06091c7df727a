package ignis.tensor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded source of random numbers for tensors, of one of two kinds:
 * <ul>
 * <li>counter-based ({@code new Generator(seed)}, the default's kind): a Philox key (the seed) and a
 *     counter that each random op advances by the number of elements it draws, so results depend only
 *     on the seed and the order of the ops, never on the backend, the device or the number of threads;</li>
 * <li>PyTorch's CPU generator ({@link #mt19937}): the numbers {@code torch.manual_seed(seed)} gives on
 *     the CPU, drawn one after another on the host, for code ported from
 *     PyTorch that must start from the same weights and data order.</li>
 * </ul>
 */
public final class Generator {

    /** PyTorch's default seed. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static volatile Generator defaultGenerator = new Generator(DEFAULT_SEED);

    private final long seed;
    private final AtomicLong offset = new AtomicLong();
    private final TorchDraws torch;

    public Generator(long seed) {
        this(seed, null);
    }

    private Generator(long seed, TorchDraws torch) {
        this.seed = seed;
        this.torch = torch;
    }

    /** A generator that draws what PyTorch's CPU generator seeded with {@code seed} draws. */
    public static Generator mt19937(long seed) {
        return new Generator(seed, new TorchDraws(seed));
    }

    /** The generator that random ops use unless given one. */
    public static Generator defaultGenerator() {
        return defaultGenerator;
    }

    /** Reseeds the default generator, as {@code torch.manual_seed}, keeping its kind. */
    public static void manualSeed(long seed) {
        defaultGenerator = defaultGenerator.isMt19937() ? mt19937(seed) : new Generator(seed);
    }

    /** Makes {@code generator} the default one. */
    public static void setDefault(Generator generator) {
        defaultGenerator = Objects.requireNonNull(generator, "generator");
    }

    public long seed() {
        return seed;
    }

    /** Whether this is PyTorch's CPU generator ({@link #mt19937}) rather than a counter-based one. */
    public boolean isMt19937() {
        return torch != null;
    }

    /** How many numbers have been drawn so far. */
    public long offset() {
        return offset.get();
    }

    /** Reserves {@code count} counters and returns the first. */
    long reserve(long count) {
        return offset.getAndAdd(count);
    }

    /** The draws of a PyTorch generator; null for a counter-based one. */
    TorchDraws torch() {
        return torch;
    }
}
