package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The caching allocator over a fake device: reuse instead of cuMemAlloc per op, rounding, out of memory. */
class CachingAllocatorTest {

    private final FakeCudaApi api = new FakeCudaApi();
    private final CachingAllocator allocator = new CachingAllocator(api, "cuda:0");

    @Test
    void aFreedBlockServesTheNextRequestOfItsSizeWithoutTheDriver() {
        for (int step = 0; step < 100; step++) {
            CachingAllocator.Block a = allocator.allocate(4000);
            CachingAllocator.Block b = allocator.allocate(1 << 22);
            allocator.free(a);
            allocator.free(b);
        }
        assertEquals(2, api.memAllocs, "one cuMemAlloc per distinct block, then the cache");
        assertEquals(2, allocator.driverAllocations());
        assertEquals(0, allocator.inUseBytes());
        assertEquals(CachingAllocator.rounded(4000) + CachingAllocator.rounded(1 << 22), allocator.cachedBytes());
    }

    @Test
    void sizesRoundTo512BytesBelowOneMebibyteAndTo2MebibytesAbove() {
        assertEquals(512, CachingAllocator.rounded(0));
        assertEquals(512, CachingAllocator.rounded(1));
        assertEquals(1024, CachingAllocator.rounded(513));
        assertEquals(2L << 20, CachingAllocator.rounded((1L << 20) + 1));
        assertEquals(4L << 20, CachingAllocator.rounded((2L << 20) + 1));
    }

    @Test
    void aCachedBlockIsReusedForRequestsUpToTwiceSmaller() {
        CachingAllocator.Block big = allocator.allocate(8192);
        allocator.free(big);
        assertEquals(big, allocator.allocate(4096), "8192 serves 4096");
        CachingAllocator.Block huge = allocator.allocate(64L << 20);
        allocator.free(huge);
        assertNotEquals(huge, allocator.allocate(1 << 20), "64 MiB is not spent on 1 MiB");
    }

    @Test
    void outOfMemoryReturnsTheCacheToTheDriverAndRetriesThenNamesTheDevice() {
        api.capacity = 4L << 20;
        CachingAllocator.Block first = allocator.allocate(2L << 20);
        allocator.free(first);
        CachingAllocator.Block other = allocator.allocate(4L << 20); // does not fit beside the cached 2 MiB
        assertEquals(1, api.memFrees, "the cache was emptied to make room");
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> allocator.allocate(1 << 20));
        assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
        allocator.free(other);
        allocator.emptyCache();
        assertTrue(api.device.isEmpty());
    }
}
