package ignis.bench;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * float32 matrix products on the default device: square sizes and the Fashion-MNIST training shapes
 * with their backward transposes. A shape is {@code MxKxN} for {@code [M, K] @ [K, N]}; a suffix {@code t}
 * makes a the transpose of a row-major [K, M] ({@code a^T g} in a backward pass), {@code u} makes b the
 * transpose of a row-major [N, K] ({@code g w^T}). GFLOP/s = 2 M N K / time.
 *
 * <pre>{@code java @cnf/jvm.options -cp $(cat bundles/bench/target/classpath.txt):bundles/bench/target/classes \
 *     org.openjdk.jmh.Main GemmBenchmark -p threads=1 -p shape=1024x1024x1024}</pre>
 */
public class GemmBenchmark extends ThreadedBenchmark {

    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "64x784x256", "64x3136x128", "784x64x256t", "64x256x784u"})
    public String shape;

    private Tensor a;
    private Tensor b;
    private int previousThreads;

    @Setup(Level.Trial)
    public void setup() {
        boolean transposeA = shape.endsWith("t");
        boolean transposeB = shape.endsWith("u");
        String[] dims = shape.replaceAll("[tu]$", "").split("x");
        long m = Long.parseLong(dims[0]);
        long k = Long.parseLong(dims[1]);
        long n = Long.parseLong(dims[2]);
        Tensors.manualSeed(0);
        a = transposeA ? Tensors.randn(k, m).t() : Tensors.randn(m, k);
        b = transposeB ? Tensors.randn(n, k).t() : Tensors.randn(k, n);
        previousThreads = Tensors.numThreads();
        Tensors.setNumThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Tensors.setNumThreads(previousThreads);
    }

    @Benchmark
    public float matmul() {
        try (var scope = Tensors.scope()) {
            Tensor c = a.matmul(b);
            return c.numel() > 0 ? 0f : 1f;
        }
    }
}
