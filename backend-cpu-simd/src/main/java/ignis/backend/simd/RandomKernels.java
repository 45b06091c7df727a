package ignis.backend.simd;

import static ignis.backend.simd.Elements.DOUBLE;
import static ignis.backend.simd.Elements.FLOAT;

import ignis.tensor.DType;
import ignis.tensor.spi.Philox;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.MemorySegment;

/**
 * Random draws from {@link Philox}, one scalar block per element: the element at row-major position
 * {@code i} of the output's shape, whatever its strides, uses counter {@code offset + i}, so the values
 * are exactly the helper's. UNIFORM and NORMAL draw into float32 or float64; INTEGER into any dtype.
 */
final class RandomKernels {

    private RandomKernels() {
    }

    static void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        DType type = out.dtype();
        if (distribution != RandomDistribution.INTEGER && type != DType.FLOAT32 && type != DType.FLOAT64) {
            throw new IllegalArgumentException(distribution + " draws into float32 or float64, not " + type);
        }
        MemorySegment m = Elements.segment(out);
        InnerRuns runs = InnerRuns.over(out.shape(), out);
        long n = runs.length();
        long stride = runs.stride(0);
        long low = (long) a;
        long high = (long) b;
        boolean single = type == DType.FLOAT32;
        long counter = offset;
        while (runs.next()) {
            long at = runs.offset(0);
            for (long j = 0; j < n; j++, counter++) {
                long to = at + j * stride;
                switch (distribution) {
                    case UNIFORM -> {
                        if (single) {
                            m.setAtIndex(FLOAT, to, (float) Philox.scale(Philox.uniform32(seed, counter), a, b));
                        } else {
                            m.setAtIndex(DOUBLE, to, Philox.scale(Philox.uniform64(seed, counter), a, b));
                        }
                    }
                    case NORMAL -> {
                        if (single) {
                            m.setAtIndex(FLOAT, to, (float) (a + b * (double) Philox.normal32(seed, counter)));
                        } else {
                            m.setAtIndex(DOUBLE, to, a + b * Philox.normal64(seed, counter));
                        }
                    }
                    case INTEGER -> Elements.writeLong(m, type, to, Philox.integer(seed, counter, low, high));
                }
            }
        }
    }
}
