package ignis.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.nn.Module;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WarmupTest {

    @Test
    @Timeout(60)
    void stepsWithoutDrawingRandomNumbersAndStopsOnClose() throws InterruptedException {
        Warmup warmup = new Warmup(Models.proxy("mlp"), Models.mlp(), 8, 1e-3, Device.CPU);
        Tensors.manualSeed(7);
        long drawn = Generator.defaultGenerator().offset();
        while (warmup.steps() < 3) {
            Thread.sleep(5);
        }
        warmup.close();
        assertEquals(drawn, Generator.defaultGenerator().offset(), "the warm-up drew from the default generator");
        long steps = warmup.steps();
        Thread.sleep(50);
        assertEquals(steps, warmup.steps(), "steps after close");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("ignis-train-warmup") && t.isAlive()));
    }

    @Test
    @Timeout(60)
    void awaitStepsReturnsOnceBothModelsHaveTakenTheirAwaitedSteps() {
        try (Warmup warmup = new Warmup(Models.proxy("mlp"), Models.mlp(), 8, 1e-3, Device.CPU)) {
            warmup.awaitSteps();
            assertTrue(warmup.steps() >= Warmup.PROXY_STEPS + Warmup.AWAITED_MODEL_STEPS, warmup.steps() + " steps");
        }
    }

    @Test
    @Timeout(60)
    void awaitStepsReturnsAtOnceWhereTheProxyIsNotAwaited() {
        try (Warmup warmup = new Warmup(Models.proxy("cnn"), Models.cnn(), 8, 1e-3, Device.CPU)) {
            warmup.awaitSteps();
            assertTrue(warmup.steps() < Warmup.PROXY_STEPS, warmup.steps() + " steps");
        }
    }

    @Test
    @Timeout(60)
    void awaitStepsReturnsOnceTheWarmupIsStopped() {
        Warmup warmup = new Warmup(Models.proxy("mlp"), Models.mlp(), 8, 1e-3, Device.CPU);
        warmup.close();
        warmup.awaitSteps();
        assertTrue(warmup.steps() < Warmup.PROXY_STEPS, warmup.steps() + " steps");
    }

    @Test
    void proxiesHaveTheLayersOfTheirModelsAndTakeTheirInputShape() {
        for (String name : new String[] {"mlp", "cnn"}) {
            Models.Proxy proxy = Models.proxy(name);
            try (Module model = Models.named(name); Module small = proxy.model(); var scope = Tensors.scope()) {
                assertEquals(model.modules().stream().map(Object::getClass).toList(), small.modules().stream().map(Object::getClass).toList(), name);
                Tensor out = small.forward(Tensors.zeros(proxy.inputShape()));
                assertEquals(Shape.of(proxy.inputShape()[0], 10), out.shape(), name);
                long proxyParameters = small.parameters().stream().mapToLong(Tensor::numel).sum();
                long parameters = model.parameters().stream().mapToLong(Tensor::numel).sum();
                assertTrue(proxyParameters * 4 < parameters, name + ": the proxy has " + proxyParameters + " parameters, the model " + parameters);
            }
        }
    }
}
