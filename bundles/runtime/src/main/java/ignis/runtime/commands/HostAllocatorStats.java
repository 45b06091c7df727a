package ignis.runtime.commands;

import ignis.tensor.Tensors;
import java.lang.reflect.InvocationTargetException;

/**
 * The figures of tensor-api's caching allocator of host memory.
 *
 * <p>{@link Tensors#hostMemoryStats()} returns a record from {@code ignis.tensor.internal}, a package
 * tensor-api does not export: a bundle that named the type would not resolve. So its components are
 * read by name, until tensor-api exports the type.
 */
record HostAllocatorStats(long inUseBytes, long peakInUseBytes, long cachedBytes, long cacheLimit, long hits, long misses) {

    static HostAllocatorStats read() {
        try {
            Object stats = Tensors.class.getMethod("hostMemoryStats").invoke(null);
            return new HostAllocatorStats(component(stats, "inUseBytes"), component(stats, "peakInUseBytes"),
                    component(stats, "cachedBytes"), component(stats, "cacheLimit"), component(stats, "hits"),
                    component(stats, "misses"));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("this tensor-api has no Tensors.hostMemoryStats() with the figures "
                    + "inUseBytes, peakInUseBytes, cachedBytes, cacheLimit, hits and misses: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading the host allocator's figures failed: " + e.getCause(), e.getCause());
        }
    }

    private static long component(Object record, String name)
            throws NoSuchMethodException, IllegalAccessException, InvocationTargetException {
        return (long) record.getClass().getMethod(name).invoke(record);
    }
}
