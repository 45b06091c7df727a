package ignis.backend.simd;

import ignis.tensor.spi.Conv2dKernels;
import ignis.tensor.spi.LogSumExpKernels;
import ignis.tensor.spi.OptimizerKernels;
import ignis.tensor.spi.Pool2dKernels;
import ignis.tensor.spi.ReluKernels;
import ignis.tensor.spi.SoftmaxKernels;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The optional kernel sets of the SPI that this backend provides: convolution, pooling, softmax and log-sum-exp, ReLU's
 * gradient and the fused optimizer steps, one instance of each per vector width (a JVM uses one, tests a few), made
 * on first use.
 */
final class OptionalKernels {

    private static final ConcurrentMap<Lanes, OptionalKernels> BY_WIDTH = new ConcurrentHashMap<>();

    private final ConvKernels conv;
    private final PoolKernels pool;
    private final SoftmaxKernelsSimd softmax;
    private final ReluKernelsSimd relu;
    private final OptimizerKernelsSimd optimizer;

    private OptionalKernels(Lanes lanes) {
        this.conv = new ConvKernels(lanes);
        this.pool = new PoolKernels();
        this.softmax = new SoftmaxKernelsSimd(lanes);
        this.relu = new ReluKernelsSimd(lanes);
        this.optimizer = new OptimizerKernelsSimd(lanes);
    }

    /** The kernel set of type {@code kernels} for vectors of {@code lanes}, or null when this backend has none. */
    static <T> T find(Class<T> kernels, Lanes lanes) {
        Object found;
        if (kernels == Conv2dKernels.class) {
            found = set(lanes).conv;
        } else if (kernels == Pool2dKernels.class) {
            found = set(lanes).pool;
        } else if (kernels == SoftmaxKernels.class || kernels == LogSumExpKernels.class) {
            found = set(lanes).softmax;
        } else if (kernels == ReluKernels.class) {
            found = set(lanes).relu;
        } else if (kernels == OptimizerKernels.class) {
            found = set(lanes).optimizer;
        } else {
            return null;
        }
        return kernels.cast(found);
    }

    private static OptionalKernels set(Lanes lanes) {
        return BY_WIDTH.computeIfAbsent(lanes, OptionalKernels::new);
    }
}
