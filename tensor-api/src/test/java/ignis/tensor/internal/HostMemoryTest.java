package ignis.tensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.tensor.spi.HostStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HostMemoryTest {

    private static final long MIB = 1L << 20;

    @Test
    void smallAndLargeBlocksAreZeroedWritableAndReused() {
        HostMemory memory = new HostMemory(1L << 30);
        for (long bytes : new long[] {1, 100, HugePageMappings.THRESHOLD - 64, HugePageMappings.THRESHOLD, 9 * MIB + 12}) {
            HostStorage block = memory.allocate(bytes);
            MemorySegment segment = block.segment();
            long size = segment.byteSize();
            assertEquals(Math.max(64, (bytes + 63) & -64), size, "rounded size of " + bytes);
            assertEquals(0, segment.address() % 64, "alignment of " + bytes);
            for (long at = 0; at < size; at += 4093) {
                assertEquals(0, segment.get(ValueLayout.JAVA_BYTE, at), "byte " + at + " of a fresh block of " + bytes);
            }
            segment.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 7);
            block.release();
            HostStorage again = memory.allocate(bytes);
            assertSame(block, again, "the cached block of " + size + " bytes");
            assertEquals(7, again.segment().get(ValueLayout.JAVA_BYTE, size - 1));
            again.release();
        }
        assertEquals(5, memory.stats().misses());
        assertEquals(5, memory.stats().hits());
        memory.emptyCache();
        assertEquals(0, memory.stats().cachedBytes());
    }

    @Test
    void pastTheLimitTheBlocksReleasedLongestAgoAreFreedAndTheRecentOnesKept() {
        HostMemory memory = new HostMemory(1024);
        HostStorage oldest = memory.allocate(512);
        HostStorage older = memory.allocate(448);
        HostStorage recent = memory.allocate(256);
        MemorySegment oldestSegment = oldest.segment();
        oldest.release();
        older.release();
        assertEquals(960, memory.stats().cachedBytes());
        recent.release();
        // 960 + 256 is past 1024: the 512-byte block, released first, is freed; its segment is dead.
        assertEquals(704, memory.stats().cachedBytes());
        assertThrows(IllegalStateException.class, () -> oldestSegment.get(ValueLayout.JAVA_BYTE, 0));
        assertSame(older, memory.allocate(448), "the 448-byte block stays cached");
        assertSame(recent, memory.allocate(256), "the block just released stays cached");
        assertEquals(0, memory.stats().cachedBytes());
        HostStorage tooLarge = memory.allocate(2048);
        MemorySegment tooLargeSegment = tooLarge.segment();
        tooLarge.release();
        assertEquals(0, memory.stats().cachedBytes(), "a block larger than the limit is freed at once");
        assertThrows(IllegalStateException.class, () -> tooLargeSegment.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void largeBlocksOnLinuxAreMappedAtHugePageBoundariesAndUnmappedWithTheirArena() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
        Arena arena = Arena.ofShared();
        MemorySegment block = HugePageMappings.map(HugePageMappings.THRESHOLD + 64, arena);
        assertNotNull(block);
        assertEquals(HugePageMappings.THRESHOLD + 64, block.byteSize());
        assertEquals(0, block.address() % (2 * MIB));
        block.set(ValueLayout.JAVA_LONG, block.byteSize() - 8, -1L);
        assertEquals(-1L, block.get(ValueLayout.JAVA_LONG, block.byteSize() - 8));
        arena.close();
        // The segment is dead with its arena: a use is an exception, not a read of unmapped memory.
        assertThrows(IllegalStateException.class, () -> block.get(ValueLayout.JAVA_LONG, 0));
        try (Arena other = Arena.ofConfined()) {
            assertNull(HugePageMappings.map(HugePageMappings.THRESHOLD - 1, other), "small blocks are not mapped");
        }
    }
}
