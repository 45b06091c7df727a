package ignis.bench;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Elementwise maps and a full sum through the public API, on float32: the large case (16M elements,
 * 64 MiB per operand) is bound by memory bandwidth, the small case (64 elements) by the framework's
 * fixed cost per call. Results in time per call; GB/s = bytes read and written / time:
 * add, mul, add_: 3 x 4 x n bytes; relu, exp: 2 x 4 x n; sum: 4 x n; reluBackward 3 x 4 x n (counted as
 * PyTorch's fused threshold_backward); contiguousTransposed 2 x 4 x n.
 *
 * <p>Out-of-place ops allocate their result through the caching host allocator and close it in the
 * same call, so that from the second call on the block is reused (as PyTorch's caching allocator
 * does); {@code add_} writes into {@code a} in place. Run with, e.g.
 * {@code java @cnf/jvm.options -cp ... org.openjdk.jmh.Main ElementwiseBenchmark -p threads=1,2}.
 */
public class ElementwiseBenchmark extends ThreadedBenchmark {

    /** Elements per operand: 16M (bandwidth) and 64 (fixed cost). */
    @Param({"16777216", "64"})
    public long n;

    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setup() {
        Tensors.setNumThreads(threads);
        Generator generator = new Generator(0);
        a = uniform(generator);
        b = uniform(generator);
    }

    private Tensor uniform(Generator generator) {
        try (var untracked = Tensors.untracked(); Tensor u = Tensors.rand(Shape.of(n), DType.FLOAT32, Device.CPU, generator)) {
            return u.sub(0.5);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    @Benchmark
    public Tensor add() {
        Tensor c = a.add(b);
        c.close();
        return c;
    }

    /** In place: a += b, then a -= b on the next call would change the data; b is small against a. */
    @Benchmark
    public Tensor addInPlace() {
        return a.add_(b);
    }

    @Benchmark
    public Tensor mul() {
        Tensor c = a.mul(b);
        c.close();
        return c;
    }

    @Benchmark
    public Tensor relu() {
        Tensor c = a.relu();
        c.close();
        return c;
    }

    @Benchmark
    public Tensor exp() {
        Tensor c = a.exp();
        c.close();
        return c;
    }

    @Benchmark
    public Tensor sum() {
        Tensor c = a.sum();
        c.close();
        return c;
    }

    /** ReLU's gradient as autograd computes it: b where a > 0, else 0. */
    @Benchmark
    public Tensor reluBackward() {
        Tensor c = NeuralOps.reluBackward(b, a);
        c.close();
        return c;
    }

    /** a seen as a square matrix (when n is a square: 4096 x 4096), transposed and made contiguous. */
    @Benchmark
    public Tensor contiguousTransposed() {
        long side = (long) Math.sqrt((double) n);
        try (Tensor square = a.narrow(0, 0, side * side).reshape(side, side); Tensor transposed = square.transpose(0, 1)) {
            Tensor c = transposed.contiguous();
            c.close();
            return c;
        }
    }
}
