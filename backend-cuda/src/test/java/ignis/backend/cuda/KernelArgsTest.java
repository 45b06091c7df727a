package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The View struct of common.cuh as the Java side packs it. */
class KernelArgsTest {

    @Test
    void aViewIsOffsetRankShapeAndStridesAs64BitLittleEndianWords() {
        byte[] bytes = KernelArgs.view(7, new long[] {2, 3}, new long[] {1, 2});
        assertEquals(144, bytes.length);
        assertEquals(KernelArgs.VIEW_BYTES, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7, b.getLong(0));
        assertEquals(2, b.getLong(8));
        assertEquals(2, b.getLong(16));
        assertEquals(3, b.getLong(24));
        assertEquals(1, b.getLong(32), "unused dims have size 1");
        assertEquals(1, b.getLong(16 + 8 * 8));
        assertEquals(2, b.getLong(16 + 8 * 9));
        assertEquals(0, b.getLong(16 + 8 * 10), "and stride 0");
    }

    @Test
    void ranksAboveEightAreRefusedWithTheShape() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> KernelArgs.view(0, new long[9], new long[9]));
        assertEquals(true, e.getMessage().contains("rank up to 8"), e.getMessage());
    }

    @Test
    void scalarsAreTheirOwnWidth() {
        KernelArgs args = new KernelArgs().addInt(1).addLong(2).addDouble(3).addInts(1, 2, 3);
        assertEquals(4, args.params().get(0).length);
        assertEquals(8, args.params().get(1).length);
        assertEquals(8, args.params().get(2).length);
        assertEquals(12, args.params().get(3).length);
    }
}
