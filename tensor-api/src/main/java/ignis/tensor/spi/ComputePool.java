package ignis.tensor.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one compute pool that every CPU kernel shares, sized by the user ({@link #setThreads}); two
 * pools fighting over the same cores cost more than they give. A kernel splits its work with
 * {@link #forRange}: the caller's thread runs the first part and workers the others, or the caller a
 * part that its worker has not started by the time the caller's own is done. Between parts
 * workers poll for new work for a quarter of a millisecond before they park (see {@link ComputeWorker}).
 *
 * <p>Work runs on the caller's thread alone when it is too small to split, when the pool has one
 * thread, when it is called from inside a parallel region (no nesting) and when another thread's
 * region holds the pool: concurrent callers (data-loader workers, request threads) then compute
 * side by side instead of queueing behind each other. Parked workers exit after a few seconds and
 * {@link #releaseThreads} ends them at once (the tensor-api bundle calls it when it stops).
 */
public final class ComputePool {

    /** One part of a split range: {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(long from, long to);
    }

    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();
    private static final ReentrantLock REGION = new ReentrantLock();
    private static final List<ComputeWorker> WORKERS = new ArrayList<>(); // guarded by REGION

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private ComputePool() {
    }

    /** The number of threads a parallel region uses, the caller's included. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads a parallel region uses, the caller's included (as PyTorch's
     * {@code torch.set_num_threads}); 1 runs every kernel on its caller's thread.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("compute threads must be at least 1, got " + n);
        }
        threads = n;
    }

    /** The number of parts {@link #forRange} would split {@code n} items into, each at least {@code grain}. */
    public static int parts(long n, long grain) {
        return (int) Math.max(1, Math.min(threads, n / Math.max(1, grain)));
    }

    /**
     * Runs {@code task} over {@code [0, n)} split into {@link #parts(long, long)} contiguous parts of
     * at least {@code grain} items, and returns when all have finished. The first exception thrown by
     * a part is rethrown here once every part has ended.
     */
    public static void forRange(long n, long grain, RangeTask task) {
        int parts = parts(n, grain);
        if (parts == 1 || REGION.isHeldByCurrentThread() || !REGION.tryLock()) {
            task.run(0, n);
            return;
        }
        try {
            runSplit(n, parts, task);
        } finally {
            REGION.unlock();
        }
    }

    /** Ends the idle workers now; the pool starts new ones when it next needs them. */
    public static void releaseThreads() {
        REGION.lock();
        try {
            for (ComputeWorker worker : WORKERS) {
                worker.end(10_000);
            }
            WORKERS.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            REGION.unlock();
        }
    }

    private static void runSplit(long n, int parts, RangeTask task) {
        SplitRun run = new SplitRun(n, parts, task);
        for (int p = 1; p < parts; p++) {
            int part = p;
            hand(p - 1, () -> run.part(part));
        }
        try {
            task.run(0, n / parts);
        } catch (Throwable t) {
            run.failed(t);
        }
        // A part whose worker has not started it yet (waking a parked thread can take longer than the
        // part) runs here instead: the parts stay the same ranges, only the thread differs.
        for (int p = 1; p < parts; p++) {
            run.part(p);
        }
        run.await();
    }

    /** Gives the part to worker {@code index}, starting a worker where there is none or it has ended. */
    private static void hand(int index, Runnable part) {
        if (index < WORKERS.size() && WORKERS.get(index).offer(part)) {
            return;
        }
        ComputeWorker worker = new ComputeWorker("ignis-compute-" + WORKER_NUMBER.incrementAndGet());
        if (index < WORKERS.size()) {
            WORKERS.set(index, worker);
        } else {
            WORKERS.add(worker);
        }
        worker.offer(part);
    }

    /** The parts of one split after the caller's first: each runs once, on whichever thread claims it first; counts them down and keeps the first failure. */
    private static final class SplitRun {

        private final long n;
        private final int parts;
        private final RangeTask task;
        private final AtomicIntegerArray claimed;
        private final AtomicInteger remaining;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();
        private volatile boolean callerParked;

        SplitRun(long n, int parts, RangeTask task) {
            this.n = n;
            this.parts = parts;
            this.task = task;
            claimed = new AtomicIntegerArray(parts);
            remaining = new AtomicInteger(parts - 1);
        }

        /** Runs part {@code p} (of {@code [n p / parts, n (p + 1) / parts)}) unless another thread has claimed it. */
        void part(int p) {
            if (!claimed.compareAndSet(p, 0, 1)) {
                return;
            }
            try {
                task.run(n * p / parts, n * (p + 1) / parts);
            } catch (Throwable t) {
                failed(t);
            } finally {
                if (remaining.decrementAndGet() == 0 && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void failed(Throwable t) {
            failure.compareAndSet(null, t);
        }

        /** Waits for the workers' parts (polling first, yielding the core between polls, like the workers), then rethrows the first failure. */
        void await() {
            long spinUntil = System.nanoTime() + ComputeWorker.SPIN_NANOS;
            while (remaining.get() > 0 && System.nanoTime() - spinUntil < 0) {
                Thread.yield();
            }
            callerParked = true;
            while (remaining.get() > 0) {
                LockSupport.park(this);
            }
            callerParked = false;
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("a compute part failed", t);
            }
        }
    }
}
