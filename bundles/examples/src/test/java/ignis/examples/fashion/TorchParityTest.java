package ignis.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.data.FashionMNIST;
import ignis.data.TensorDataset;
import ignis.nn.CrossEntropyLoss;
import ignis.nn.Module;
import ignis.optim.Adam;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The main job's recipe step by step against PyTorch: from the same weights on the same batches, the
 * losses of eight Adam steps match PyTorch 1.13's. The weights' formula and the expected losses come
 * from {@code src/test/python/mlp_adam_steps.py}.
 */
class TorchParityTest {

    private static final double[] TORCH_LOSSES = {2.3041039, 2.2857687, 2.1369264, 2.1283002, 2.0335629, 1.8322089, 1.8633536, 1.8041484};

    @Test
    void eightAdamStepsOfTheMlpLoseWhatPyTorchLoses() throws Exception {
        assumeTrue(Files.isDirectory(FashionMNIST.DEBIAN_FOLDER), "dataset-fashion-mnist is not installed");
        try (var scope = Tensors.scope();
             TensorDataset train = FashionMNIST.dataset(FashionMNIST.DEBIAN_FOLDER, FashionMNIST.Split.TRAIN);
             Module model = Models.mlp();
             CrossEntropyLoss criterion = new CrossEntropyLoss()) {
            model.loadStateDict(formulaWeights(), true);
            Tensor images = train.tensor(0).narrow(0, 0, 512).sub(TrainCommand.MEAN).div(TrainCommand.STD);
            Tensor labels = train.tensor(1).narrow(0, 0, 512);
            try (Adam adam = new Adam(model.parameters(), 1e-3)) {
                for (int step = 0; step < TORCH_LOSSES.length; step++) {
                    Tensor loss = criterion.forward(model.forward(images.narrow(0, step * 64L, 64)), labels.narrow(0, step * 64L, 64));
                    adam.zeroGrad(true);
                    loss.backward();
                    adam.step();
                    assertEquals(TORCH_LOSSES[step], loss.item(), 2e-6, "loss of step " + step);
                }
            }
        }
    }

    /** Layer L's weight[o][i] = 0.05 sin(0.37 o + 0.11 i + L), bias[o] = 0.01 cos(0.5 o + L), as the script sets them. */
    private static Map<String, Tensor> formulaWeights() {
        int[][] layers = {{256, 784}, {128, 256}, {10, 128}};
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int layer = 0; layer < layers.length; layer++) {
            int out = layers[layer][0];
            int in = layers[layer][1];
            float[] weight = new float[out * in];
            float[] bias = new float[out];
            for (int o = 0; o < out; o++) {
                bias[o] = (float) (0.01 * Math.cos(0.5 * o + layer));
                for (int i = 0; i < in; i++) {
                    weight[o * in + i] = (float) (0.05 * Math.sin(0.37 * o + 0.11 * i + layer));
                }
            }
            String prefix = (2 * layer + 1) + ".";
            state.put(prefix + "weight", Tensors.of(weight, out, in));
            state.put(prefix + "bias", Tensors.of(bias, out));
        }
        return state;
    }
}
