package ignis.bench.command;

import java.util.Optional;

/**
 * One measured figure: an operation on one shape, timed.
 *
 * @param group     the benchmark group ({@code gemm}, {@code elementwise}, {@code conv})
 * @param name      the operation ({@code gemm}, {@code add_}, {@code conv2d_fwd}, ...)
 * @param shape     the operands' sizes: {@code MxKxN} for GEMM, the element count for elementwise
 *                  operations, {@code input,weight} shapes for a convolution
 * @param flops     floating point operations per call, or 0 where a rate of them means nothing
 * @param bytes     bytes read and written per call, or 0 where a bandwidth means nothing
 * @param timing    the samples' seconds per call
 * @param referenceName the name of the same measurement in the reference's results, if it has one: torch_bench.py's,
 *                  or numpy_gemm.py's for the GEMM products of a training step ({@link NumpyReference#name})
 */
record Figure(String group, String name, String shape, String dtype, int threads, String device, double flops, double bytes,
              Harness.Timing timing, Optional<String> referenceName) {

    /** GFLOP/s at the median time, if the figure counts floating point operations. */
    Optional<Double> gflops() {
        return flops > 0 ? Optional.of(flops / timing.medianSeconds() / 1e9) : Optional.empty();
    }

    /** GB/s (bytes read and written) at the median time, if the figure counts bytes. */
    Optional<Double> gbps() {
        return bytes > 0 ? Optional.of(bytes / timing.medianSeconds() / 1e9) : Optional.empty();
    }

    double medianMillis() {
        return timing.medianMillis();
    }
}
