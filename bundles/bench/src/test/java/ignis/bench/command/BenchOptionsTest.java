package ignis.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.bench.command.BenchOptions.Group;
import ignis.tensor.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void noFlagsRunEverythingWithTheDefaults() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(List.of(Group.GEMM, Group.ELEMENTWISE, Group.CONV), o.groups());
        assertEquals(Optional.empty(), o.device());
        assertEquals(Optional.empty(), o.threads());
        assertEquals(List.of(256, 512, 1024, 2048), o.sizes());
        assertEquals(64, o.batch());
        assertEquals(16L * 1024 * 1024, o.elements());
        assertEquals(5, o.repeat());
        assertEquals(1, o.rounds());
        assertEquals(Optional.empty(), o.json());
        assertFalse(o.compare());
        assertEquals(Path.of("/usr/bin/python3"), o.python());
        assertEquals(o, BenchOptions.parse("all"));
    }

    @Test
    void everyFlag() {
        BenchOptions o = BenchOptions.parse("gemm", "--device", "cpu", "--threads", "2", "--sizes", "128,256", "--json", "out.json",
                "--compare", "--python", "/opt/py", "--torch-script", "t.py", "--repeat", "3", "--rounds", "2", "--min-time", "10",
                "--warmup", "0", "--batch", "8", "--elements", "1000");
        assertEquals(List.of(Group.GEMM), o.groups());
        assertEquals(Optional.of(Device.CPU), o.device());
        assertEquals(Optional.of(2), o.threads());
        assertEquals(List.of(128, 256), o.sizes());
        assertEquals(Optional.of(Path.of("out.json")), o.json());
        assertTrue(o.compare());
        assertEquals(Path.of("/opt/py"), o.python());
        assertEquals(Optional.of(Path.of("t.py")), o.torchScript());
        assertEquals(3, o.repeat());
        assertEquals(2, o.rounds());
        assertEquals(10.0, o.minSampleMillis());
        assertEquals(0.0, o.warmupMillis());
        assertEquals(8, o.batch());
        assertEquals(1000, o.elements());
    }

    @Test
    void sizesTakeCommasOrSpaces() {
        assertEquals(List.of(128, 256, 512), BenchOptions.parse("--sizes", "128", "256,512", "gemm").sizes());
        assertEquals(List.of(Group.GEMM), BenchOptions.parse("--sizes", "128", "256", "gemm").groups());
        assertEquals(List.of(64), BenchOptions.parse("--sizes", "64", "--repeat", "2").sizes());
    }

    @Test
    void groupsRunInTableOrderWhateverTheirOrderOnTheCommandLine() {
        assertEquals(List.of(Group.ELEMENTWISE, Group.CONV), BenchOptions.parse("conv", "elementwise", "conv").groups());
        assertEquals(List.of(Group.CONV), BenchOptions.parse("--threads", "1", "conv").groups());
    }

    @Test
    void badCommandLinesSayWhatIsWrongInOneLine() {
        assertBad("bench: unknown benchmark 'matmul': expected gemm, elementwise, conv or all", "matmul");
        assertBad("bench: unknown flag '--fast'", "--fast", "1");
        assertBad("bench: --threads needs a value", "gemm", "--threads");
        assertBad("bench: --threads needs a whole number from 1 to 2147483647, got '0'", "--threads", "0");
        assertBad("bench: --threads needs a whole number from 1 to 2147483647, got 'two'", "--threads", "two");
        assertBad("bench: --sizes needs a whole number from 1 to 65536, got ''", "--sizes", "256,,512");
        assertBad("bench: --sizes needs a whole number from 1 to 65536, got '-3'", "--sizes", "-3");
        assertBad("bench: --repeat needs a whole number from 1 to 1000, got '0'", "--repeat", "0");
        assertBad("bench: --min-time needs milliseconds from 0 to 600000, got 'x'", "--min-time", "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--device", "GPU!"));
        assertTrue(e.getMessage().startsWith("bench: --device device 'GPU!': expected TYPE or TYPE:INDEX"), e.getMessage());
    }

    private static void assertBad(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
