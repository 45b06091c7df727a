package ignis.nn;

import ignis.tensor.Generator;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;

/**
 * Parameter initialisation, as {@code torch.nn.init}: each function fills a tensor in place, with
 * grad mode off (so it works on parameters, which are leaves that require grad), and returns it.
 * Random draws come from the default generator ({@link Tensors#manualSeed}) unless one is given.
 */
public final class Init {

    private Init() {
    }

    // ---- gains and fans -----------------------------------------------------------------------

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for
     * {@code linear}, the convolutions and {@code sigmoid}; 5/3 for {@code tanh}; sqrt(2) for
     * {@code relu}; sqrt(2 / (1 + slope^2)) for {@code leaky_relu} (slope 0.01 by default); 3/4 for {@code selu}.
     */
    public static double calculateGain(String nonlinearity) {
        return gain(nonlinearity, 0.01);
    }

    /** As {@link #calculateGain(String)}, with {@code param} the negative slope of {@code leaky_relu}. */
    public static double calculateGain(String nonlinearity, double param) {
        return gain(nonlinearity, param);
    }

    private static double gain(String nonlinearity, double slope) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + slope * slope));
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("Unsupported nonlinearity '" + nonlinearity + "': expected linear, conv1d, "
                    + "conv2d, conv3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu");
        };
    }

    /**
     * {@code {fan_in, fan_out}} of a weight: {@code size(1) * receptive field} and {@code size(0) *
     * receptive field}, the receptive field being the product of the sizes past the first two.
     *
     * @throws IllegalArgumentException for tensors of fewer than 2 dimensions
     */
    public static long[] calculateFanInAndFanOut(Tensor tensor) {
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got "
                    + tensor.shape());
        }
        long receptive = 1;
        for (int d = 2; d < tensor.dim(); d++) {
            receptive *= tensor.size(d);
        }
        return new long[] {tensor.size(1) * receptive, tensor.size(0) * receptive};
    }

    private static long fan(Tensor tensor, String mode) {
        long[] fans = calculateFanInAndFanOut(tensor);
        return switch (mode) {
            case "fan_in" -> fans[0];
            case "fan_out" -> fans[1];
            default -> throw new IllegalArgumentException("Mode '" + mode + "' not supported, please use one of fan_in, fan_out");
        };
    }

    // ---- plain fills --------------------------------------------------------------------------

    /** Uniform draws from [a, b). */
    public static Tensor uniform_(Tensor tensor, double a, double b) {
        return uniform_(tensor, a, b, null);
    }

    /** Uniform draws from [a, b) of {@code generator} (the default one when null). */
    public static Tensor uniform_(Tensor tensor, double a, double b, Generator generator) {
        try (GradMode.Scope off = GradMode.noGrad()) {
            if (generator == null) {
                return tensor.uniform_(a, b);
            }
            if (!(a <= b)) {
                throw new IllegalArgumentException("uniform_ expects a <= b, got a " + a + " and b " + b);
            }
            try (TensorScope scope = Tensors.scope()) {
                Tensor draws = Tensors.rand(tensor.shape(), tensor.dtype().computeType(), tensor.device(), generator);
                tensor.copy_(draws.mul(b - a).add(a));
            }
            return tensor;
        }
    }

    /** Normal draws of the given mean and standard deviation. */
    public static Tensor normal_(Tensor tensor, double mean, double std) {
        return normal_(tensor, mean, std, null);
    }

    public static Tensor normal_(Tensor tensor, double mean, double std, Generator generator) {
        try (GradMode.Scope off = GradMode.noGrad()) {
            if (generator == null) {
                return tensor.normal_(mean, std);
            }
            if (!(std >= 0)) {
                throw new IllegalArgumentException("normal_ expects std >= 0, got " + std);
            }
            try (TensorScope scope = Tensors.scope()) {
                Tensor draws = Tensors.randn(tensor.shape(), tensor.dtype().computeType(), tensor.device(), generator);
                tensor.copy_(draws.mul(std).add(mean));
            }
            return tensor;
        }
    }

    public static Tensor constant_(Tensor tensor, double value) {
        try (GradMode.Scope off = GradMode.noGrad()) {
            return tensor.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor tensor) {
        return constant_(tensor, 0);
    }

    public static Tensor ones_(Tensor tensor) {
        return constant_(tensor, 1);
    }

    // ---- scaled by fans -----------------------------------------------------------------------

    /** Glorot uniform: U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}. */
    public static Tensor xavierUniform_(Tensor tensor, double gain) {
        long[] fans = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(tensor, -a, a);
    }

    public static Tensor xavierUniform_(Tensor tensor) {
        return xavierUniform_(tensor, 1.0);
    }

    /** Glorot normal: N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal_(Tensor tensor, double gain) {
        long[] fans = calculateFanInAndFanOut(tensor);
        return normal_(tensor, 0, gain * Math.sqrt(2.0 / (fans[0] + fans[1])));
    }

    public static Tensor xavierNormal_(Tensor tensor) {
        return xavierNormal_(tensor, 1.0);
    }

    /**
     * He uniform: U(-bound, bound) with {@code bound = gain * sqrt(3 / fan)}, the gain that of
     * {@code nonlinearity} with parameter {@code a}, the fan chosen by {@code mode} ({@code fan_in}
     * or {@code fan_out}). PyTorch's defaults are a = 0, fan_in, leaky_relu.
     */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity) {
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound);
    }

    public static Tensor kaimingUniform_(Tensor tensor) {
        return kaimingUniform_(tensor, 0, "fan_in", "leaky_relu");
    }

    /** He normal: N(0, std^2) with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity) {
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
        return normal_(tensor, 0, std);
    }

    public static Tensor kaimingNormal_(Tensor tensor) {
        return kaimingNormal_(tensor, 0, "fan_in", "leaky_relu");
    }
}
