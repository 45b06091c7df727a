package ignis.tensor.internal;

import ignis.tensor.HostMemoryStats;
import ignis.tensor.spi.HostStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The caching allocator of host memory. Blocks are 64-byte aligned off-heap segments, their sizes
 * rounded up to 64 bytes; a released block is kept for the next request of the same size, so a
 * training loop that makes the same tensors every step allocates (and zeroes) memory only in its
 * first step. Cached memory is bounded: past the limit the blocks released longest ago are freed, so
 * that the cache holds what the program uses now. Freeing a block closes its shared arena, which
 * stops every Java thread for a moment (a handshake): freeing the block just released instead, as this
 * class did, made every release of a program's current sizes pay that once the cache was full of
 * earlier ones (cross-entropy of [512, 1000] logits after convolutions: 270 -> 740 us). Blocks of
 * 4 MiB and more lie on huge pages where the system has them ({@link HugePageMappings}).
 */
public final class HostMemory {

    private static final long ALIGNMENT = 64;
    private static final long DEFAULT_CACHE_LIMIT = 1L << 30;

    private static final HostMemory INSTANCE = new HostMemory(
            Long.getLong("ignis.host.cacheBytes", DEFAULT_CACHE_LIMIT));

    private final long cacheLimit;
    private final Map<Long, ArrayDeque<Block>> cache = new HashMap<>();
    /** Every cached block, released longest ago first: the order in which the limit frees them. */
    private final Set<Block> byAge = new LinkedHashSet<>();
    private long cachedBytes;
    private long inUseBytes;
    private long peakInUseBytes;
    private long hits;
    private long misses;

    HostMemory(long cacheLimit) {
        this.cacheLimit = cacheLimit;
    }

    public static HostMemory instance() {
        return INSTANCE;
    }

    /** A block of at least {@code bytes} (its {@link HostStorage#byteSize()} is the rounded size). Not zeroed when reused. */
    public HostStorage allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        long size = Math.max(ALIGNMENT, (bytes + ALIGNMENT - 1) & -ALIGNMENT);
        synchronized (this) {
            ArrayDeque<Block> free = cache.get(size);
            Block block = free == null ? null : free.pollLast();
            inUseBytes += size;
            peakInUseBytes = Math.max(peakInUseBytes, inUseBytes);
            if (block != null) {
                byAge.remove(block);
                hits++;
                cachedBytes -= size;
                block.live = true;
                return block;
            }
            misses++;
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapped = HugePageMappings.map(size, arena);
            return new Block(arena, mapped != null ? mapped : arena.allocate(size, ALIGNMENT));
        } catch (OutOfMemoryError e) {
            arena.close();
            synchronized (this) {
                inUseBytes -= size;
            }
            emptyCache();
            throw new OutOfMemoryError("cannot allocate " + size + " bytes of host memory for a tensor: " + e.getMessage());
        }
    }

    private void release(Block block) {
        long size = block.segment.byteSize();
        List<Block> freed = new ArrayList<>();
        synchronized (this) {
            if (!block.live) {
                throw new IllegalStateException("host block of " + size + " bytes released twice");
            }
            block.live = false;
            inUseBytes -= size;
            if (size > cacheLimit) {
                freed.add(block);
            } else {
                cache.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(block);
                byAge.add(block);
                cachedBytes += size;
                for (Iterator<Block> oldest = byAge.iterator(); cachedBytes > cacheLimit; ) {
                    Block old = oldest.next();
                    oldest.remove();
                    long oldSize = old.segment.byteSize();
                    // Blocks of a size are added last and taken last, so its oldest is first.
                    ArrayDeque<Block> ofSize = cache.get(oldSize);
                    ofSize.pollFirst();
                    if (ofSize.isEmpty()) {
                        cache.remove(oldSize);
                    }
                    cachedBytes -= oldSize;
                    freed.add(old);
                }
            }
        }
        freed.forEach(b -> b.arena.close());
    }

    /** Frees every cached block. */
    public void emptyCache() {
        ArrayDeque<Block> freed = new ArrayDeque<>();
        synchronized (this) {
            cache.values().forEach(freed::addAll);
            cache.clear();
            byAge.clear();
            cachedBytes = 0;
        }
        freed.forEach(b -> b.arena.close());
    }

    public synchronized HostMemoryStats stats() {
        return new HostMemoryStats(inUseBytes, peakInUseBytes, cachedBytes, cacheLimit, hits, misses);
    }

    private final class Block implements HostStorage {
        private final Arena arena;
        private final MemorySegment segment;
        private boolean live = true; // guarded by HostMemory.this

        Block(Arena arena, MemorySegment segment) {
            this.arena = arena;
            this.segment = segment;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public void release() {
            HostMemory.this.release(this);
        }
    }
}
