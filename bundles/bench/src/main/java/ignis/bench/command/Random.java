package ignis.bench.command;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;

/** Float32 operands on a device, from the default generator. */
final class Random {

    private Random() {
    }

    static Tensor normal(Device device, long... sizes) {
        return Tensors.randn(Shape.of(sizes), DType.FLOAT32, device, Generator.defaultGenerator());
    }

    /** Uniform in [low, high). */
    static Tensor uniform(Device device, double low, double high, long... sizes) {
        return Tensors.rand(Shape.of(sizes), DType.FLOAT32, device, Generator.defaultGenerator()).mul_(high - low).add_(low);
    }
}
