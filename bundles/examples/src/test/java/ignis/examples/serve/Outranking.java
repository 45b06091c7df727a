package ignis.examples.serve;

import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;

/** Another backend's kernels under a ranking one higher, so that registering it changes which backend runs. */
record Outranking(Backend backend) implements Backend {

    @Override
    public String name() {
        return backend.name() + "-outranking";
    }

    @Override
    public Device device() {
        return backend.device();
    }

    @Override
    public int ranking() {
        return backend.ranking() + 1;
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        backend.copy(dst, src);
    }

    @Override
    public void fill(TensorView out, long bits) {
        backend.fill(out, bits);
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        backend.random(distribution, out, a, b, seed, offset);
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        backend.unary(op, out, in);
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        backend.binary(op, out, a, b);
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        backend.ternary(op, out, a, b, c);
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        backend.reduce(op, out, in, axes);
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        backend.matmul(out, a, b);
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        backend.gather(out, in, dim, index);
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        backend.scatter(mode, out, dim, index, src);
    }

    @Override
    public void synchronize() {
        backend.synchronize();
    }

    @Override
    public <T> T optional(Class<T> kernels) {
        return backend.optional(kernels);
    }
}
