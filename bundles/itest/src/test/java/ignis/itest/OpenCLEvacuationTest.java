package ignis.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

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
 * The registry's hot-swap contract on a real device: stopping the OpenCL backend bundle while tensors
 * live in its memory moves them to cpu first (same tensors, same values, device changed, no byte
 * left on opencl:0); starting it again brings the device back. Skipped where the machine has no
 * OpenCL device (the backend then registers none).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class OpenCLEvacuationTest {

    private static final long WAIT_MILLIS = 10_000;
    private static final Device OPENCL = Device.of("opencl:0");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    @Test
    public void stoppingTheBackendMovesItsTensorsToCpuWithTheirValues() throws Exception {
        assumeTrue("no OpenCL device on this machine: the OpenCL backend registered none", awaitDevice(true));
        long before = Tensors.liveBytes(OPENCL);
        try (var scope = Tensors.scope()) {
            Tensor a = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(OPENCL);
            Tensor b = a.mul(a).add(a);
            assertEquals(OPENCL, b.device());
            assertTrue("tensors in device memory", Tensors.liveBytes(OPENCL) > before);

            bundle("ignis.backend.opencl").stop();

            assertFalse("opencl:0 left the registry", BackendRegistry.hasBackend(OPENCL));
            assertEquals(Device.CPU, a.device());
            assertEquals(Device.CPU, b.device());
            assertEquals("no byte left on opencl:0", 0, Tensors.liveBytes(OPENCL));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray(), 0);
            assertArrayEquals(new float[] {2, 6, 12, 20, 30, 42}, b.toFloatArray(), 0);
            assertArrayEquals("the moved tensors compute on cpu", new float[] {3, 8, 15, 24, 35, 48}, b.add(a).toFloatArray(), 0);
        }

        bundle("ignis.backend.opencl").start();
        assertTrue("opencl:0 is back after the bundle restarts", awaitDevice(true));
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.of(new float[] {1, 2}, 2).to(OPENCL);
            assertEquals(OPENCL, x.device());
            assertArrayEquals(new float[] {2, 4}, x.add(x).toFloatArray(), 0);
        }
    }

    private static boolean awaitDevice(boolean present) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (BackendRegistry.hasBackend(OPENCL) != present) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }
}
