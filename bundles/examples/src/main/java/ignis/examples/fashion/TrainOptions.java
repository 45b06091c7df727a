package ignis.examples.fashion;

import ignis.tensor.Device;
import ignis.tensor.Tensors;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The flags of {@code ./ignis train}.
 *
 * @throws IllegalArgumentException from {@link #parse} for a flag it does not know or a bad value
 */
record TrainOptions(String model, int epochs, int batch, double lr, Device device, int threads, long seed, Optional<Path> data,
                    Path out, Optional<Path> json) {

    static final String USAGE = """
            usage: ./ignis train [--model mlp|cnn] [--epochs N] [--batch N] [--lr X] [--device D] [--threads N] [--seed S]
                                 [--data DIR] [--out DIR] [--json FILE]
              --model mlp|cnn  784-256-128-10 MLP (default), or the two-convolution CNN of the reference script
              --epochs N       passes over the 60,000 training images (default 3 for mlp, 2 for cnn)
              --batch N        images per Adam step (default 64)
              --lr X           Adam's learning rate (default 0.001)
              --device D       where to train: cpu (default) or a device with a backend, such as opencl:0
              --threads N      threads of the compute pool (default: every core, here %d)
              --seed S         seed of the initialisation and the shuffling, drawn as PyTorch draws them
                               (torch.manual_seed, torch.randperm): the reference script's weights and order (default 0)
              --data DIR       folder with the four Fashion-MNIST IDX files (default: Debian's /usr/share/datasets/fashion-mnist)
              --out DIR        where to save the weights (model.safetensors) and the curves (curves.png);
                               default runs/fashion-mnist-MODEL
              --json FILE      also write the figures of every epoch to FILE as JSON""".formatted(Runtime.getRuntime().availableProcessors());

    static TrainOptions parse(String... args) {
        String model = "mlp";
        Integer epochs = null;
        int batch = 64;
        double lr = 1e-3;
        Device device = Device.CPU;
        int threads = Tensors.numThreads();
        long seed = 0;
        Path data = null;
        Path out = null;
        Path json = null;
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("train: unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("train: " + flag + " needs a value");
            }
            String value = args[i + 1];
            switch (flag) {
                case "--model" -> model = value;
                case "--epochs" -> epochs = positiveInt(flag, value);
                case "--batch" -> batch = positiveInt(flag, value);
                case "--lr" -> lr = positiveDouble(flag, value);
                case "--device" -> device = Device.of(value);
                case "--threads" -> threads = positiveInt(flag, value);
                case "--seed" -> seed = parseLong(flag, value);
                case "--data" -> data = Path.of(value);
                case "--json" -> json = Path.of(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("train: unknown flag '" + flag + "'");
            }
        }
        if (!model.equals("mlp") && !model.equals("cnn")) {
            throw new IllegalArgumentException("train: unknown model '" + model + "': expected mlp or cnn");
        }
        int epochCount = epochs != null ? epochs : model.equals("mlp") ? 3 : 2;
        Path outDir = out != null ? out : Path.of("runs", "fashion-mnist-" + model);
        return new TrainOptions(model, epochCount, batch, lr, device, threads, seed, Optional.ofNullable(data), outDir, Optional.ofNullable(json));
    }

    private static int positiveInt(String flag, String value) {
        long parsed = parseLong(flag, value);
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("train: " + flag + " needs a positive whole number, got '" + value + "'");
        }
        return (int) parsed;
    }

    private static long parseLong(String flag, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("train: " + flag + " needs a whole number, got '" + value + "'");
        }
    }

    private static double positiveDouble(String flag, String value) {
        try {
            double parsed = Double.parseDouble(value);
            if (parsed > 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("train: " + flag + " needs a positive number, got '" + value + "'");
    }
}
