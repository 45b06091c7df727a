package ignis.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The cpu backends are kernel providers over host memory that tensor-api owns: with both installed
 * the SIMD backend runs the ops, stopping it hands them to the reference backend with nothing to
 * move, and starting it again takes them back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BackendSwapTest {

    private static final long WAIT_MILLIS = 10_000;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    @Test
    public void opsRunOnSimdThenOnTheReferenceWhileSimdIsStoppedThenOnSimdAgain() throws Exception {
        assertEquals("cpu-simd", BackendRegistry.backendFor(Device.CPU).name());
        try (Tensor a = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor b = Tensors.of(new float[] {10, 20, 30})) {
            assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, sum(a, b), 0);

            Bundle simd = bundle("ignis.backend.simd");
            simd.stop();
            assertEquals("reference", BackendRegistry.backendFor(Device.CPU).name());
            assertArrayEquals("the same tensors, now computed by the reference backend",
                    new float[] {11, 22, 33, 14, 25, 36}, sum(a, b), 0);

            simd.start();
            awaitBackend("cpu-simd");
            assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, sum(a, b), 0);
        }
    }

    private static float[] sum(Tensor a, Tensor b) {
        try (Tensor c = a.add(b)) {
            return c.toFloatArray();
        }
    }

    private static void awaitBackend(String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!BackendRegistry.backendFor(Device.CPU).name().equals(name)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the cpu backend is still " + BackendRegistry.backendFor(Device.CPU).name() + ", not " + name);
            }
            Thread.sleep(20);
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }
}
