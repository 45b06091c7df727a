package ignis.tensor;

import ignis.tensor.spi.Backend;
import ignis.tensor.spi.Storage;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one indirection between tensors and their memory, shared by a tensor and all its views: the
 * registry can re-point it at a copy on another device (when a device backend leaves) without any
 * tensor object changing. It also carries what views share: the handle count that frees the memory
 * and the version counter of in-place writes.
 */
final class TensorStorage {

    private static final System.Logger LOG = System.getLogger(TensorStorage.class.getName());

    /** The storages living on each device other than the host, so that a leaving device can be emptied. */
    private static final Map<Device, Set<TensorStorage>> RESIDENTS = new ConcurrentHashMap<>();

    /** The storages placed {@link Placement#FOLLOW_BEST}, wherever they are, so that they can follow a better device. */
    private static final Set<TensorStorage> FOLLOWERS = ConcurrentHashMap.newKeySet(); // free() removes them

    private final DType dtype;
    private volatile Storage storage;
    private volatile Backend owner; // the backend that allocated the storage; null for host memory
    private volatile Placement placement;
    private volatile Device lostFrom; // set when the device of a STRICT storage was lost
    private final AtomicInteger handles = new AtomicInteger();
    private volatile long version;
    private boolean released; // guarded by this

    TensorStorage(Storage storage, Backend owner, DType dtype, Placement placement) {
        this.storage = storage;
        this.owner = owner;
        this.dtype = dtype;
        MemoryCounters.allocated(storage.device(), storage.byteSize());
        if (!storage.device().equals(Device.CPU)) {
            residents(storage.device()).add(this);
        }
        this.placement = placement;
        if (placement == Placement.FOLLOW_BEST) {
            FOLLOWERS.add(this);
        }
    }

    private static Set<TensorStorage> weakSet() {
        return Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    }

    private static Set<TensorStorage> residents(Device device) {
        return RESIDENTS.computeIfAbsent(device, d -> weakSet());
    }

    /** The live storages on a device, a snapshot. */
    static List<TensorStorage> residentsOf(Device device) {
        return snapshot(residents(device));
    }

    /** The live storages placed FOLLOW_BEST, a snapshot. */
    static List<TensorStorage> followers() {
        return new ArrayList<>(FOLLOWERS);
    }

    private static List<TensorStorage> snapshot(Set<TensorStorage> set) {
        synchronized (set) {
            return new ArrayList<>(set);
        }
    }

    Placement placement() {
        return placement;
    }

    /** Sets the policy; a STRICT storage whose device was lost is usable again. */
    synchronized void place(Placement policy) {
        placement = policy;
        clearLost();
        if (released) {
            return;
        }
        if (policy == Placement.FOLLOW_BEST) {
            FOLLOWERS.add(this);
        } else {
            FOLLOWERS.remove(this);
        }
    }

    /** The device this STRICT storage was lost from, or null while it is usable. */
    Device lostFrom() {
        return lostFrom;
    }

    void markLost(Device device) {
        lostFrom = device;
    }

    void clearLost() {
        lostFrom = null;
    }

    Storage current() {
        return storage;
    }

    /** The backend that allocated the memory, which must be moved before that backend goes; null for host memory. */
    Backend owner() {
        return owner;
    }

    Device device() {
        return storage.device();
    }

    DType dtype() {
        return dtype;
    }

    /** The number of in-place writes to this memory so far. */
    long version() {
        return version;
    }

    /** Records an in-place write. Not atomic: in-place ops on one tensor from several threads are not supported. */
    void bumpVersion() {
        version++;
    }

    void retain() {
        handles.incrementAndGet();
    }

    /** Drops one handle; the last one frees the memory. */
    void release() {
        if (handles.decrementAndGet() == 0) {
            free();
        }
    }

    private synchronized void free() {
        released = true;
        Storage s = storage;
        if (!s.device().equals(Device.CPU)) {
            residents(s.device()).remove(this);
        }
        if (placement == Placement.FOLLOW_BEST) {
            FOLLOWERS.remove(this);
        }
        MemoryCounters.released(s.device(), s.byteSize());
        s.release();
    }

    /**
     * Copies the memory with {@code copier} to storage on another device, points every tensor of this
     * storage at the copy and frees the old memory. Returns the bytes moved, 0 if the storage was
     * freed meanwhile.
     */
    synchronized long moveWith(Function<Storage, Storage> copier) {
        if (released) {
            return 0;
        }
        Storage old = storage;
        Storage moved = copier.apply(old);
        MemoryCounters.allocated(moved.device(), moved.byteSize());
        residents(old.device()).remove(this); // before the add: both may be the same device
        if (!moved.device().equals(Device.CPU)) {
            residents(moved.device()).add(this);
        }
        storage = moved;
        owner = moved.device().equals(Device.CPU) ? null : BackendRegistry.backendFor(moved.device());
        MemoryCounters.released(old.device(), old.byteSize());
        try {
            old.release();
        } catch (RuntimeException e) { // a failed device may refuse to free: the tensor has moved all the same
            LOG.log(Level.WARNING, "freeing " + old.byteSize() + " bytes on " + old.device() + " failed", e);
        }
        return old.byteSize();
    }
}
