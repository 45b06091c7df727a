package ignis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTest {

    @Test
    void parsesNamesAsTorchDeviceDoes() {
        assertSame(Device.CPU, Device.of("cpu"));
        assertEquals(new Device("cuda", 0), Device.of("cuda:0"));
        assertEquals(new Device("opencl", 12), Device.of("opencl:12"));
        assertEquals(new Device("my-npu", -1), Device.of("my-npu"));
    }

    @Test
    void printsTheNameItWasParsedFrom() {
        for (String name : new String[] {"cpu", "cuda:0", "opencl:3", "vendor_x"}) {
            assertEquals(name, Device.of(name).toString());
        }
    }

    @Test
    void knowsWhetherItHasAnIndex() {
        assertFalse(Device.CPU.hasIndex());
        assertTrue(Device.of("cuda:0").hasIndex());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cuda:", "cuda:-1", "cuda:x", ":0", "CUDA:0", "cu da", "cuda:0:1", "cuda:99999999999"})
    void rejectsWhatIsNotADeviceNameAndNamesIt(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.of(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void rejectsANegativeIndex() {
        assertThrows(IllegalArgumentException.class, () -> new Device("cuda", -2));
    }
}
