package ignis.tensor.spi;

/**
 * The scalars of one Adam step, as PyTorch's single-tensor Adam computes them for step {@code t}:
 * {@code stepSize = lr / (1 - beta1^t)} and {@code biasCorrection2Sqrt = sqrt(1 - beta2^t)}.
 */
public record AdamCoefficients(double beta1, double beta2, double eps, double stepSize, double biasCorrection2Sqrt) {
}
