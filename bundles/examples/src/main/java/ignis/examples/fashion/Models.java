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
