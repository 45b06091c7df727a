package ignis.bench.command;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Backend;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times an operation the simple, robust way: run it for a while to warm the JIT and the caches (until it
 * stops getting faster), find how many calls fill a sample of at least the minimum time, then take the
 * samples. A sample's figure
 * is its time divided by its calls; the median and the minimum over samples are reported.
 */
final class Harness {

    /**
     * An operation to time. It runs outside every tensor scope (so that millions of calls do not
     * pile up in one) and must close what it makes, or open a scope of its own.
     */
    @FunctionalInterface
    interface Operation {
        void run();
    }

    /**
     * Seconds per call over the samples of one figure, and the tensors left open by the calls (which
     * should be none).
     */
    record Timing(double medianSeconds, double minSeconds, long callsPerSample, double[] samples, long leakedTensors) {

        /** The samples of every timing pooled, as one timing: how rounds of the same figure combine. */
        static Timing pooled(List<Timing> timings) {
            double[] samples = timings.stream().flatMapToDouble(t -> Arrays.stream(t.samples())).toArray();
            return new Timing(median(samples), Arrays.stream(samples).min().orElse(Double.NaN),
                    timings.stream().mapToLong(Timing::callsPerSample).max().orElse(0), samples,
                    timings.stream().mapToLong(Timing::leakedTensors).sum());
        }

        double medianMillis() {
            return medianSeconds * 1e3;
        }

        double minMillis() {
            return minSeconds * 1e3;
        }
    }

    private final int repeat;
    private final long minSampleNanos;
    private final long warmupNanos;

    private final LongSupplier clock;
    private final Runnable synchronize;

    Harness(int repeat, double minSampleMillis, double warmupMillis) {
        this(repeat, minSampleMillis, warmupMillis, System::nanoTime, () -> { });
    }

    /**
     * A harness that reads the time, in nanoseconds, from {@code clock}, and calls {@code synchronize}
     * before each reading that ends a run of calls: on a device that runs kernels asynchronously (a GPU),
     * the calls only queue them, and the time is that of the device finishing them.
     */
    Harness(int repeat, double minSampleMillis, double warmupMillis, LongSupplier clock, Runnable synchronize) {
        this.clock = clock;
        this.synchronize = synchronize;
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        this.repeat = repeat;
        this.minSampleNanos = (long) (minSampleMillis * 1e6);
        this.warmupNanos = (long) (warmupMillis * 1e6);
    }

    /** The harness of the options, waiting for {@code device}'s backend at the end of each run of calls. */
    static Harness of(BenchOptions options, Device device) {
        Backend backend = BackendRegistry.backendFor(device);
        return new Harness(options.repeat(), options.minSampleMillis(), options.warmupMillis(), System::nanoTime,
                backend::synchronize);
    }

    Timing measure(Operation operation) {
        long live = Tensors.liveTensors();
        try (TensorScope.Untracked untracked = Tensors.untracked()) {
            Timing timing = sample(operation);
            return new Timing(timing.medianSeconds, timing.minSeconds, timing.callsPerSample, timing.samples,
                    Math.max(0, Tensors.liveTensors() - live));
        }
    }

    private Timing sample(Operation operation) {
        long last = warmUp(operation);
        // A slow operation's last warm-up call sizes the samples; a fast one's is too short to tell.
        long calls = last >= minSampleNanos / 8 ? Math.max(1, (long) Math.ceil((double) minSampleNanos / last)) : callsPerSample(operation);
        double[] samples = new double[repeat];
        for (int s = 0; s < repeat; s++) {
            long t0 = clock.getAsLong();
            for (long c = 0; c < calls; c++) {
                operation.run();
            }
            synchronize.run();
            samples[s] = (clock.getAsLong() - t0) / 1e9 / calls;
        }
        return new Timing(median(samples), Arrays.stream(samples).min().orElseThrow(), calls, samples, 0);
    }

    /**
     * Runs the operation in windows of a quarter of the warm-up time for at least the warm-up time, and on
     * while a window's calls are still more than {@link #SETTLED} faster than the last window's (HotSpot
     * compiles an operation's kernels one after another, the convolutions' take seconds under load), up to
     * {@link #MAX_WARMUPS} warm-up times; returns the nanoseconds of the last call.
     */
    private long warmUp(Operation operation) {
        long start = clock.getAsLong();
        double previous = Double.POSITIVE_INFINITY;
        while (true) {
            long w0 = clock.getAsLong();
            long calls = 0;
            long last;
            do {
                long t0 = clock.getAsLong();
                operation.run();
                synchronize.run();
                last = Math.max(1, clock.getAsLong() - t0);
                calls++;
            } while (clock.getAsLong() - w0 < warmupNanos / 4);
            double perCall = (double) (clock.getAsLong() - w0) / calls;
            long elapsed = clock.getAsLong() - start;
            if (elapsed >= warmupNanos && perCall > previous * (1 - SETTLED) || elapsed >= MAX_WARMUPS * warmupNanos) {
                return last;
            }
            previous = perCall;
        }
    }

    /** How much faster than the last window a window of warm-up calls must be to go on warming up. */
    static final double SETTLED = 0.1;
    /** The longest warm-up, in warm-up times. */
    static final int MAX_WARMUPS = 4;

    /** The middle value, or the mean of the two middle values; NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Doubles a batch of calls until it lasts an eighth of a sample, then scales it to a whole sample. */
    private long callsPerSample(Operation operation) {
        long batch = 1;
        while (true) {
            long t0 = clock.getAsLong();
            for (long c = 0; c < batch; c++) {
                operation.run();
            }
            synchronize.run();
            long elapsed = Math.max(1, clock.getAsLong() - t0);
            if (elapsed >= minSampleNanos / 8 || batch >= 1L << 30) {
                return Math.max(1, (long) Math.ceil((double) minSampleNanos * batch / elapsed));
            }
            batch *= 2;
        }
    }
}
