package ignis.bench;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a backward pass against its forward pass, on the Fashion-MNIST MLP (784-256-128-10,
 * ReLU, log-softmax, batch 64): a matmul-heavy graph. Backward = forwardBackward - forward.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AutogradBenchmark {

    private Tensor x;
    private Tensor w1;
    private Tensor w2;
    private Tensor w3;

    @Setup
    public void setup() {
        Tensors.manualSeed(0);
        x = Tensors.randn(64, 784);
        w1 = weight(784, 256);
        w2 = weight(256, 128);
        w3 = weight(128, 10);
    }

    private static Tensor weight(long in, long out) {
        try (Tensor random = Tensors.randn(Shape.of(in, out), DType.FLOAT32, Device.CPU, ignis.tensor.Generator.defaultGenerator())) {
            return random.mul(Math.sqrt(2.0 / in)).requiresGrad_(true);
        }
    }

    private Tensor loss() {
        return x.matmul(w1).relu().matmul(w2).relu().matmul(w3).logSoftmax(1).mean().neg();
    }

    /** The forward pass as training runs it: recording the graph. */
    @Benchmark
    public double forward() {
        try (var scope = Tensors.scope()) {
            return loss().item();
        }
    }

    /** The forward pass without recording, for the recording overhead. */
    @Benchmark
    public double forwardNoGrad() {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            return loss().item();
        }
    }

    @Benchmark
    public double forwardBackward() {
        try (var scope = Tensors.scope()) {
            Tensor loss = loss();
            loss.backward();
            double value = loss.item();
            for (Tensor w : new Tensor[] {w1, w2, w3}) {
                w.grad().close();
                w.setGrad(null);
            }
            return value;
        }
    }
}
