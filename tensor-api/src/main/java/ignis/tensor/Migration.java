package ignis.tensor;

import ignis.tensor.internal.HostMemory;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves live tensors between devices in place: they keep their identity, shape, strides and values,
 * and only their device changes. Runs inside {@link DeviceGate#exclusive}, while no op runs.
 */
final class Migration {

    private static final System.Logger LOG = System.getLogger(Migration.class.getName());

    private Migration() {
    }

    /** What one migration moved, from where (the first source, when there were several) and to where. */
    record Moved(long tensors, long bytes, Device from, Device to) {

        static Moved none(Device to) {
            return new Moved(0, 0, null, to);
        }

        Moved plus(long bytes, Device source) {
            return new Moved(tensors + 1, this.bytes + bytes, from == null ? source : from, to);
        }
    }

    /**
     * Empties a leaving device into host memory through its own backend. STRICT storages are marked
     * lost; so is every storage whose values could not be read back (a failed device), which gets
     * zeroed host memory instead.
     */
    static Moved evacuate(DeviceBackend backend) {
        Device device = backend.device();
        Moved moved = Moved.none(Device.CPU);
        for (TensorStorage resident : TensorStorage.residentsOf(device)) {
            long bytes;
            try {
                bytes = resident.moveWith(old -> toHost(backend, old, resident.dtype()));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "the values of a " + resident.dtype() + " storage on " + device
                        + " could not be read back; it is marked lost", e);
                bytes = resident.moveWith(old -> zeroedHost(old.byteSize()));
                resident.markLost(device);
            }
            if (resident.placement() == Placement.STRICT) {
                resident.markLost(device);
            }
            moved = bytes > 0 ? moved.plus(bytes, device) : moved;
        }
        return moved;
    }

    /**
     * Moves the storages that a leaving backend allocated to the backend of the same device that stays
     * (already the device's backend in the registry), through host memory; a storage that cannot be
     * allocated there goes to cpu, as when a device is emptied. Their placements stay as they were.
     */
    static Moved handOver(DeviceBackend leaving) {
        Device device = leaving.device();
        Moved moved = Moved.none(device);
        for (TensorStorage resident : TensorStorage.residentsOf(device)) {
            if (resident.owner() != leaving) {
                continue;
            }
            long bytes;
            try {
                bytes = resident.moveWith(old -> {
                    Storage host = toHost(leaving, old, resident.dtype());
                    try {
                        return copyTo(device, host, resident.dtype());
                    } finally {
                        host.release();
                    }
                });
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "a " + resident.dtype() + " storage cannot move to the backend of " + device
                        + " that stays; it goes to cpu", e);
                bytes = resident.moveWith(old -> toHost(leaving, old, resident.dtype()));
            }
            moved = bytes > 0 ? moved.plus(bytes, device) : moved;
        }
        return moved;
    }

    /**
     * Moves the FOLLOW_BEST storages that are not on {@code target} there, each from the device it is on.
     * They must end on one device, or a model would mix devices: when one cannot move (the target is out
     * of memory), they all go to cpu instead, and the failure is logged. Never throws: it runs after a
     * backend has joined or left the registry, which must stay consistent.
     */
    static Moved followers(Device target) {
        Moved moved = Moved.none(target);
        for (TensorStorage follower : TensorStorage.followers()) {
            Device source = follower.device();
            if (source.equals(target)) {
                continue;
            }
            try {
                long bytes = follower.moveWith(old -> copyTo(target, old, follower.dtype()));
                moved = bytes > 0 ? moved.plus(bytes, source) : moved;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "a " + follower.dtype() + " storage placed FOLLOW_BEST cannot move from " + source
                        + " to " + target + (target.equals(Device.CPU) ? "; it stays on " + source : "; they all go to cpu"), e);
                if (!target.equals(Device.CPU)) {
                    return followers(Device.CPU);
                }
            }
        }
        return moved;
    }

    /**
     * Moves storages to {@code target}, all or none: when one cannot move, the ones already moved go back
     * where they were and the failure is rethrown, naming the target and what was being moved.
     */
    static Moved move(List<TensorStorage> storages, Device target) {
        Moved moved = Moved.none(target);
        List<TensorStorage> done = new ArrayList<>();
        List<Device> from = new ArrayList<>();
        for (TensorStorage storage : storages) {
            Device origin = storage.device();
            if (origin.equals(target)) {
                continue;
            }
            try {
                long bytes = storage.moveWith(old -> copyTo(target, old, storage.dtype()));
                if (bytes > 0) {
                    moved = moved.plus(bytes, origin);
                    done.add(storage);
                    from.add(origin);
                }
            } catch (RuntimeException | OutOfMemoryError e) {
                for (int i = 0; i < done.size(); i++) {
                    TensorStorage back = done.get(i);
                    Device home = from.get(i);
                    try {
                        back.moveWith(old -> copyTo(home, old, back.dtype()));
                    } catch (RuntimeException | Error rollback) {
                        e.addSuppressed(rollback);
                    }
                }
                String message = "moving " + storages.size() + " storages to " + target + " failed at a " + storage.dtype()
                        + " storage on " + origin + "; the " + done.size() + " moved went back: " + e.getMessage();
                if (e instanceof OutOfMemoryError) {
                    OutOfMemoryError named = new OutOfMemoryError(message);
                    named.initCause(e);
                    throw named;
                }
                throw new IllegalStateException(message, e);
            }
        }
        return moved;
    }

    /** A copy of device or host memory on {@code target}, through host memory. */
    private static Storage copyTo(Device target, Storage old, DType dtype) {
        Storage host = old.device().equals(Device.CPU) ? old : toHost(Creation.deviceBackend(old.device()), old, dtype);
        if (target.equals(Device.CPU)) {
            return host;
        }
        try {
            DeviceBackend backend = Creation.deviceBackend(target);
            Storage copy = backend.allocate(old.byteSize());
            try {
                backend.copyFromHost(flat(copy, dtype, old.byteSize()), flat(host, dtype, old.byteSize()));
                backend.synchronize();
            } catch (RuntimeException | Error e) {
                copy.release();
                throw e;
            }
            return copy;
        } finally {
            if (host != old) {
                host.release();
            }
        }
    }

    private static Storage toHost(DeviceBackend backend, Storage old, DType dtype) {
        HostStorage host = HostMemory.instance().allocate(old.byteSize());
        try {
            backend.copyToHost(flat(host, dtype, old.byteSize()), flat(old, dtype, old.byteSize()));
            backend.synchronize();
        } catch (RuntimeException | Error e) {
            host.release();
            throw e;
        }
        return host;
    }

    private static Storage zeroedHost(long bytes) {
        HostStorage host = HostMemory.instance().allocate(bytes);
        host.segment().fill((byte) 0);
        return host;
    }

    /** The first {@code bytes} of a storage as a flat view: host blocks may be larger than the memory they hold. */
    private static TensorView flat(Storage storage, DType dtype, long bytes) {
        return new TensorView(storage, dtype, 0, new long[] {bytes / dtype.byteSize()}, new long[] {1});
    }

    /** The MIGRATED event of a migration, none when nothing moved (or nothing was tried: null). */
    static List<DeviceEvent> events(Moved moved, long pauseNanos, String reason) {
        return moved == null || moved.tensors() == 0 ? List.of()
                : List.of(new DeviceEvent(DeviceEvent.Kind.MIGRATED, moved.from(), moved.to(), null, moved.tensors(), moved.bytes(), pauseNanos, reason));
    }
}
