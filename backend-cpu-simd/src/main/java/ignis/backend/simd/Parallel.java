package ignis.backend.simd;

import ignis.tensor.spi.ComputePool;

/**
 * How the elementwise kernels share a walk among the threads of the {@link ComputePool}: the row-major
 * elements of an {@link InnerRuns} walk are cut into contiguous ranges (whole short runs, or pieces of
 * long runs at multiples of {@link #UNIT} elements from their start, so that parts start on cache-line
 * and vector boundaries) and each thread walks the spans of its range with its own copy of the walker.
 * Results do not depend on the split: every element is computed by the same code whatever the threads
 * (only the Vector API's transcendental functions may differ in the last ulp between interpreted and
 * compiled code, so their last bit may depend on timing anyway).
 *
 * <p>A walk of fewer than two grains runs on the caller's thread without touching the pool, so that
 * small tensors pay nothing for threading; so does every walk when the pool has one thread.
 */
final class Parallel {

    /** Parts start at multiples of this many elements. */
    static final long UNIT = 1024;

    /**
     * Elements per thread at least for cheap ops (a load, an add, a store): waking a parked worker costs
     * some microseconds, which 64K floats (a quarter MiB per operand) repay.
     */
    static final long CHEAP_GRAIN = 1 << 16;

    /**
     * Elements per thread at least for a gather of whole rows (indexSelect of rows, a batch from a data set): rows from
     * anywhere in a large tensor are each a fresh wait on memory, which a second thread overlaps. The MLP's batch, 64
     * images of 784 floats from the 188 MB training set, took 24-26 us a step on one thread and 18-22 us on two.
     */
    static final long GATHER_GRAIN = 1 << 14;

    /**
     * Elements per thread at least for Adam's fused step, which reads four operands and writes three and takes a square
     * root and two divisions an element (about 0.6 ns on one core, against 0.1 for an add). The MLP's second layer, 32K
     * weights, had its step on one thread at the cheap ops' grain: epochs 2-3 0.745/0.748 -> 0.724/0.719 s at 2 threads
     * with this (10 interleaved runs each).
     */
    static final long STEP_GRAIN = 1 << 14;

    /** Elements per thread at least for ops that cost tens of cycles an element (exp, pow, scalar code). */
    static final long COSTLY_GRAIN = 1 << 12;

    /** One thread's share of a walk: it calls {@link InnerRuns#nextSpan} until false. */
    @FunctionalInterface
    interface SpanTask {
        void run(InnerRuns spans);
    }

    private Parallel() {
    }

    /** Runs {@code task} over all spans of {@code runs}, split among threads when it has at least two grains. */
    static void spans(InnerRuns runs, long grain, SpanTask task) {
        spans(runs, grain, UNIT, task);
    }

    /**
     * The same with parts that start at multiples of {@code unit} elements from the start of a run (1
     * for a walk over a reduction's outputs). A run shorter than a unit is a unit: parts never cut a
     * short run, and cut a long one only at multiples of the unit, so that every element falls in the
     * same place of a vector loop (or of its scalar tail) whatever the number of threads.
     */
    static void spans(InnerRuns runs, long grain, long unit, SpanTask task) {
        long total = runs.elements();
        if (total < 2 * grain || ComputePool.threads() == 1) {
            task.run(runs);
            return;
        }
        long length = runs.length();
        long unitsPerRun = (length + unit - 1) / unit;
        long units = runs.runs() * unitsPerRun;
        ComputePool.forRange(units, Math.max(1, grain / Math.min(unit, length)), (from, to) -> {
            InnerRuns mine = runs.copy();
            mine.range(element(from, unitsPerRun, unit, length), element(to, unitsPerRun, unit, length));
            task.run(mine);
        });
    }

    /** The row-major element where unit {@code u} starts. */
    private static long element(long u, long unitsPerRun, long unit, long length) {
        return u / unitsPerRun * length + Math.min(u % unitsPerRun * unit, length);
    }
}
