package ignis.tck.api;

import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;

/**
 * A backend that passes every call to another one: the base of test backends that change one thing (a
 * name, a ranking, a check before each kernel, one broken kernel). {@link #beforeKernel()} runs before
 * each required kernel.
 */
public class ForwardingBackend implements Backend {

    protected final Backend delegate;

    public ForwardingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** Runs before each required kernel; does nothing unless overridden. */
    protected void beforeKernel() {
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Device device() {
        return delegate.device();
    }

    @Override
    public int ranking() {
        return delegate.ranking();
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        beforeKernel();
        delegate.copy(dst, src);
    }

    @Override
    public void fill(TensorView out, long bits) {
        beforeKernel();
        delegate.fill(out, bits);
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        beforeKernel();
        delegate.random(distribution, out, a, b, seed, offset);
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        beforeKernel();
        delegate.unary(op, out, in);
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        beforeKernel();
        delegate.binary(op, out, a, b);
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        beforeKernel();
        delegate.ternary(op, out, a, b, c);
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        beforeKernel();
        delegate.reduce(op, out, in, axes);
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        beforeKernel();
        delegate.matmul(out, a, b);
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        beforeKernel();
        delegate.gather(out, in, dim, index);
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        beforeKernel();
        delegate.scatter(mode, out, dim, index, src);
    }

    @Override
    public void synchronize() {
        delegate.synchronize();
    }

    @Override
    public <T> T optional(Class<T> kernels) {
        return delegate.optional(kernels);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
