package ignis.examples.fashion;

import ignis.data.FashionMNIST;
import ignis.data.TensorDataset;
import ignis.io.SafeTensors;
import ignis.nn.CrossEntropyLoss;
import ignis.nn.Module;
import ignis.optim.Adam;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A development check, not a test: trains the main job's model from PyTorch's own starting point
 * (the weights and shuffling orders {@code src/test/python/torch_start.py} writes), so that the loss
 * of every step and the accuracy of every epoch can be set beside the reference script's. Run from
 * the repository root after {@code mvn -pl bundles/examples test-compile}:
 *
 * <pre>
 * java &#64;cnf/jvm.options -cp bundles/examples/target/test-classes:bundles/examples/target/classes:CLASSPATH \
 *     ignis.examples.fashion.TorchTrajectory mlp|cnn START.safetensors EPOCHS [THREADS]
 * </pre>
 */
public final class TorchTrajectory {

    private TorchTrajectory() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int epochs = Integer.parseInt(args[2]);
        Tensors.setNumThreads(args.length > 3 ? Integer.parseInt(args[3]) : 1);
        try (var untracked = Tensors.untracked();
             TensorDataset trainPixels = FashionMNIST.dataset(FashionMNIST.DEBIAN_FOLDER, FashionMNIST.Split.TRAIN);
             TensorDataset testPixels = FashionMNIST.dataset(FashionMNIST.DEBIAN_FOLDER, FashionMNIST.Split.TEST);
             SafeTensors.Contents start = SafeTensors.read(Path.of(args[1]));
             Module model = Models.named(kind);
             CrossEntropyLoss criterion = new CrossEntropyLoss()) {
            Tensor images = trainPixels.tensor(0).sub(TrainCommand.MEAN).div(TrainCommand.STD);
            TensorDataset test = new TensorDataset(testPixels.tensor(0).sub(TrainCommand.MEAN).div(TrainCommand.STD), testPixels.tensor(1));
            Map<String, Tensor> weights = new LinkedHashMap<>();
            model.stateDict().keySet().forEach(name -> weights.put(name, start.get(name)));
            model.loadStateDict(weights, true);
            try (Adam adam = new Adam(model.parameters(), 1e-3)) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    Tensor order = start.get("perm." + epoch);
                    long began = System.nanoTime();
                    double loss = 0;
                    for (long i = 0; i < order.numel(); i += 64) {
                        try (var scope = Tensors.scope()) {
                            Tensor batch = order.narrow(0, i, Math.min(64, order.numel() - i));
                            Tensor value = criterion.forward(model.forward(images.indexSelect(0, batch)), trainPixels.tensor(1).indexSelect(0, batch));
                            adam.zeroGrad(true);
                            value.backward();
                            adam.step();
                            loss = value.item();
                            if (epoch == 0 && i / 64 < 30) {
                                System.out.printf(Locale.ROOT, "step %d loss %.6f%n", i / 64, loss);
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - began) / 1e9;
                    System.out.printf(Locale.ROOT, "epoch %d: %.1f s, test accuracy %.4f, last loss %.4f%n",
                            epoch + 1, seconds, TrainCommand.accuracy(model, test, TrainOptions.parse()), loss);
                }
            }
        }
    }
}
