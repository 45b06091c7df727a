package ignis.tensor;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps the devices still while ops run. Every op holds the gate while it decides where to run, reads
 * its operands' memory and runs its kernels; a change of devices (a backend leaving or arriving, tensors
 * migrating) waits for the ops in flight, holds new ones back while it moves memory, then lets them
 * go. No op sees a tensor half moved or a handle to memory that is gone.
 *
 * <p>Code that runs several ops which must see the same devices (a request, a training step) holds the
 * gate around them with {@link #hold()}: devices change between holds, never inside one. Holds nest and
 * belong to the thread that opened them. Holding it long delays swaps by as much, and a thread that
 * holds it cannot change the devices itself. Once a change waits, new holds wait behind it: a thread
 * that, inside a hold, waits for another thread's ops (a data loader's workers, say) deadlocks with a
 * swap; the waiting change logs a warning every 10 s naming the open holds.
 */
public final class DeviceGate {

    private static final System.Logger LOG = System.getLogger(DeviceGate.class.getName());
    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();
    private static final ThreadLocal<Nesting> NESTING = ThreadLocal.withInitial(Nesting::new);

    private DeviceGate() {
    }

    /** A hold of the gate by one thread; closing it twice does nothing. */
    public static final class Hold implements AutoCloseable {
        private final Nesting nesting;
        private final Thread owner;
        private boolean closed;

        private Hold(Nesting nesting, Thread owner) {
            this.nesting = nesting;
            this.owner = owner;
        }

        @Override
        public void close() {
            if (owner != Thread.currentThread()) {
                throw new IllegalStateException("a device hold opened on " + owner + " cannot be closed on " + Thread.currentThread());
            }
            if (!closed) {
                closed = true;
                nesting.close();
            }
        }
    }

    /** Holds the devices still until the hold is closed, on the calling thread. */
    public static Hold hold() {
        return new Hold(enter(null), Thread.currentThread());
    }

    /**
     * The thread's holds, innermost last, with the placement that tensors made inside each take. Also
     * the handle ops close, so that entering and leaving allocate nothing.
     */
    static final class Nesting implements AutoCloseable {
        private int depth;
        private Placement[] placements = new Placement[8];

        /** The placement of tensors made now: the strongest of the running ops' inputs, FALLBACK outside ops. */
        Placement placement() {
            Placement p = depth == 0 ? null : placements[depth - 1];
            return p == null ? Placement.FALLBACK : p;
        }

        @Override
        public void close() {
            if (depth == 0) {
                throw new IllegalStateException("the device gate was released more often than it was entered");
            }
            if (--depth == 0) {
                LOCK.readLock().unlock();
            }
        }
    }

    /** Enters the gate for an op over {@code inputs} (null when it has none); the op closes what this returns. */
    static Nesting enter(Tensor[] inputs) {
        Nesting nesting = NESTING.get();
        if (nesting.depth == 0) {
            LOCK.readLock().lock();
        }
        Placement placement = nesting.depth == 0 ? null : nesting.placements[nesting.depth - 1];
        if (inputs != null) {
            for (Tensor input : inputs) {
                if (input != null) {
                    placement = stronger(placement, input.storage.placement());
                }
            }
        }
        if (nesting.depth == nesting.placements.length) {
            nesting.placements = Arrays.copyOf(nesting.placements, nesting.depth * 2);
        }
        nesting.placements[nesting.depth++] = placement;
        return nesting;
    }

    /** Runs an op that is not {@linkplain Recording recorded} inside the gate. */
    static <T> T guarded(Tensor input, Supplier<T> op) {
        try (Nesting gate = enter(input == null ? null : new Tensor[] {input})) {
            return op.get();
        }
    }

    /** The placement that a tensor made now takes. */
    static Placement inheritedPlacement() {
        return NESTING.get().placement();
    }

    private static Placement stronger(Placement a, Placement b) {
        if (a == null) {
            return b;
        }
        return strength(a) >= strength(b) ? a : b;
    }

    private static int strength(Placement p) {
        return switch (p) {
            case FALLBACK -> 0;
            case FOLLOW_BEST -> 1;
            case STRICT -> 2;
        };
    }

    /**
     * Runs {@code change} with every op held back: waits for the ops in flight, runs it, lets ops go.
     * Returns how long ops were held back, in nanoseconds.
     *
     * @throws IllegalStateException when the calling thread holds the gate: it would wait for itself
     */
    static long exclusive(Runnable change) {
        if (NESTING.get().depth > 0 && !LOCK.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("devices cannot change on a thread that holds them"
                    + " (inside an op or a DeviceGate.hold()); change them from another thread");
        }
        long start = System.nanoTime();
        lockForChange(start);
        try {
            change.run();
        } finally {
            LOCK.writeLock().unlock();
        }
        return System.nanoTime() - start;
    }

    private static void lockForChange(long start) {
        boolean interrupted = false;
        while (true) {
            try {
                if (LOCK.writeLock().tryLock(10, TimeUnit.SECONDS)) {
                    break;
                }
                LOG.log(Level.WARNING, String.format("a change of devices has waited %.0f s for %d open holds of the device gate"
                        + " (a DeviceGate.hold() left open, or a hold waiting for another thread's ops?)",
                        (System.nanoTime() - start) / 1e9, LOCK.getReadLockCount()));
            } catch (InterruptedException e) {
                interrupted = true; // a change, once asked for, must happen: the tensors of a leaving device must move
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
