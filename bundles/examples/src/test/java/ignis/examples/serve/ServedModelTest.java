package ignis.examples.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.examples.fashion.Models;
import ignis.io.SafeTensors;
import ignis.nn.Module;
import ignis.tensor.Device;
import ignis.tensor.Placement;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedModelTest {

    @TempDir
    Path temp;

    private Path save(Module model, Map<String, String> metadata) throws Exception {
        Path file = temp.resolve("model.safetensors");
        try (model; TensorScope scope = Tensors.scope()) {
            SafeTensors.write(file, model.stateDict(), metadata);
        }
        return file;
    }

    private static String refusal(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> ServedModel.load(file).close()).getMessage();
    }

    @Test
    void aTrainedMlpServesWhatItComputes() throws Exception {
        Tensors.manualSeed(3);
        float[] pixels = new float[2 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 17) / 16f;
        }
        float[] expected;
        Module mlp = Models.mlp();
        try (TensorScope scope = Tensors.scope()) {
            expected = mlp.forward(Tensors.of(pixels, 2, 784).sub(0.2860).div(0.3530)).softmax(1).toFloatArray();
        }
        try (ServedModel served = ServedModel.load(save(mlp, Map.of("model", "mlp", "format", "pt")))) {
            assertEquals("mlp", served.kind());
            ServedModel.Prediction prediction = served.predict(pixels, 2);
            assertEquals(Device.CPU, prediction.device());
            for (int n = 0; n < 2; n++) {
                float[] row = new float[10];
                System.arraycopy(expected, 10 * n, row, 0, 10);
                assertArrayEquals(row, prediction.probabilities()[n], 1e-6f);
            }
        }
    }

    @Test
    void theModelIsPlacedToFollowTheBestDevice() throws Exception {
        try (ServedModel served = ServedModel.load(save(Models.mlp(), Map.of("model", "mlp")))) {
            assertEquals(Device.best(), served.device());
        }
        try (Module mlp = Models.mlp(); ServedModel served = new ServedModel("mlp", mlp)) {
            assertTrue(mlp.parameters().stream().allMatch(p -> p.placement() == Placement.FOLLOW_BEST));
        }
    }

    @Test
    void filesWithoutMetadataAreKnownByTheirTensors() throws Exception {
        try (ServedModel served = ServedModel.load(save(Models.mlp(), Map.of()))) {
            assertEquals("mlp", served.kind());
        }
        try (ServedModel served = ServedModel.load(save(Models.cnn(), Map.of("format", "pt")))) {
            assertEquals("cnn", served.kind());
            assertEquals(10, served.predict(new float[784], 1).probabilities()[0].length);
        }
    }

    @Test
    void filesOfOtherModelsAreRefused() throws Exception {
        Path file = temp.resolve("other.safetensors");
        try (TensorScope scope = Tensors.scope()) {
            SafeTensors.write(file, Map.of("fc.weight", Tensors.zeros(10, 784)), Map.of());
        }
        String message = refusal(file);
        assertTrue(message.startsWith("serve: " + file + " is neither model of ./ignis train: it holds {fc.weight=[10, 784]}; the mlp holds {1.weight=[256, 784]"), message);
        assertTrue(message.contains("; the cnn holds {0.weight=[32, 1, 3, 3]"), message);

        assertEquals("serve: " + temp.resolve("model.safetensors") + " holds a model \"resnet\"; serve knows [mlp, cnn]",
                refusal(save(Models.mlp(), Map.of("model", "resnet"))));
        message = refusal(save(Models.cnn(), Map.of("model", "mlp")));
        assertTrue(message.startsWith("serve: " + temp.resolve("model.safetensors") + " is not the mlp of ./ignis train: "), message);
        assertTrue(message.contains("Unexpected key(s) in state_dict: \"0.weight\""), message);
        assertEquals("serve: no model file " + temp.resolve("missing"), refusal(temp.resolve("missing")));
    }
}
