package ignis.bench.command;

import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Memory-bound float32 operations on long vectors, in GB/s counting the bytes read and written (4
 * per float and operand, as {@code torch_bench.py} counts them), and the latency of a 64-float add,
 * which is all dispatch overhead, and of nn.Linear's bias added to a batch of its outputs ({@code bias_add}: [64, 256]
 * + [256], the bias repeated over the rows, as the MLP's first layer adds it each step).
 *
 * <p>The API has no {@code out=} form; the in-place forms ({@code add_}, {@code mul_}, {@code relu_})
 * read and write preallocated memory as {@code torch.add(a, b, out=c)} does. {@code exp} runs into a
 * new tensor each call (from the caching allocator): repeated in place it would overflow to infinity.
 * The {@code mul_} operand is close to 1 so that repeated products stay normal floats. Two figures
 * of the training step: {@code relu_backward} (ReLU's gradient, {@link NeuralOps#reluBackward}) and
 * {@code contiguous_t} (a transposed matrix copied to row-major order).
 */
final class ElementwiseSuite {

    /** The length of the latency figure's operands. */
    static final long SMALL = 64;
    private static final long TORCH_ELEMENTS = 16L * 1024 * 1024;

    private ElementwiseSuite() {
    }

    static List<Figure> run(BenchOptions options, Device device, Harness harness) {
        long n = options.elements();
        List<Figure> figures = new ArrayList<>();
        boolean torchShape = n == TORCH_ELEMENTS;
        figures.add(binary("add_", n, 3, device, harness, torchShape ? "add (out=)" : null, -0.5, 0.5, (a, b) -> a.add_(b)));
        figures.add(binary("add", n, 3, device, harness, torchShape ? "add (alloc)" : null, -0.5, 0.5, (a, b) -> a.add(b).close()));
        figures.add(binary("mul_", n, 3, device, harness, torchShape ? "mul (out=)" : null, 0.9995, 1.0005, (a, b) -> a.mul_(b)));
        figures.add(unary("relu_", n, 2, device, harness, torchShape ? "relu (out=)" : null, Tensor::relu_));
        figures.add(unary("relu", n, 2, device, harness, torchShape ? "relu (alloc)" : null, a -> a.relu().close()));
        figures.add(unary("exp", n, 2, device, harness, torchShape ? "exp (out=)" : null, a -> a.exp().close()));
        figures.add(unary("sum", n, 1, device, harness, torchShape ? "sum 16M" : null, a -> a.sum().close()));
        figures.add(binary("relu_backward", n, 3, device, harness, null, -0.5, 0.5, ElementwiseSuite::reluBackward));
        figures.add(transposedCopy(n, device, harness));
        figures.add(binary("add", SMALL, 0, device, harness, null, -0.5, 0.5, (a, b) -> a.add(b).close()));
        figures.add(biasAdd(device, harness));
        return figures;
    }

    /**
     * {@code a op b} with {@code a} uniform in [-0.5, 0.5) and {@code b} uniform in [low, high).
     *
     * @param operands the operands read and written per element, for the bandwidth; 0 for a latency figure
     */
    private static Figure binary(String name, long n, int operands, Device device, Harness harness, String referenceName,
                                 double low, double high, BiConsumer<Tensor, Tensor> op) {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            Tensor a = Random.uniform(device, -0.5, 0.5, n);
            Tensor b = Random.uniform(device, low, high, n);
            return figure(name, n, operands, device, harness.measure(() -> op.accept(a, b)), referenceName);
        }
    }

    private static Figure unary(String name, long n, int operands, Device device, Harness harness, String referenceName,
                                Consumer<Tensor> op) {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            Tensor a = Random.uniform(device, -0.5, 0.5, n);
            return figure(name, n, operands, device, harness.measure(() -> op.accept(a)), referenceName);
        }
    }

    /** ReLU's gradient as autograd computes it, g where y > 0, else 0; counted as its three operands (y, g, out). */
    private static void reluBackward(Tensor y, Tensor g) {
        NeuralOps.reluBackward(g, y).close();
    }

    /** {@code out + bias} of [64, 256] and [256] into a new tensor: a latency figure. */
    private static Figure biasAdd(Device device, Harness harness) {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            Tensor out = Random.uniform(device, -0.5, 0.5, 64, 256);
            Tensor bias = Random.uniform(device, -0.5, 0.5, 256);
            return figure("bias_add", "64x256,256", 64 * 256, 0, device, harness.measure(() -> out.add(bias).close()), null);
        }
    }

    /** {@code contiguous()} of a transposed square matrix of about n floats: a gather that jumps a row per element. */
    private static Figure transposedCopy(long n, Device device, Harness harness) {
        long side = Math.max(1, (long) Math.sqrt((double) n));
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            Tensor transposed = Random.uniform(device, -0.5, 0.5, side, side).transpose(0, 1);
            return figure("contiguous_t", side + "x" + side, side * side, 2, device,
                    harness.measure(() -> transposed.contiguous().close()), null);
        }
    }

    private static Figure figure(String name, long n, int operands, Device device, Harness.Timing timing, String referenceName) {
        return figure(name, Long.toString(n), n, operands, device, timing, referenceName);
    }

    private static Figure figure(String name, String shape, long n, int operands, Device device, Harness.Timing timing,
                                 String referenceName) {
        return new Figure("elementwise", name, shape, "float32", Tensors.numThreads(), device.toString(), 0,
                4.0 * operands * n, timing, Optional.ofNullable(referenceName));
    }
}
