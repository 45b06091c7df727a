package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The backend's identity, the choice of vector width, and what happens on a JVM without the Vector API. */
class VectorSupportTest {

    @Test
    void identity() {
        SimdBackend backend = new SimdBackend();
        assertEquals("cpu-simd", backend.name());
        assertEquals(Device.CPU, backend.device());
        assertEquals(100, backend.ranking());
        assertEquals(Lanes.preferred().bits(), backend.vectorBits());
        assertTrue(backend.toString().contains("cpu-simd"), backend::toString);
        assertEquals(128, new SimdBackend(128).vectorBits());
        assertThrows(IllegalArgumentException.class, () -> new SimdBackend(100));
    }

    @Test
    void widthProperty() {
        assertEquals(0, VectorSupport.requestedBits(null, 512));
        assertEquals(0, VectorSupport.requestedBits(" ", 512));
        assertEquals(128, VectorSupport.requestedBits("128", 512));
        assertEquals(256, VectorSupport.requestedBits(" 256 ", 512));
        assertEquals(0, VectorSupport.requestedBits("512", 256), "wider than the CPU: ignored");
        assertEquals(0, VectorSupport.requestedBits("1024", 2048), "not a supported width");
        assertEquals(0, VectorSupport.requestedBits("wide", 512), "not a number");
    }

    @Test
    void serviceLoaderFindsTheBackend() {
        List<String> names = new ArrayList<>();
        for (Backend backend : ServiceLoader.load(Backend.class)) {
            names.add(backend.name());
        }
        assertTrue(names.contains("cpu-simd"), () -> "ServiceLoader found " + names + ": is META-INF/services generated?");
    }

    @Test
    void childJvmWithoutTheVectorModuleSkipsTheBackend() throws Exception {
        String out = runProbe(List.of());
        assertTrue(out.contains("skipped: ServiceConfigurationError"), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("cpu-simd backend disabled"), () -> "the reason is logged: " + out);
        assertFalse(out.contains("found: cpu-simd"), out);
        assertTrue(out.contains("done"), out);
    }

    @Test
    void childJvmWithTheVectorModuleAndAForcedWidth() throws Exception {
        String out = runProbe(List.of("--add-modules=jdk.incubator.vector", "-D" + VectorSupport.BITS_PROPERTY + "=128"));
        assertTrue(out.contains("found: cpu-simd ranking 100 128 bits"), out);
        assertTrue(out.contains("forced by -Dignis.simd.bits=128"), () -> "the choice is logged: " + out);
    }

    /** Runs {@link ServiceLoaderProbe} in a fresh JVM on this test's class path; returns stdout and stderr. */
    private static String runProbe(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServiceLoaderProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
        }
        assertTrue(exited, () -> "the probe JVM did not exit: " + out);
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
