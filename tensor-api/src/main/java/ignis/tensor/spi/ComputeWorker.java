package ignis.tensor.spi;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker thread of the {@link ComputePool}. It takes one part at a time through a slot, and after
 * each part it polls the slot for {@link #SPIN_NANOS} before it parks: the kernels of a training step
 * come microseconds apart, and waking a parked thread costs more than many small kernels take (on
 * the 2-core virtual machines we measure on, up to a few hundred microseconds: 250 gave MLP epochs
 * about 10% faster than 50, and 1000 no better than 250). Between polls it yields its core, so that
 * a thread with work gets it: while a program warms up, that is the JIT compiler, and a worker that
 * spun instead made the first MLP epochs 20% slower. After {@link #IDLE_NANOS} parked with nothing
 * to do it ends.
 */
final class ComputeWorker implements Runnable {

    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(250);
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the slot holds once the worker has ended; it then takes no more parts. */
    private static final Runnable ENDED = () -> { };

    private final AtomicReference<Runnable> slot = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean parked;

    ComputeWorker(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands the worker a part; false when the worker has ended (the caller then needs a new one). A part
     * still in the slot is from an earlier split that the worker never took up; its caller ran it
     * (see {@code ComputePool.SplitRun}), so the new part replaces it.
     */
    boolean offer(Runnable part) {
        Runnable old;
        do {
            old = slot.get();
            if (old == ENDED) {
                return false;
            }
        } while (!slot.compareAndSet(old, part));
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Ends the worker once it is idle (no split in progress) and waits up to {@code timeoutMillis} for its thread to end. */
    void end(long timeoutMillis) throws InterruptedException {
        Runnable old;
        do {
            old = slot.get();
        } while (old != ENDED && !slot.compareAndSet(old, ENDED));
        LockSupport.unpark(thread);
        thread.join(timeoutMillis);
    }

    @Override
    public void run() {
        while (true) {
            Runnable part = awaitPart();
            if (part == ENDED) {
                return;
            }
            part.run();
        }
    }

    /** The next part, taken out of the slot; {@link #ENDED}, left in the slot, once the worker is to end. */
    private Runnable awaitPart() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        Runnable part;
        while ((part = take()) == null && System.nanoTime() - spinUntil < 0) {
            Thread.yield();
        }
        long idleSince = System.nanoTime();
        while (part == null) {
            // The caller sets the slot and then reads parked; the worker sets parked and then reads the slot.
            parked = true;
            if (slot.get() == null) {
                LockSupport.parkNanos(this, IDLE_NANOS);
                if (System.nanoTime() - idleSince >= IDLE_NANOS) {
                    slot.compareAndSet(null, ENDED);
                }
            }
            parked = false;
            part = take();
        }
        return part;
    }

    /** The part in the slot, taken out (a newer one may replace it meanwhile); ENDED stays; null when empty. */
    private Runnable take() {
        Runnable part = slot.get();
        while (part != null && part != ENDED && !slot.compareAndSet(part, null)) {
            part = slot.get();
        }
        return part;
    }
}
