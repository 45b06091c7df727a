package ignis.bench;

import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.ValuesAndIndices;
import ignis.tensor.spi.Pool2dParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CNN's 2x2 max pooling, after each convolution ([64, 32, 28, 28] and [64, 64, 14, 14]): forward
 * with indices, and backward from them. {@code threads} sets {@code Tensors.setNumThreads}.
 *
 * <pre>{@code java @cnf/jvm.options -cp "$(cat bundles/bench/target/classpath.txt):bundles/bench/target/classes" \
 *     org.openjdk.jmh.Main PoolingBenchmark -p threads=1,2}</pre>
 */
public class PoolingBenchmark extends ThreadedBenchmark {

    /** "32x28": the first pooling's input, [64, 32, 28, 28]; "64x14": the second's, [64, 64, 14, 14]. */
    @Param({"32x28", "64x14"})
    public String planes;

    private static final Pool2dParams MAX_2X2 = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true);

    private Tensor x;
    private Tensor gradOut;
    private Tensor indices;

    @Setup(Level.Trial)
    public void setup() {
        Tensors.setNumThreads(threads);
        Tensors.manualSeed(0);
        int channels = Integer.parseInt(planes.substring(0, planes.indexOf('x')));
        int size = Integer.parseInt(planes.substring(planes.indexOf('x') + 1));
        try (var untracked = Tensors.untracked(); GradMode.Scope off = GradMode.noGrad()) {
            x = Tensors.randn(64, channels, size, size);
            gradOut = Tensors.randn(64, channels, size / 2, size / 2);
            ValuesAndIndices pooled = NeuralOps.maxPool2d(x, MAX_2X2);
            pooled.values().close();
            indices = pooled.indices();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {x, gradOut, indices}) {
            t.close();
        }
    }

    @Benchmark
    public long forward() {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            return NeuralOps.maxPool2d(x, MAX_2X2).values().numel();
        }
    }

    @Benchmark
    public long backward() {
        try (Tensor gradInput = NeuralOps.maxPool2dBackward(gradOut, indices, x.shape(), MAX_2X2)) {
            return gradInput.numel();
        }
    }
}
