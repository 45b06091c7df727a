package ignis.bench.command;

import ignis.tensor.Device;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Float32 matmul through {@link Tensor#matmul}: square sizes, and the products of a training step of
 * the Fashion-MNIST MLP (first layer, [batch,784] @ [784,256]) and CNN (first linear layer,
 * [batch,3136] @ [3136,128]), forward and both backward products as autograd forms them, with
 * transposed views: {@code x^T g} and {@code g W^T}; and the forward as {@code nn.Linear} computes it,
 * {@code x W^T} with its weight stored [out, in], where the weight is packed through a transpose.
 */
final class GemmSuite {

    /** How the operands are laid out: B or A read through a transposed view, as in a backward pass. */
    enum Layout {
        NN("gemm"), TN("gemm_tn"), NT("gemm_nt");

        final String figureName;

        Layout(String figureName) {
            this.figureName = figureName;
        }
    }

    /** One product C[m,n] = A[m,k] @ B[k,n]. */
    record Case(long m, long k, long n, Layout layout) {

        String shape() {
            return m + "x" + k + "x" + n;
        }

        double flops() {
            return 2.0 * m * k * n;
        }

        /** The square products, which torch_bench.py times; numpy_gemm.py times the others. */
        boolean isSquare() {
            return layout == Layout.NN && m == k && k == n;
        }
    }

    private GemmSuite() {
    }

    /** The square sizes, then for each training layer (in features, out features) its forward and backward products. */
    static List<Case> cases(BenchOptions options) {
        List<Case> cases = new ArrayList<>();
        for (int n : options.sizes()) {
            cases.add(new Case(n, n, n, Layout.NN));
        }
        long batch = options.batch();
        for (long[] layer : new long[][] {{784, 256}, {3136, 128}}) {
            long in = layer[0];
            long out = layer[1];
            cases.add(new Case(batch, in, out, Layout.NN));   // x W
            cases.add(new Case(batch, in, out, Layout.NT));   // x W^T: nn.Linear's forward, its weight [out, in]
            cases.add(new Case(in, batch, out, Layout.TN));   // x^T g: the weight gradient
            cases.add(new Case(batch, out, in, Layout.NT));   // g W^T: the input gradient
        }
        return cases;
    }

    static List<Figure> run(BenchOptions options, Device device, Harness harness) {
        List<Figure> figures = new ArrayList<>();
        for (Case c : cases(options)) {
            figures.add(measure(c, device, harness));
        }
        return figures;
    }

    static Figure measure(Case c, Device device, Harness harness) {
        try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
            Tensor a = switch (c.layout()) {
                case TN -> Random.normal(device, c.k(), c.m()).t();
                default -> Random.normal(device, c.m(), c.k());
            };
            Tensor b = switch (c.layout()) {
                case NT -> Random.normal(device, c.n(), c.k()).t();
                default -> Random.normal(device, c.k(), c.n());
            };
            Harness.Timing timing = harness.measure(() -> a.matmul(b).close());
            return new Figure("gemm", c.layout().figureName, c.shape(), "float32", Tensors.numThreads(), device.toString(),
                    c.flops(), 0, timing, Optional.of(c.isSquare() ? "sgemm n=" + c.n() : NumpyReference.name(c)));
        }
    }
}
