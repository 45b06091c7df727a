package ignis.bench;

import ignis.nn.Functional;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Softmax, log-softmax and cross-entropy of [512, 1000] logits, the shape that
 * {@code /work/shared/bench/torch_bench.py} (section xent) measures for PyTorch: cross-entropy forward
 * without a gradient, and forward and backward into the logits. {@code threads} sets
 * {@code Tensors.setNumThreads}.
 *
 * <pre>{@code java @cnf/jvm.options -cp "$(cat bundles/bench/target/classpath.txt):bundles/bench/target/classes" \
 *     org.openjdk.jmh.Main CrossEntropyBenchmark -p threads=1,2}</pre>
 */
public class CrossEntropyBenchmark extends ThreadedBenchmark {

    private static final int ROWS = 512;
    private static final int CLASSES = 1000;

    private Tensor logits;
    private Tensor target;

    @Setup(Level.Trial)
    public void setup() {
        Tensors.setNumThreads(threads);
        Tensors.manualSeed(0);
        try (var untracked = Tensors.untracked(); GradMode.Scope off = GradMode.noGrad()) {
            logits = Tensors.randn(ROWS, CLASSES);
            target = Tensors.randint(0, CLASSES, ROWS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        logits.close();
        target.close();
    }

    @Benchmark
    public long softmax() {
        try (GradMode.Scope off = GradMode.noGrad(); Tensor out = logits.softmax(1)) {
            return out.numel();
        }
    }

    @Benchmark
    public long logSoftmax() {
        try (GradMode.Scope off = GradMode.noGrad(); Tensor out = logits.logSoftmax(1)) {
            return out.numel();
        }
    }

    @Benchmark
    public double forward() {
        try (GradMode.Scope off = GradMode.noGrad(); Tensor loss = Functional.crossEntropy(logits, target)) {
            return loss.item();
        }
    }

    @Benchmark
    public double forwardBackward() {
        try (var scope = Tensors.scope()) {
            Tensor leaf = logits.detach().requiresGrad_(true);
            Tensor loss = Functional.crossEntropy(leaf, target);
            loss.backward();
            leaf.grad().close();
            return loss.item();
        }
    }
}
