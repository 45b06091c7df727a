package ignis.backend.simd;

import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.SoftmaxKernels;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The optional kernel sets of the SPI that this backend provides: convolution, pooling and softmax,
 * one instance of each per vector width (a JVM uses one, tests a few), made on first use.
 */
final class OptionalKernels {

    private static final ConcurrentMap<Lanes, OptionalKernels> BY_WIDTH = new ConcurrentHashMap<>();

    private final ConvKernels conv;
    private final PoolKernels pool;
    private final SoftmaxKernelsSimd softmax;

    private OptionalKernels(Lanes lanes) {
        this.conv = new ConvKernels(lanes);
        this.pool = new PoolKernels();
        this.softmax = new SoftmaxKernelsSimd(lanes);
    }

    /** The kernel set of type {@code kernels} for vectors of {@code lanes}, or null when this backend has none. */
    static <T> T find(Class<T> kernels, Lanes lanes) {
        if (kernels != Conv2dKernels.class && kernels != Pool2dKernels.class && kernels != SoftmaxKernels.class) {
            return null;
        }
        OptionalKernels set = BY_WIDTH.computeIfAbsent(lanes, OptionalKernels::new);
        Object found = kernels == Conv2dKernels.class ? set.conv : kernels == Pool2dKernels.class ? set.pool : set.softmax;
        return kernels.cast(found);
    }
}
