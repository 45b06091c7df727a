package ignis.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Refused pooling parameters are named as they were given. */
class Pool2dParamsTest {

    @Test
    void refusedParametersAreNamed() {
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> new Pool2dParams(2, 2, 2, 2, 2, 0, 1, 1, false, true));
        assertEquals("pool2d: padding must be non-negative and at most half the kernel size, got kernel (2, 2), stride (2, 2),"
                + " padding (2, 0), dilation (1, 1)", padding.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> new Pool2dParams(3, 3, 0, 1, 1, 1, 1, 1, false, true));
        assertEquals("pool2d: kernel, stride and dilation must be positive, got kernel (3, 3), stride (0, 1), padding (1, 1),"
                + " dilation (1, 1)", stride.getMessage());
    }
}
