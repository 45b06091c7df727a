package ignis.backend.simd;

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
import java.lang.foreign.MemorySegment;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code cpu} device's fast backend: every required kernel of the SPI on host memory, vectorized
 * with the Vector API ({@code jdk.incubator.vector}) where the innermost dimension of the operands is
 * dense, scalar elsewhere, and as exact as the reference backend it outranks. One class per kernel
 * family; kernels run synchronously on the caller's thread and keep no state, so one instance serves
 * any number of threads.
 *
 * <p>Registered as a Declarative Services component in OSGi and, off OSGi, for
 * {@link java.util.ServiceLoader} through the {@code META-INF/services} file that bnd generates. On a
 * JVM started without {@code --add-modules jdk.incubator.vector} the public constructor throws
 * {@link UnsupportedOperationException}, so ServiceLoader reports a
 * {@link java.util.ServiceConfigurationError} that the registry skips; in OSGi the bundle's import of
 * {@code jdk.incubator.vector} does not resolve there, so the component never registers.
 */
@Component(service = Backend.class)
@ServiceProvider(value = Backend.class, resolution = Resolution.OPTIONAL)
public final class SimdBackend implements Backend {

    /** Above the reference backend (0), below device backends that may come. */
    static final int RANKING = 100;

    static {
        // The Vector API's code before C2 compiles it (reinterpretAsFloats in the interpreter) wraps a byte[]
        // in a MemorySegment. Until the JVM's first heap segment, C2 compiles every segment access for native
        // memory alone, and that first one then throws away all code that assumed so: 27-62 methods at once in
        // the training warm-up, C2 kernels among them, which ran in the interpreter until recompiled. Made
        // before any kernel runs, it undoes nothing.
        MemorySegment.ofArray(new byte[1]);
    }

    private final Lanes lanes;
    private final UnaryKernels unary;
    private final BinaryKernels binary;
    private final TernaryKernels ternary;
    private final ReduceKernels reduce;
    private final MatmulKernels matmul;

    /**
     * The backend with this JVM's vector width (see {@link VectorSupport}).
     *
     * @throws UnsupportedOperationException when the Vector API is not available, with the reason
     */
    public SimdBackend() {
        this(VectorSupport.lanes());
    }

    /** A backend with a given vector width (128, 256 or 512 bits), so that tests can run narrow vectors. */
    SimdBackend(int vectorBits) {
        this(checkedLanes(vectorBits));
    }

    private SimdBackend(Lanes lanes) {
        this.lanes = lanes;
        this.unary = new UnaryKernels(lanes);
        this.binary = new BinaryKernels(lanes);
        this.ternary = new TernaryKernels(lanes);
        this.reduce = new ReduceKernels(lanes);
        this.matmul = new MatmulKernels(lanes);
    }

    private static Lanes checkedLanes(int bits) {
        VectorSupport.lanes();
        return Lanes.ofBits(bits);
    }

    @Override
    public String name() {
        return "cpu-simd";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    /** The width of the vectors this instance computes with, in bits. */
    int vectorBits() {
        return lanes.bits();
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        CopyKernels.copy(dst, src);
    }

    @Override
    public void fill(TensorView out, long bits) {
        CopyKernels.fill(out, bits);
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        RandomKernels.random(distribution, out, a, b, seed, offset);
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        unary.apply(op, out, in);
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        binary.apply(op, out, a, b);
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        ternary.apply(op, out, a, b, c);
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        reduce.reduce(op, out, in, axes);
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        matmul.matmul(out, a, b);
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        IndexKernels.gather(out, in, dim, index);
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        IndexKernels.scatter(mode, out, dim, index, src);
    }

    /**
     * The optional convolution, pooling, softmax, log-sum-exp, ReLU and optimizer kernels ({@link ignis.tensor.spi.Conv2dKernels},
     * {@link ignis.tensor.spi.Pool2dKernels}, {@link ignis.tensor.spi.SoftmaxKernels}, {@link ignis.tensor.spi.LogSumExpKernels},
     * {@link ignis.tensor.spi.ReluKernels}, {@link ignis.tensor.spi.OptimizerKernels}) at this instance's vector width; null for
     * other kernel sets.
     */
    @Override
    public <T> T optional(Class<T> kernels) {
        return OptionalKernels.find(kernels, lanes);
    }

    @Override
    public String toString() {
        return "SimdBackend[" + name() + " on " + device() + ", ranking " + RANKING + ", " + lanes.describe() + "]";
    }
}
