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
            default -> throw unknown(name);
        };
    }

    /**
     * A small model with the layers of {@code name} (see {@link Warmup}), and the shape of its inputs:
     * sized so that its products take the paths of the real one's (packed, over several depth blocks,
     * split over threads; an edge tile for the 10 classes) at a fraction of the work. The CNN's batch of 32
     * is the smallest whose weight gradient goes the real one's way, by Winograd in chunks of 16 samples:
     * a batch of 24 went another way, and the real model's first steps then ran that code cold (CNN
     * epoch 1 at 2 threads, 7 interleaved runs each: median 10.25 -> 10.13 s, mean 10.42 -> 9.99 s).
     */
    static Proxy proxy(String name) {
        return switch (name) {
            case "mlp" -> new Proxy(mlp(288, 64, 32), new long[] {24, 1, 12, 24}, true);
            case "cnn" -> new Proxy(cnn(12), new long[] {32, 1, 12, 12}, false);
            default -> throw unknown(name);
        };
    }

    /**
     * A model, the shape of the inputs it takes, and whether training waits for its steps (and the real model's first
     * ones) when the data loads sooner ({@link Warmup#awaitSteps}). Waiting pays where the proxy's steps cost less than
     * the real model's first steps would with its kernels not yet compiled. MLP at 2 threads, 4 interleaved runs each:
     * epoch 1 0.54-1.34 s (4-402 warm-up steps) -> 0.65-0.78 s, the whole `ignis train --epochs 3` 3.42-4.18 ->
     * 3.33-3.57 s. Not for the CNN: its proxy's steps outlast the load by 2 s, and though epoch 1 went from 7.9-8.3 s
     * to 6.2-6.8 s (3 runs each), the whole run took 0.3 s longer.
     */
    record Proxy(Module model, long[] inputShape, boolean awaited) {
    }

    /** 784-256-128-10 with ReLU. */
    public static Module mlp() {
        return mlp(28 * 28, 256, 128);
    }

    /** Conv(1,32,3,p1)-ReLU-MaxPool2-Conv(32,64,3,p1)-ReLU-MaxPool2-Flatten-Linear(3136,128)-ReLU-Linear(128,10). */
    public static Module cnn() {
        return cnn(28);
    }

    private static Module mlp(int inputs, int hidden, int hidden2) {
        return new Sequential(new Flatten(), new Linear(inputs, hidden), new ReLU(), new Linear(hidden, hidden2), new ReLU(),
                new Linear(hidden2, 10));
    }

    /** The CNN for square images of {@code side} pixels (a multiple of 4: two poolings halve it). */
    private static Module cnn(int side) {
        int pooled = side / 4;
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * pooled * pooled, 128), new ReLU(), new Linear(128, 10));
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("train: unknown model '" + name + "': expected mlp or cnn");
    }
}
