package ignis.backend.opencl;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Conv2dParams;

/**
 * Not a test: times conv2d forward and its two gradients on a device (arguments: cpu or opencl:0, rounds, default 3) at
 * the shape of the Fashion-MNIST CNN's second convolution ([64, 32, 14, 14] * [64, 32, 3, 3], pad 1).
 */
public final class ConvBenchmark {

    private ConvBenchmark() {
    }

    public static void main(String[] args) {
        Device device = Device.of(args.length > 0 ? args[0] : "opencl:0");
        Conv2dParams p = new Conv2dParams(1, 1, 1, 1, 1, 1, 1);
        try (var scope = Tensors.scope()) {
            Tensor x = Tensors.randn(Shape.of(64, 32, 14, 14), DType.FLOAT32, device, new Generator(1));
            Tensor w = Tensors.randn(Shape.of(64, 32, 3, 3), DType.FLOAT32, device, new Generator(2));
            Tensor b = Tensors.randn(Shape.of(64), DType.FLOAT32, device, new Generator(3));
            int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                Tensor y = NeuralOps.conv2d(x, w, b, p);
                y.toFloatArray();
                long t1 = System.nanoTime();
                NeuralOps.conv2dBackwardInput(x.shape(), y, w, p).toFloatArray();
                long t2 = System.nanoTime();
                NeuralOps.conv2dBackwardWeight(w.shape(), y, x, p).toFloatArray();
                long t3 = System.nanoTime();
                double gflop = 2.0 * 64 * 64 * 14 * 14 * 32 * 9 / 1e9;
                System.out.printf("%s: forward %.1f ms (%.1f GFLOP/s), grad input %.1f ms, grad weight %.1f ms, all three %.1f ms%n",
                        device, (t1 - t0) / 1e6, gflop / ((t1 - t0) / 1e9), (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6);
            }
        }
    }
}
