package ignis.backend.reference;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;
import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;
import org.osgi.service.component.annotations.Component;

/**
 * The scalar reference backend of the {@code cpu} device: every required kernel of the SPI, written
 * as a plain loop over the elements, one class per kernel family. It computes on the host memory that
 * tensor-api owns, keeps no state and runs every kernel synchronously on the caller's thread, so one
 * instance serves any number of threads.
 *
 * <p>It ranks lowest (0): it is there so that the cpu device always works and so that faster backends
 * have a specification to be tested against, never to be chosen over them.
 *
 * <p>Registered as a Declarative Services component in OSGi and, off OSGi, for
 * {@link java.util.ServiceLoader} through the {@code META-INF/services} file that bnd generates.
 */
@Component(service = Backend.class)
@ServiceProvider(value = Backend.class, resolution = Resolution.OPTIONAL)
public final class ReferenceBackend implements Backend {

    public ReferenceBackend() {
        // The public no-argument constructor that both DS and ServiceLoader instantiate.
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    /** 0, the lowest: any other backend of the cpu device is preferred. */
    @Override
    public int ranking() {
        return 0;
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        CopyKernel.copy(dst, src);
    }

    @Override
    public void fill(TensorView out, long bits) {
        FillKernel.fill(out, bits);
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        RandomKernel.random(distribution, out, a, b, seed, offset);
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        UnaryKernel.apply(op, out, in);
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        BinaryKernel.apply(op, out, a, b);
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        TernaryKernel.apply(op, out, a, b, c);
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        ReduceKernel.reduce(op, out, in, axes);
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        MatmulKernel.matmul(out, a, b);
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        GatherKernel.gather(out, in, dim, index);
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        ScatterKernel.scatter(mode, out, dim, index, src);
    }

    @Override
    public String toString() {
        return "ReferenceBackend[" + name() + " on " + device() + ", ranking " + ranking() + "]";
    }
}
