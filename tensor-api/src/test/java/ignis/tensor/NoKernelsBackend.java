package ignis.tensor;

import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;

/** A backend for registry tests: it has a name, a device and a ranking, and runs no kernel. */
abstract class NoKernelsBackend implements Backend {

    private static UnsupportedOperationException noKernels() {
        return new UnsupportedOperationException("a registry test backend runs no kernels");
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        throw noKernels();
    }

    @Override
    public void fill(TensorView out, long bits) {
        throw noKernels();
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        throw noKernels();
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        throw noKernels();
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        throw noKernels();
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        throw noKernels();
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        throw noKernels();
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        throw noKernels();
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        throw noKernels();
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        throw noKernels();
    }
}
