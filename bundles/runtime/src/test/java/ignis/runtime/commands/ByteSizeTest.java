package ignis.runtime.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void bytesBelowOneKibibyteAreExactAndLargerOnesHaveOneDecimal() {
        assertEquals("0 B", ByteSize.format(0));
        assertEquals("1023 B", ByteSize.format(1023));
        assertEquals("1.0 KiB", ByteSize.format(1024));
        assertEquals("1.5 MiB", ByteSize.format(3L << 19));
        assertEquals("8.0 EiB", ByteSize.format(Long.MAX_VALUE));
        assertEquals("-2.0 KiB", ByteSize.format(-2048));
    }
}
