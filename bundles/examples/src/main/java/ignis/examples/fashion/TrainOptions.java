package ignis.examples.fashion;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The flags of {@code ./ignis train}. The interim job knows the model {@code linear} on {@code cpu};
 * {@code --model mlp|cnn}, {@code --device}, {@code --threads} and {@code --out} come with the
 * tensor-based trainer.
 *
 * @throws IllegalArgumentException from {@link #parse} for a flag it does not know or a bad value
 */
record TrainOptions(String model, int epochs, int batch, double lr, long seed, Optional<Path> data, Optional<Path> json) {

    static final String USAGE = """
            usage: ./ignis train [--model linear] [--epochs N] [--batch N] [--lr X] [--seed S] [--data DIR] [--json FILE]
              --model linear  softmax regression on the 784 pixels (the only model until the nn bundle lands)
              --epochs N      passes over the 60,000 training images (default 3)
              --batch N       images per SGD step (default 64)
              --lr X          learning rate of plain SGD (default 0.1)
              --seed S        seed of the shuffling (default 0)
              --data DIR      folder with the four Fashion-MNIST IDX files (default: Debian's /usr/share/datasets/fashion-mnist)
              --json FILE     also write the figures of every epoch to FILE as JSON""";

    static TrainOptions parse(String... args) {
        String model = "linear";
        int epochs = 3;
        int batch = 64;
        double lr = 0.1;
        long seed = 0;
        Path data = null;
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
                case "--seed" -> seed = parseLong(flag, value);
                case "--data" -> data = Path.of(value);
                case "--json" -> json = Path.of(value);
                case "--device", "--threads", "--out" -> throw new IllegalArgumentException("train: " + flag
                        + " arrives with the tensor-based trainer; the interim linear job runs single-threaded on cpu");
                default -> throw new IllegalArgumentException("train: unknown flag '" + flag + "'");
            }
        }
        if (!model.equals("linear")) {
            throw new IllegalArgumentException("train: --model " + model
                    + " needs the tensor, autograd and nn bundles, which have not landed yet; use --model linear");
        }
        return new TrainOptions(model, epochs, batch, lr, seed, Optional.ofNullable(data), Optional.ofNullable(json));
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
