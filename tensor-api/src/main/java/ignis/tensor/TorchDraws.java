package ignis.tensor;

import ignis.tensor.spi.RandomDistribution;

/**
 * Random draws as PyTorch's CPU kernels make them from its generator ({@link Mt19937}), element by
 * element in row-major order:
 * <ul>
 * <li>uniform in [a, b): float32 from the low 24 bits of one 32-bit draw, {@code fma(x, b-a, a)} in
 *     float; float64 from the low 53 bits of a 64-bit draw, in double (PyTorch's kernels are built
 *     with fused multiply-add);</li>
 * <li>integers in [a, b): {@code a + r % (b-a)} with a 32-bit draw r, or a 64-bit one when the range
 *     needs more than 32 bits;</li>
 * <li>normal: with 16 or more elements, all drawn uniform first, then Box-Muller on each block of 16
 *     (elements j and j+8), the last block redrawn when the count is not a multiple of 16 (PyTorch's
 *     {@code normal_fill}); fewer elements take a pair of 53-bit uniforms per two normals, the second
 *     kept for the next draw (PyTorch's {@code normal_distribution<double>}).</li>
 * </ul>
 * Every draw is bit for bit PyTorch's except float32 normals of 16 or more elements, where PyTorch's
 * AVX2 kernel computes log, sin and cos with its own polynomials: those agree to about 1e-6.
 */
final class TorchDraws {

    private static final int BLOCK = 16;

    private final Mt19937 engine;
    private double keptNormal = Double.NaN;

    TorchDraws(long seed) {
        this.engine = new Mt19937(seed);
    }

    /** {@code count} draws: uniform and normal ones as a float[] for float32 and a double[] for float64, integers as a long[]. */
    Object draw(RandomDistribution distribution, double a, double b, DType dtype, int count) {
        return switch (distribution) {
            case UNIFORM -> dtype == DType.FLOAT64 ? uniform64(a, b, count) : uniform32((float) a, (float) b, count);
            case NORMAL -> dtype == DType.FLOAT64 ? normal(a, b, count, false) : floats(normal(a, b, count, true));
            case INTEGER -> integers((long) a, (long) b, count);
        };
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private float uniform32() {
        return (engine.nextInt() & 0xFFFFFF) * 0x1p-24f;
    }

    private double uniform64() {
        return (engine.nextLong() & 0x1FFFFFFFFFFFFFL) * 0x1p-53;
    }

    private float[] uniform32(float from, float to, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = Math.fma(uniform32(), to - from, from);
        }
        return out;
    }

    private double[] uniform64(double from, double to, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = Math.fma(uniform64(), to - from, from);
        }
        return out;
    }

    private long[] integers(long from, long to, int count) {
        long range = to - from;
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            long r = wide ? engine.nextLong() : Integer.toUnsignedLong(engine.nextInt());
            out[i] = from + Long.remainderUnsigned(r, range);
        }
        return out;
    }

    /** One standard normal of {@code normal_distribution<double>}: a Box-Muller pair, its sine half kept. */
    private double normalPair() {
        if (!Double.isNaN(keptNormal)) {
            double kept = keptNormal;
            keptNormal = Double.NaN;
            return kept;
        }
        double u1 = uniform64();
        double u2 = uniform64();
        double radius = Math.sqrt(-2 * Math.log(1 - u2));
        double theta = 2 * Math.PI * u1;
        keptNormal = radius * Math.sin(theta);
        return radius * Math.cos(theta);
    }

    /**
     * Normals in float64, or where {@code single} rounded to float32 as PyTorch's float kernels round them
     * (one by one in double, then rounded; in blocks in float arithmetic), returned as doubles.
     */
    private double[] normal(double mean, double std, int count, boolean single) {
        double[] out = new double[count];
        if (count < BLOCK) {
            for (int i = 0; i < count; i++) {
                out[i] = round(Math.fma(normalPair(), std, mean), single);
            }
            return out;
        }
        for (int i = 0; i < count; i++) {
            out[i] = single ? uniform32() : uniform64();
        }
        double blockMean = round(mean, single);
        double blockStd = round(std, single);
        for (int at = 0; at + BLOCK <= count; at += BLOCK) {
            boxMuller(out, at, blockMean, blockStd, single);
        }
        if (count % BLOCK != 0) {
            int at = count - BLOCK;
            for (int i = at; i < count; i++) {
                out[i] = single ? uniform32() : uniform64();
            }
            boxMuller(out, at, blockMean, blockStd, single);
        }
        return out;
    }

    private static void boxMuller(double[] u, int at, double mean, double std, boolean single) {
        for (int j = at; j < at + BLOCK / 2; j++) {
            double radius = round(Math.sqrt(round(-2 * round(Math.log(round(1 - u[j], single)), single), single)), single);
            double theta = round(2 * Math.PI * u[j + BLOCK / 2], single);
            u[j] = round(Math.fma(round(radius * round(Math.cos(theta), single), single), std, mean), single);
            u[j + BLOCK / 2] = round(Math.fma(round(radius * round(Math.sin(theta), single), single), std, mean), single);
        }
    }

    private static double round(double x, boolean single) {
        return single ? (float) x : x;
    }
}
