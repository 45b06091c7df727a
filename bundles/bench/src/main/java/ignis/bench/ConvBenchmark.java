package ignis.bench;

import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Conv2dParams;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two convolutions of the Fashion-MNIST CNN through the public API, the shapes that
 * {@code /work/shared/bench/torch_bench.py} (section conv) measures for PyTorch: conv 1->32 on
 * [64, 1, 28, 28] and conv 32->64 on [64, 32, 14, 14], 3x3 kernels, padding 1, with a bias.
 * {@code forward} runs without recording; {@code forwardBackward} records and back-propagates a fixed
 * output gradient into the weight and bias (and into the input for the second layer, as PyTorch's
 * script does). {@code threads} sets {@code Tensors.setNumThreads}.
 *
 * <pre>{@code java @cnf/jvm.options -cp "$(cat bundles/bench/target/classpath.txt):bundles/bench/target/classes" \
 *     org.openjdk.jmh.Main ConvBenchmark -p threads=1,2}</pre>
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConvBenchmark extends ThreadedBenchmark {

    /** "1-32": [64, 1, 28, 28] by 32 3x3 filters; "32-64": [64, 32, 14, 14] by 64 3x3 filters. */
    @Param({"1-32", "32-64"})
    public String layer;

    private static final Conv2dParams PAD1 = new Conv2dParams(1, 1, 1, 1, 1, 1, 1);

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor gradOut;

    @Setup(Level.Trial)
    public void setup() {
        Tensors.setNumThreads(threads);
        Tensors.manualSeed(0);
        boolean first = layer.equals("1-32");
        int cin = first ? 1 : 32;
        int cout = first ? 32 : 64;
        int size = first ? 28 : 14;
        try (var untracked = Tensors.untracked(); GradMode.Scope off = GradMode.noGrad()) {
            x = Tensors.randn(64, cin, size, size);
            try (Tensor r = Tensors.randn(cout, cin, 3, 3)) {
                w = r.mul(0.1);
            }
            b = Tensors.zeros(cout);
            gradOut = Tensors.randn(64, cout, size, size);
        }
        x.requiresGrad_(cin > 1);
        w.requiresGrad_(true);
        b.requiresGrad_(true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, w, b, gradOut}) {
            t.close();
        }
    }

    @Benchmark
    public long forward() {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            return NeuralOps.conv2d(x, w, b, PAD1).numel();
        }
    }

    @Benchmark
    public long forwardBackward() {
        try (var scope = Tensors.scope()) {
            Tensor y = NeuralOps.conv2d(x, w, b, PAD1);
            y.backward(gradOut);
            long n = y.numel();
            for (Tensor t : new Tensor[] {x, w, b}) {
                if (t.grad() != null) {
                    t.grad().close();
                    t.setGrad(null);
                }
            }
            return n;
        }
    }
}
