package ignis.tensor.spi;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one compute pool that every CPU kernel shares, sized by the user ({@link #setThreads}); two
 * pools fighting over the same cores cost more than they give. A kernel splits its work with
 * {@link #forRange}: the caller's thread runs the first part and parked workers the others.
 *
 * <p>Work runs on the caller's thread alone when it is too small to split, when the pool has one
 * thread, when it is called from inside a parallel region (no nesting) and when another thread's
 * region holds the pool: concurrent callers (data-loader workers, request threads) then compute
 * side by side instead of queueing behind each other. Idle workers exit after a few seconds and
 * {@link #releaseThreads} ends them at once (the tensor-api bundle calls it when it stops).
 */
public final class ComputePool {

    /** One part of a split range: {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(long from, long to);
    }

    private static final long IDLE_SECONDS = 5;
    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();
    private static final ReentrantLock REGION = new ReentrantLock();

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static ThreadPoolExecutor workers; // guarded by REGION

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
        ThreadPoolExecutor ending;
        REGION.lock();
        try {
            ending = workers;
            workers = null;
        } finally {
            REGION.unlock();
        }
        if (ending != null) {
            ending.shutdown();
            try {
                ending.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void runSplit(long n, int parts, RangeTask task) {
        ThreadPoolExecutor pool = workers(parts - 1);
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 1; p < parts; p++) {
            long from = n * p / parts;
            long to = n * (p + 1) / parts;
            pool.execute(() -> {
                try {
                    task.run(from, to);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            task.run(0, n / parts);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        awaitUninterruptibly(done);
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

    private static ThreadPoolExecutor workers(int count) {
        if (workers == null) {
            workers = new ThreadPoolExecutor(count, count, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    runnable -> {
                        Thread thread = new Thread(runnable, "ignis-compute-" + WORKER_NUMBER.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            workers.allowCoreThreadTimeOut(true);
        } else if (workers.getMaximumPoolSize() < count) {
            workers.setMaximumPoolSize(count);
            workers.setCorePoolSize(count);
        }
        return workers;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
