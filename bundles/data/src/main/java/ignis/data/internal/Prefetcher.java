package ignis.data.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Makes batches {@code 0 .. total-1} on worker threads ahead of the consumer and hands them out in
 * order. Workers claim batch numbers in order under one lock, so the batch made for number k never
 * depends on the number of workers or their timing. At most {@code capacity} batches are claimed
 * and not yet taken, which bounds the memory held by prefetched batches.
 *
 * <p>{@link #close()} stops the workers, joins them and discards batches made and not taken. When
 * the owner (the iterator handed to the user) is collected without being closed, the workers notice
 * within a second of waiting, discard what they hold and end. So that they notice, the last worker
 * stays, once every batch is made, until the batches are taken.
 *
 * @param <B> the type of a batch
 */
public final class Prefetcher<B> implements AutoCloseable {

    private static final AtomicLong SERIAL = new AtomicLong();

    /** A batch made, or why it could not be: exactly one of batch and failure is set, unless the batch is null. */
    public record Outcome<B>(int index, B batch, Throwable failure, String worker) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Integer, Outcome<B>> ready = new HashMap<>();
    private final int total;
    private final int capacity;
    private final IntFunction<B> produce;
    private final Consumer<B> discard;
    private final Runnable onClose;
    private final WeakReference<Object> owner;
    private final Thread[] threads;

    private int claimed;
    private int taken;
    private int alive;
    private boolean closed;
    private boolean failed;

    /**
     * @param total    the number of batches
     * @param produce  makes batch k; runs on the worker threads, several at once
     * @param discard  frees a batch that was made and will not be taken
     * @param workers  the number of worker threads, at least 1
     * @param capacity the most batches claimed and not taken, at least 1
     * @param owner    the object whose collection stops the workers
     * @param onClose  runs once when the prefetcher is closed or abandoned
     */
    public Prefetcher(int total, IntFunction<B> produce, Consumer<B> discard, int workers, int capacity,
            Object owner, Runnable onClose) {
        if (workers < 1 || capacity < 1) {
            throw new IllegalArgumentException("workers " + workers + " and capacity " + capacity + " must be positive");
        }
        this.total = total;
        this.produce = produce;
        this.discard = discard;
        this.capacity = capacity;
        this.onClose = onClose;
        this.owner = new WeakReference<>(owner);
        long serial = SERIAL.incrementAndGet();
        this.threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            String name = "ignis-data-" + serial + "-worker-" + w;
            threads[w] = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> work(name));
        }
    }

    /** Starts the workers. */
    public void start() {
        lock.lock();
        try {
            alive = threads.length;
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** The names of the worker threads. */
    public List<String> threadNames() {
        List<String> names = new ArrayList<>();
        for (Thread t : threads) {
            names.add(t.getName());
        }
        return names;
    }

    private void work(String name) {
        boolean left = false;
        try {
            while (true) {
                int k;
                lock.lock();
                try {
                    while (!closed && mustWait()) {
                        if (owner.refersTo(null)) {
                            abandon();
                            return;
                        }
                        changed.await(1, TimeUnit.SECONDS);
                    }
                    if (closed || failed || claimed >= total) {
                        alive--; // under the same lock as the decision, so that exactly one worker is the last
                        left = true;
                        changed.signalAll();
                        return;
                    }
                    k = claimed++;
                } finally {
                    lock.unlock();
                }
                Outcome<B> outcome;
                try {
                    outcome = new Outcome<>(k, produce.apply(k), null, name);
                } catch (Throwable t) {
                    outcome = new Outcome<>(k, null, t, name);
                }
                boolean kept;
                lock.lock();
                try {
                    kept = !closed;
                    if (kept) {
                        ready.put(k, outcome);
                        failed |= outcome.failure() != null;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                if (!kept && outcome.batch() != null) {
                    discard.accept(outcome.batch());
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts the workers only when its own thread is interrupted: stop here
        } finally {
            if (!left) {
                lock.lock();
                try {
                    alive--;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * With the lock held: whether this worker waits, for room to claim a batch or, once no batch is
     * left to claim and it is the last worker, for the batches made to be taken: it watches the owner
     * so that they are freed if the owner is dropped.
     */
    private boolean mustWait() {
        if (failed || claimed >= total) {
            return alive == 1 && !ready.isEmpty();
        }
        return claimed - taken >= capacity;
    }

    /** With the lock held: the owner is gone, nobody will take or close; free what is queued. */
    private void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        List<B> leftovers = drainLocked();
        changed.signalAll();
        lock.unlock();
        try {
            leftovers.forEach(discard);
            onClose.run();
        } finally {
            lock.lock();
        }
    }

    private List<B> drainLocked() {
        List<B> leftovers = new ArrayList<>();
        for (Outcome<B> o : ready.values()) {
            if (o.batch() != null) {
                leftovers.add(o.batch());
            }
        }
        ready.clear();
        return leftovers;
    }

    /**
     * Waits for the next batch in order and takes it.
     *
     * @throws InterruptedException  when the waiting thread is interrupted
     * @throws IllegalStateException when the prefetcher was closed, or every worker ended first
     */
    public Outcome<B> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Outcome<B> o = ready.remove(taken);
                if (o != null) {
                    taken++;
                    changed.signalAll();
                    return o;
                }
                if (closed) {
                    throw new IllegalStateException("the data loader iterator was closed");
                }
                if (taken >= total) {
                    throw new IllegalStateException("all " + total + " batches were taken");
                }
                if (alive == 0) {
                    throw new IllegalStateException("every worker thread ended before batch " + taken + " was made");
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops and joins the workers and frees the batches made and not taken. Idempotent; any thread. */
    @Override
    public void close() {
        List<B> leftovers;
        boolean first;
        lock.lock();
        try {
            first = !closed;
            closed = true;
            leftovers = drainLocked();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    // asked to hurry: interrupt the workers (a dataset blocked in I/O may then fail, which is discarded)
                    interrupted = true;
                    for (Thread w : threads) {
                        w.interrupt();
                    }
                }
            }
        }
        try {
            leftovers.forEach(discard);
        } finally {
            if (first) {
                onClose.run();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
