package ignis.tensor.spi;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker thread of the {@link ComputePool}. It takes one part at a time through a slot, and after
 * each part it polls the slot for {@link #SPIN_NANOS} before it parks: the kernels of a training step
 * come microseconds apart, and waking a parked thread costs more than many small kernels take. After
 * {@link #IDLE_NANOS} parked with nothing to do it ends.
 */
final class ComputeWorker implements Runnable {

    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
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

    /** Hands the worker a part; false when the worker has ended (the caller then needs a new one). */
    boolean offer(Runnable part) {
        if (!slot.compareAndSet(null, part)) {
            return false;
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Ends the worker once it is idle and waits up to {@code timeoutMillis} for its thread to end. */
    void end(long timeoutMillis) throws InterruptedException {
        if (slot.compareAndSet(null, ENDED)) {
            LockSupport.unpark(thread);
        }
        thread.join(timeoutMillis);
    }

    @Override
    public void run() {
        while (true) {
            Runnable part = awaitPart();
            if (part == ENDED) {
                return;
            }
            slot.set(null);
            part.run();
        }
    }

    private Runnable awaitPart() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        Runnable part;
        while ((part = slot.get()) == null && System.nanoTime() - spinUntil < 0) {
            Thread.onSpinWait();
        }
        long idleSince = System.nanoTime();
        while (part == null) {
            // The caller sets the slot and then reads parked; the worker sets parked and then reads the slot.
            parked = true;
            part = slot.get();
            if (part == null) {
                LockSupport.parkNanos(this, IDLE_NANOS);
                part = slot.get();
                if (part == null && System.nanoTime() - idleSince >= IDLE_NANOS && slot.compareAndSet(null, ENDED)) {
                    part = ENDED;
                }
            }
            parked = false;
        }
        return part;
    }
}
