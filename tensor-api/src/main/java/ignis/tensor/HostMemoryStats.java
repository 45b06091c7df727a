package ignis.tensor;

/**
 * Figures of the caching allocator of host memory, a consistent snapshot.
 *
 * @param inUseBytes     bytes held by live tensors (rounded block sizes)
 * @param peakInUseBytes the most bytes held at once so far
 * @param cachedBytes    bytes of freed blocks kept for reuse
 * @param cacheLimit     the most bytes the cache keeps
 * @param hits           allocations served from the cache
 * @param misses         allocations that needed new memory
 */
public record HostMemoryStats(long inUseBytes, long peakInUseBytes, long cachedBytes, long cacheLimit, long hits, long misses) {
}
