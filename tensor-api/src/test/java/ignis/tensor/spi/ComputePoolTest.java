package ignis.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ComputePoolTest {

    private final int saved = ComputePool.threads();

    @AfterEach
    void restore() {
        ComputePool.setThreads(saved);
    }

    @Test
    void everyItemRunsExactlyOnceWhateverTheSplit() {
        for (int threads : new int[] {1, 2, 3, 7}) {
            ComputePool.setThreads(threads);
            for (long n : new long[] {1, 2, 5, 17, 1023, 100_000}) {
                int[] hits = new int[(int) n];
                ComputePool.forRange(n, 3, (from, to) -> {
                    for (long i = from; i < to; i++) {
                        hits[(int) i]++;
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits[i], "item " + i + " of " + n + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void manyRegionsInARowLoseNoPartWhetherWorkersAndCallerPollOrPark() throws InterruptedException {
        ComputePool.setThreads(3);
        long pollMillis = TimeUnit.NANOSECONDS.toMillis(ComputeWorker.SPIN_NANOS) + 2;
        AtomicLong sum = new AtomicLong();
        for (int region = 0; region < 20_000; region++) {
            // Every 500th region the workers' parts outlast the caller's polling, so the caller parks;
            // after it, a pause longer than the workers poll, so the next region has to wake parked workers.
            boolean slow = region % 500 == 0;
            ComputePool.forRange(3, 1, (from, to) -> {
                if (slow && from > 0) {
                    sleep(pollMillis);
                }
                sum.addAndGet(to - from);
            });
            if (slow) {
                Thread.sleep(pollMillis);
            }
        }
        assertEquals(60_000, sum.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void partsRespectTheGrainAndTheThreadCount() {
        ComputePool.setThreads(4);
        assertEquals(1, ComputePool.parts(10, 100));
        assertEquals(2, ComputePool.parts(200, 100));
        assertEquals(4, ComputePool.parts(1_000_000, 100));
        ComputePool.setThreads(1);
        assertEquals(1, ComputePool.parts(1_000_000, 1));
    }

    @Test
    void splitWorkRunsOnWorkerThreadsAndNestedRegionsRunInline() {
        ComputePool.setThreads(3);
        Set<Thread> outer = ConcurrentHashMap.newKeySet();
        AtomicLong inner = new AtomicLong();
        // The three parts wait for each other, so they must run at once, on three threads.
        CyclicBarrier together = new CyclicBarrier(3);
        ComputePool.forRange(3, 1, (from, to) -> {
            outer.add(Thread.currentThread());
            try {
                together.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError("the three parts did not run at the same time", e);
            }
            Thread self = Thread.currentThread();
            ComputePool.forRange(10, 1, (f, t) -> {
                assertSame(self, Thread.currentThread());
                inner.addAndGet(t - f);
            });
        });
        assertEquals(3, outer.size());
        assertEquals(30, inner.get());
    }

    /**
     * A worker that has not started its part when the caller's own is done (here: a worker thread that
     * is only being started) leaves the part to the caller, which runs it instead of waiting. Timing
     * decides each try, so it tries a few times; every part still runs exactly once.
     */
    @Test
    void theCallerRunsAPartItsWorkerHasNotStarted() {
        ComputePool.setThreads(2);
        Thread caller = Thread.currentThread();
        boolean ranOnCaller = false;
        for (int attempt = 0; attempt < 20 && !ranOnCaller; attempt++) {
            ComputePool.releaseThreads();
            Thread[] ranOn = new Thread[2];
            ComputePool.forRange(2, 1, (from, to) -> ranOn[(int) from] = Thread.currentThread());
            assertSame(caller, ranOn[0]);
            ranOnCaller = ranOn[1] == caller;
        }
        assertTrue(ranOnCaller, "in 20 tries, part 1 never ran on the caller while its new worker started");
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersEnd() {
        ComputePool.setThreads(2);
        AtomicLong finished = new AtomicLong();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ComputePool.forRange(2, 1, (from, to) -> {
            if (from == 1) {
                throw new IllegalStateException("part 1 failed");
            }
            finished.incrementAndGet();
        }));
        assertEquals("part 1 failed", e.getMessage());
        assertEquals(1, finished.get());
        ComputePool.forRange(2, 1, (from, to) -> finished.incrementAndGet());
        assertEquals(3, finished.get());
    }

    @Test
    void releasedWorkersAreReplacedOnNextUse() throws InterruptedException {
        ComputePool.setThreads(2);
        ComputePool.forRange(2, 1, (from, to) -> { });
        ComputePool.releaseThreads();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("ignis-compute-") && t.isAlive()),
                "no compute worker outlives releaseThreads");
        AtomicLong count = new AtomicLong();
        ComputePool.forRange(2, 1, (from, to) -> count.addAndGet(to - from));
        assertEquals(2, count.get());
    }

    @Test
    void threadCountBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputePool.setThreads(0));
        assertEquals("compute threads must be at least 1, got 0", e.getMessage());
    }
}
