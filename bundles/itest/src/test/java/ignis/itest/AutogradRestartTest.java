package ignis.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import ignis.tensor.AutogradRegistry;
import ignis.tensor.GradMode;
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

/** The autograd bundle can be stopped and started between two training steps: the second step's gradients are right. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class AutogradRestartTest {

    private static final long WAIT_MILLIS = 10_000;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    @Test
    public void aTrainingStepAfterTheAutogradBundleRestartsStillGetsCorrectGradients() throws Exception {
        float[] xs = {1, -2, 3, 0.5f, 4, -1};        // x: [2, 3]
        float[] ws = {0.5f, -1, 2, 0.25f, -0.5f, 1};  // w: [3, 2]
        Tensor x = Tensors.of(xs, 2, 3);
        Tensor w = Tensors.of(ws, 3, 2).requiresGrad_(true);
        float[] expected = expectedGradient(xs, ws);

        step(x, w);
        assertArrayEquals(expected, w.grad().toFloatArray(), 1e-6f);

        Bundle autograd = Arrays.stream(context.getBundles()).filter(b -> "ignis.autograd".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("ignis.autograd is not installed"));
        autograd.stop();
        assertNull("no engine while the bundle is stopped", AutogradRegistry.engine());
        try (Tensor y = x.matmul(w)) {
            assertEquals("plain tensor code still runs", 4, y.numel());
            try (Tensor loss = y.sum()) {
                loss.backward();
                fail("backward() without an engine must fail");
            } catch (IllegalStateException expectedFailure) {
                assertEquals("backward(): no autograd engine is installed (install the ignis autograd bundle)", expectedFailure.getMessage());
            }
        }

        autograd.start();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (AutogradRegistry.engine() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        try (GradMode.Scope off = GradMode.noGrad()) {
            w.grad().zero_();
        }
        step(x, w);
        assertArrayEquals(expected, w.grad().toFloatArray(), 1e-6f);
    }

    private static void step(Tensor x, Tensor w) {
        try (var scope = Tensors.scope()) {
            x.matmul(w).relu().sum().backward();
        }
    }

    /** d/dw sum(relu(x w)) = x^T (x w > 0), computed by hand in plain loops. */
    private static float[] expectedGradient(float[] x, float[] w) {
        float[] grad = new float[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                float y = 0;
                for (int k = 0; k < 3; k++) {
                    y += x[i * 3 + k] * w[k * 2 + j];
                }
                if (y > 0) {
                    for (int k = 0; k < 3; k++) {
                        grad[k * 2 + j] += x[i * 3 + k];
                    }
                }
            }
        }
        return grad;
    }
}
