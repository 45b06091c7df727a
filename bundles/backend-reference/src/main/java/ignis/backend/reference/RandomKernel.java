package ignis.backend.reference;

import ignis.tensor.DType;
import ignis.tensor.spi.Philox;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.TensorView;

/**
 * Random draws from the counter-based {@link Philox} generator: the element with row-major position
 * {@code i} in the output's shape (whatever its strides) uses counter {@code offset + i}, so every
 * backend draws the same numbers for the same seed and offset.
 */
final class RandomKernel {

    private RandomKernel() {
    }

    static void random(RandomDistribution distribution, TensorView outView, double a, double b, long seed, long offset) {
        HostTensor out = new HostTensor(outView);
        DType type = out.dtype();
        if (distribution != RandomDistribution.INTEGER && type != DType.FLOAT32 && type != DType.FLOAT64) {
            throw new IllegalArgumentException(distribution + " draws into float32 or float64, not " + type);
        }
        long counter = offset;
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long at = out.offsetOf(walk.index());
            switch (distribution) {
                case UNIFORM -> out.writeDouble(at, uniform(type, a, b, seed, counter));
                case NORMAL -> out.writeDouble(at, normal(type, a, b, seed, counter));
                case INTEGER -> out.writeLong(at, Philox.integer(seed, counter, (long) a, (long) b));
            }
            counter++;
        }
    }

    /** Uniform in [a, b), already rounded to the output type. */
    private static double uniform(DType type, double a, double b, long seed, long counter) {
        if (type == DType.FLOAT32) {
            return (float) Philox.scale(Philox.uniform32(seed, counter), a, b);
        }
        return Philox.scale(Philox.uniform64(seed, counter), a, b);
    }

    /** Normal with mean a and standard deviation b, already rounded to the output type. */
    private static double normal(DType type, double a, double b, long seed, long counter) {
        if (type == DType.FLOAT32) {
            return (float) (a + b * (double) Philox.normal32(seed, counter));
        }
        return a + b * Philox.normal64(seed, counter);
    }
}
