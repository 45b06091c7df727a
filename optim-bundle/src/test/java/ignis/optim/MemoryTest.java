package ignis.optim;

import static ignis.optim.OptimTesting.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A thousand training steps in scopes leave the live tensor and byte counts where they were; close() gives the state back. */
@ExtendWith(NoLeakedTensors.class)
@SuppressWarnings("try") // scopes are opened for their effect
class MemoryTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("SGD momentum nesterov", true,
                        (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, SGD.options().lr(0.01).momentum(0.9).nesterov(true)
                                .weightDecay(1e-4))),
                Arguments.of("Adam amsgrad", true,
                        (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, Adam.options().lr(1e-3).amsgrad(true).weightDecay(1e-4))),
                Arguments.of("AdamW zeroGrad(false)", false, (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps, 1e-3)),
                Arguments.of("RMSprop centered momentum", true,
                        (Function<List<Tensor>, Optimizer>) ps -> new RMSprop(ps, RMSprop.options().lr(1e-3).centered(true).momentum(0.9))),
                Arguments.of("Adagrad", false, (Function<List<Tensor>, Optimizer>) ps -> new Adagrad(ps, Adagrad.options().lr(0.01)
                        .weightDecay(1e-4).maximize(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thousandStepsStayFlat(String name, boolean setToNone, Function<List<Tensor>, Optimizer> make) {
        settle();
        long tensorsBefore = Tensors.liveTensors();
        long bytesBefore = Tensors.liveBytes(Device.CPU);
        try (TensorScope outer = Tensors.scope()) {
            Tensor w = param(new double[] {0.5, -0.3, 0.8, 0.1, -0.7, 0.2}, 2, 3);
            Tensor b = param(new double[] {0.1, -0.1}, 2);
            Tensor x = Tensors.of(new double[] {1, 2, -1}, 3);
            Tensor target = Tensors.of(new double[] {0.5, -0.5});
            try (Optimizer optimizer = make.apply(List.of(w, b))) {
                long tensorsAtStep10 = 0;
                long bytesAtStep10 = 0;
                for (int step = 1; step <= 1000; step++) {
                    try (TensorScope scope = Tensors.scope()) {
                        Tensor error = w.matmul(x).add(b).sub(target);
                        error.mul(error).mean().backward();
                    }
                    // Outside the step's scope: whatever step() or zeroGrad() left behind would pile up in the outer scope.
                    optimizer.step();
                    optimizer.zeroGrad(setToNone);
                    if (step == 10) {
                        tensorsAtStep10 = Tensors.liveTensors();
                        bytesAtStep10 = Tensors.liveBytes(Device.CPU);
                    }
                }
                assertEquals(tensorsAtStep10, Tensors.liveTensors(), name + ": live tensors after 1000 steps");
                assertEquals(bytesAtStep10, Tensors.liveBytes(Device.CPU), name + ": live bytes after 1000 steps");
                assertTrue(Double.isFinite(w.toDoubleArray()[0]));
            }
            if (setToNone) {
                assertEquals(null, w.grad());
            } else {
                w.grad().close();
                b.grad().close();
            }
        }
        assertEquals(tensorsBefore, Tensors.liveTensors(), name + ": everything released after close()");
        assertEquals(bytesBefore, Tensors.liveBytes(Device.CPU), name + ": every byte released after close()");
    }

    /**
     * Lets the cleaner collect tensors that earlier tests (in this JVM) dropped without closing, so
     * that their collection does not move the counts while this test measures.
     */
    private static void settle() {
        long last = -1;
        int stable = 0;
        for (int i = 0; i < 50 && stable < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = Tensors.liveTensors();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }
}
