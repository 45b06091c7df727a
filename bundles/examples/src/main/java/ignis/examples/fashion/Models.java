package ignis.examples.fashion;

import ignis.nn.Conv2d;
import ignis.nn.Flatten;
import ignis.nn.Linear;
import ignis.nn.MaxPool2d;
import ignis.nn.Module;
import ignis.nn.ReLU;
import ignis.nn.Sequential;

/** The two models of the main job, as the PyTorch reference script defines them. */
public final class Models {

    private Models() {
    }

    public static Module named(String name) {
        return switch (name) {
            case "mlp" -> mlp();
            case "cnn" -> cnn();
            default -> throw new IllegalArgumentException("train: unknown model '" + name + "': expected mlp or cnn");
        };
    }

    /**
     * A small model with the layers of {@code name} (see {@link Warmup}), and the shape of its inputs:
     * sized so that its products take the paths of the real one's (packed, over several depth blocks,
     * split over threads; an edge tile for the 10 classes) at a fraction of the work.
     */
    static Proxy proxy(String name) {
        return switch (name) {
            case "mlp" -> new Proxy(new Sequential(new Flatten(), new Linear(288, 64), new ReLU(), new Linear(64, 32), new ReLU(),
                    new Linear(32, 10)), new long[] {24, 1, 12, 24});
            case "cnn" -> new Proxy(new Sequential(
                    new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(576, 128), new ReLU(), new Linear(128, 10)), new long[] {24, 1, 12, 12});
            default -> throw new IllegalArgumentException("train: unknown model '" + name + "': expected mlp or cnn");
        };
    }

    /** A model and the shape of the inputs it takes. */
    record Proxy(Module model, long[] inputShape) {
    }

    /** 784-256-128-10 with ReLU. */
    public static Module mlp() {
        return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
    }

    /** Conv(1,32,3,p1)-ReLU-MaxPool2-Conv(32,64,3,p1)-ReLU-MaxPool2-Flatten-Linear(3136,128)-ReLU-Linear(128,10). */
    public static Module cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3136, 128), new ReLU(), new Linear(128, 10));
    }
}
