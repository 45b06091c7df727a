package ignis.examples.fashion;

import ignis.nn.CrossEntropyLoss;
import ignis.nn.Module;
import ignis.optim.Adam;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training steps of a throwaway model, on made-up inputs, on a background thread while the data set
 * loads: HotSpot compiles the kernels of a step only after running them for a while, slowly (the
 * vector kernels run tens of times slower before), and this way that happens before the first
 * epoch instead of in it. {@link #close} (any number of times) stops it after the step in progress; it touches no random
 * numbers and no state of the real model.
 */
final class Warmup implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong steps = new AtomicLong();
    private final Thread thread;

    /** Starts stepping {@code model} (a new instance of the model to train, made by the caller) with Adam on batches of {@code batch}. */
    Warmup(Module model, int batch, double lr, Device device) {
        thread = new Thread(() -> steps(model, batch, lr, device), "ignis-train-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private void steps(Module model, int batch, double lr, Device device) {
        try (model;
             CrossEntropyLoss criterion = new CrossEntropyLoss();
             Adam optimizer = new Adam(model.to(device).parameters(), lr);
             Tensor pattern = Tensors.arange(0, batch * 28 * 28, 1, DType.FLOAT32, device);
             Tensor shifted = pattern.remainder(7.0).sub(3.0);
             Tensor images = shifted.reshape(batch, 1, 28, 28);
             Tensor counting = Tensors.arange(batch);
             Tensor labels = counting.remainder(10L).to(device)) {
            while (!stop.get()) {
                try (var scope = Tensors.scope()) {
                    Tensor loss = criterion.forward(model.forward(images), labels);
                    optimizer.zeroGrad(true);
                    loss.backward();
                    optimizer.step();
                }
                steps.incrementAndGet();
            }
        }
    }

    /** The steps taken so far. */
    long steps() {
        return steps.get();
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
