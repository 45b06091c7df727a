package ignis.bench.command;

import ignis.nn.Functional;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.Conv2dParams;
import ignis.tensor.spi.Pool2dParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two convolutions of the Fashion-MNIST CNN, 3x3 with padding 1 and a bias, through
 * {@link NeuralOps#conv2d}: forward (no graph recorded) and forward+backward, which computes the
 * gradients of the weight and bias, and of the input for the second layer only (the first layer's
 * input is the data), as {@code torch_bench.py} does; then the CNN's two 2x2 max poolings, forward
 * (maxima and their indices) and backward ({@code torch_bench.py} has no pooling to compare with); then
 * the cross-entropy of {@code torch_bench.py}'s [512, 1000] logits with class indices, through
 * {@link Functional#crossEntropy} (log-softmax, then the mean negative log-likelihood), forward and
 * forward+backward.
 */
final class ConvSuite {

    private static final Conv2dParams SAME_3X3 = new Conv2dParams(1, 1, 1, 1, 1, 1, 1);
    private static final Pool2dParams MAX_2X2 = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true);
    private static final int TORCH_BATCH = 64;
    /** The logits of {@code torch_bench.py}'s cross-entropy: rows (samples) and classes. */
    private static final int XENT_ROWS = 512;
    private static final int XENT_CLASSES = 1000;

    /** One layer: {@code in -> out} channels on {@code size x size} images. */
    record Layer(int in, int out, int size) {
    }

    static final List<Layer> LAYERS = List.of(new Layer(1, 32, 28), new Layer(32, 64, 14));

    private ConvSuite() {
    }

    static List<Figure> run(BenchOptions options, Device device, Harness harness) {
        List<Figure> figures = new ArrayList<>();
        for (Layer layer : LAYERS) {
            figures.addAll(measure(layer, options.batch(), device, harness));
        }
        for (Layer layer : LAYERS) {
            figures.addAll(measurePool(layer.out(), layer.size(), options.batch(), device, harness));
        }
        figures.addAll(measureCrossEntropy(XENT_ROWS, XENT_CLASSES, device, harness));
        return figures;
    }

    static List<Figure> measure(Layer layer, int batch, Device device, Harness harness) {
        long s = layer.size();
        double forwardFlops = 2.0 * batch * layer.out() * s * s * layer.in() * 9;
        boolean inputGrad = layer.in() > 1;
        String shape = batch + "x" + layer.in() + "x" + s + "x" + s + "," + layer.out() + "x" + layer.in() + "x3x3";
        String torch = String.format(Locale.ROOT, "conv %d->%d 3x3 pad1 in[%d, %d, %d, %d]", layer.in(), layer.out(), batch, layer.in(), s, s);
        boolean torchShape = batch == TORCH_BATCH;
        try (var scope = Tensors.scope()) {
            Tensor x;
            Tensor w;
            Tensor b;
            Tensor gradOut;
            try (GradMode.Scope off = GradMode.noGrad()) {
                x = Random.normal(device, batch, layer.in(), s, s);
                w = Random.normal(device, layer.out(), layer.in(), 3, 3).mul_(0.1);
                b = Tensors.zeros(Shape.of(layer.out()), DType.FLOAT32, device);
                gradOut = Random.normal(device, batch, layer.out(), s, s);
            }
            Harness.Timing forward = harness.measure(() -> {
                try (GradMode.Scope off = GradMode.noGrad()) {
                    NeuralOps.conv2d(x, w, b, SAME_3X3).close();
                }
            });
            x.requiresGrad_(inputGrad);
            w.requiresGrad_(true);
            b.requiresGrad_(true);
            Tensor[] leaves = inputGrad ? new Tensor[] {x, w, b} : new Tensor[] {w, b};
            Harness.Timing forwardBackward = harness.measure(() -> {
                try (var call = Tensors.scope()) {
                    NeuralOps.conv2d(x, w, b, SAME_3X3).backward(gradOut);
                    for (Tensor leaf : leaves) {
                        leaf.grad().close();
                        leaf.setGrad(null);
                    }
                }
            });
            return List.of(
                    new Figure("conv", "conv2d_fwd", shape, "float32", Tensors.numThreads(), device.toString(), forwardFlops, 0,
                            forward, torchShape ? Optional.of(torch + " fwd") : Optional.empty()),
                    new Figure("conv", "conv2d_fwd_bwd", shape, "float32", Tensors.numThreads(), device.toString(),
                            forwardFlops * (inputGrad ? 3 : 2), 0, forwardBackward,
                            torchShape ? Optional.of(torch + " fwd+bwd" + (inputGrad ? " (dX,dW,db)" : " (dW,db)")) : Optional.empty()));
        }
    }

    /** The 2x2 max pooling after a layer: {@code channels} planes of {@code size x size}, forward and backward. */
    static List<Figure> measurePool(int channels, int size, int batch, Device device, Harness harness) {
        String shape = batch + "x" + channels + "x" + size + "x" + size;
        double inputBytes = 4.0 * batch * channels * size * size;
        double outputs = batch * channels * (double) (size / 2) * (size / 2);
        try (var scope = Tensors.scope()) {
            Tensor x;
            Tensor gradOut;
            Tensor indices;
            try (GradMode.Scope off = GradMode.noGrad()) {
                x = Random.normal(device, batch, channels, size, size);
                gradOut = Random.normal(device, batch, channels, size / 2, size / 2);
                indices = NeuralOps.maxPool2d(x, MAX_2X2).indices();
            }
            Harness.Timing forward = harness.measure(() -> {
                try (GradMode.Scope off = GradMode.noGrad(); var call = Tensors.scope()) {
                    NeuralOps.maxPool2d(x, MAX_2X2);
                }
            });
            Harness.Timing backward = harness.measure(() -> {
                try (GradMode.Scope off = GradMode.noGrad()) {
                    NeuralOps.maxPool2dBackward(gradOut, indices, x.shape(), MAX_2X2).close();
                }
            });
            return List.of(
                    new Figure("conv", "max_pool2d_fwd", shape, "float32", Tensors.numThreads(), device.toString(), 0,
                            inputBytes + outputs * (4 + 8), forward, Optional.empty()),
                    new Figure("conv", "max_pool2d_bwd", shape, "float32", Tensors.numThreads(), device.toString(), 0,
                            inputBytes + outputs * (4 + 8), backward, Optional.empty()));
        }
    }

    /**
     * The cross-entropy of {@code rows x classes} logits with class indices, mean over the rows: forward (no
     * graph recorded) and forward+backward (the gradient of the logits). Bytes: the logits read, and for the
     * backward their gradient written.
     */
    static List<Figure> measureCrossEntropy(int rows, int classes, Device device, Harness harness) {
        String shape = rows + "x" + classes;
        double logitBytes = 4.0 * rows * classes;
        String torch = String.format(Locale.ROOT, "[%d,%d]", rows, classes);
        try (var scope = Tensors.scope()) {
            Tensor logits;
            Tensor target;
            try (GradMode.Scope off = GradMode.noGrad()) {
                logits = Random.normal(device, rows, classes);
                target = Tensors.randint(0, classes, Shape.of(rows), DType.INT64, device, Generator.defaultGenerator());
            }
            Harness.Timing forward = harness.measure(() -> {
                try (GradMode.Scope off = GradMode.noGrad()) {
                    Functional.crossEntropy(logits, target).close();
                }
            });
            logits.requiresGrad_(true);
            Harness.Timing forwardBackward = harness.measure(() -> {
                try (var call = Tensors.scope()) {
                    Functional.crossEntropy(logits, target).backward();
                    logits.grad().close();
                    logits.setGrad(null);
                }
            });
            boolean torchShape = rows == XENT_ROWS && classes == XENT_CLASSES;
            return List.of(
                    new Figure("conv", "cross_entropy_fwd", shape, "float32", Tensors.numThreads(), device.toString(), 0,
                            logitBytes, forward, torchShape ? Optional.of(torch + " fwd") : Optional.empty()),
                    new Figure("conv", "cross_entropy_fwd_bwd", shape, "float32", Tensors.numThreads(), device.toString(), 0,
                            2 * logitBytes, forwardBackward, torchShape ? Optional.of(torch + " fwd+bwd") : Optional.empty()));
        }
    }
}
