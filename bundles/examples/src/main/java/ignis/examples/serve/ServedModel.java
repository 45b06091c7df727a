package ignis.examples.serve;

import ignis.examples.fashion.Models;
import ignis.examples.fashion.TrainCommand;
import ignis.io.SafeTensors;
import ignis.nn.Module;
import ignis.tensor.Device;
import ignis.tensor.DeviceGate;
import ignis.tensor.GradMode;
import ignis.tensor.Placement;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Fashion-MNIST classifier made by {@code ./ignis train}, placed {@link Placement#FOLLOW_BEST} so
 * that it moves to the best device as backends come and go. {@link #predict} may be called from many
 * threads at once.
 */
final class ServedModel implements AutoCloseable {

    static final int CLASSES = 10;
    private static final List<String> KINDS = List.of("mlp", "cnn");

    private final String kind;
    private final Module module;

    /** The classes' probabilities and the most likely class of each image, and the device that computed them. */
    record Prediction(float[][] probabilities, int[] classes, Device device) {
    }

    /** Serves {@code module}, which this object then owns; places it FOLLOW_BEST. */
    ServedModel(String kind, Module module) {
        this.kind = kind;
        this.module = module;
        module.eval();
        module.place(Placement.FOLLOW_BEST);
    }

    /**
     * Reads a model saved by {@code ./ignis train}. Which model it is comes from the file's metadata
     * ({@code "model"}), or, in a file without it, from the names and shapes of its tensors.
     *
     * @throws IllegalArgumentException when the file is missing or holds neither model
     */
    static ServedModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("serve: no model file " + file);
        }
        try (SafeTensors.Contents contents = SafeTensors.read(file)) {
            String kind = contents.metadata().get("model");
            if (kind == null) {
                kind = kindFromShapes(file, contents.tensors());
            } else if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("serve: " + file + " holds a model \"" + kind + "\"; serve knows " + KINDS);
            }
            Module module = Models.named(kind);
            try {
                module.loadStateDict(contents.tensors(), true);
                return new ServedModel(kind, module);
            } catch (RuntimeException e) {
                module.close();
                throw new IllegalArgumentException("serve: " + file + " is not the " + kind + " of ./ignis train: " + e.getMessage(), e);
            }
        }
    }

    private static String kindFromShapes(Path file, Map<String, Tensor> tensors) {
        Map<String, Shape> found = new LinkedHashMap<>();
        tensors.forEach((name, t) -> found.put(name, t.shape()));
        StringBuilder expected = new StringBuilder();
        for (String kind : KINDS) {
            Map<String, Shape> shapes = shapesOf(kind);
            if (shapes.equals(found)) {
                return kind;
            }
            expected.append("; the ").append(kind).append(" holds ").append(shapes);
        }
        throw new IllegalArgumentException("serve: " + file + " is neither model of ./ignis train: it holds " + found + expected);
    }

    private static Map<String, Shape> shapesOf(String kind) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        try (Module model = Models.named(kind); TensorScope scope = Tensors.scope()) {
            model.stateDict().forEach((name, t) -> shapes.put(name, t.shape()));
        }
        return shapes;
    }

    String kind() {
        return kind;
    }

    /** The served module, for the runtime's commands ({@code ignis:move model DEVICE}). */
    Module module() {
        return module;
    }

    long parameterCount() {
        return module.parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** Where the parameters are now; they may move as soon as this returns. */
    Device device() {
        try (DeviceGate.Hold hold = DeviceGate.hold()) {
            return module.parameters().getFirst().device();
        }
    }

    /**
     * Classifies {@code count} images of 784 pixels in [0, 1], standardised as in training. The devices
     * are held still for the whole request: a backend swap waits for it, and it never sees one.
     */
    Prediction predict(float[] pixels, int count) {
        float[] standardised = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            standardised[i] = (float) ((pixels[i] - TrainCommand.MEAN) / TrainCommand.STD);
        }
        float[] flat;
        Device device;
        try (DeviceGate.Hold hold = DeviceGate.hold();
             TensorScope scope = Tensors.scope();
             GradMode.Scope noGrad = GradMode.noGrad()) {
            device = module.parameters().getFirst().device();
            Tensor images = Tensors.of(standardised, count, 1, PredictRequest.SIDE, PredictRequest.SIDE).to(device);
            flat = module.forward(images).softmax(1).cpu().toFloatArray();
        }
        float[][] probabilities = new float[count][];
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            probabilities[i] = Arrays.copyOfRange(flat, i * CLASSES, (i + 1) * CLASSES);
            for (int c = 1; c < CLASSES; c++) {
                if (probabilities[i][c] > probabilities[i][classes[i]]) {
                    classes[i] = c;
                }
            }
        }
        return new Prediction(probabilities, classes, device);
    }

    @Override
    public void close() {
        module.close();
    }
}
