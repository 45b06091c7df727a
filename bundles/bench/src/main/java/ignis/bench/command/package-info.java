/**
 * {@code ./ignis bench} ({@code ignis:bench}): figures of GEMM, elementwise operations and
 * convolution through the public tensor API, timed with a simple harness inside the runtime (no
 * JMH there), optionally beside PyTorch's ({@code ../shared/bench/torch_bench.py}).
 */
package ignis.bench.command;
