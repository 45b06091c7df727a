package ignis.examples.fashion;

import ignis.data.DataLoader;
import ignis.data.RandomSampler;
import ignis.data.TensorDataset;
import ignis.nn.CrossEntropyLoss;
import ignis.nn.Module;
import ignis.optim.Adam;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training steps of throwaway models, on made-up inputs, on a background thread while the data set
 * loads: HotSpot compiles the kernels of a step only after running them for a while, and the vector
 * kernels run hundreds of times slower before (a first MLP step takes about a second). So the steps
 * start on a small model with the same layers ({@link Models#proxy}), whose products take the real
 * ones' paths at a fraction of the work, until its kernels and the framework's dispatch are
 * compiled, and go on with the real model. Training may wait for the small model's steps and the real one's first
 * ({@link #awaitSteps}). {@link #close} (any number of times) stops it after the step in progress; it
 * touches no random numbers and no state of the real model.
 */
final class Warmup implements AutoCloseable {

    /** Steps of the small model first: about as many as make its methods hot enough for C2. */
    static final int PROXY_STEPS = 300;

    /**
     * Steps of the real model after the proxy's that training waits for, where it waits ({@link Models.Proxy#awaited}).
     * When the proxy's steps end, C2's queue is still long: kernels they made hot wait their turn, and the real model's
     * first steps make more code hot. Without these steps C2 compiled for 0.4-0.5 s of the MLP's first epoch, and on 2
     * cores took that time from training. MLP at 2 threads, 6 interleaved runs each: epoch 1 1.080 -> 0.852 s (median
     * 1.098 -> 0.856), epochs 2-3 unchanged, the whole `ignis train --epochs 3` 5.37 -> 5.44 s; 400 steps: epoch 1
     * 0.787 s, the whole run 5.62 s. Fewer proxy steps and more of these (150 and 250, 200 and 300) did no better.
     */
    static final int AWAITED_MODEL_STEPS = 200;

    /**
     * Products of depth 4 before the proxy's. HotSpot queues a method for C2 on whichever of its counters
     * reports first: its calls, or its loop iterations (reported 8 times less often). The GEMM micro-kernel
     * loops over the depth of its tile; at the models' depths its iterations reported first, and its first
     * C2 compilation was on stack replacement, which with the loop's live vectors took C2 0.47-0.55 s
     * (100-127 KB of code) while every other compilation waited. At depth 4 its calls report first: an
     * ordinary compilation, 0.04-0.10 s. 1024 products take this thread about 0.2 s, most of it for the
     * first 64, which the interpreter runs, and outlast C1's queue at start-up (64 did not, for the CNN).
     */
    static final int SHALLOW_PRODUCTS = 1024;

    /**
     * Batches in one pass over the made-up data set: two, so that a pass goes on from one batch to the next. Making the set
     * costs time that {@link #close} waits for when it comes during the real model's set-up (8 batches: 20-65 ms).
     */
    static final int BATCHES_PER_PASS = 2;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong steps = new AtomicLong();
    private final CountDownLatch awaitedStepsTaken = new CountDownLatch(1);
    private final long awaitedSteps;
    private final Thread thread;

    /**
     * Starts the shallow products ({@link #SHALLOW_PRODUCTS}), then steps {@code proxy}, then {@code model}
     * (new instances of the model to train, made by the caller) with Adam on batches of {@code batch} images.
     */
    Warmup(Models.Proxy proxy, Module model, int batch, double lr, Device device) {
        awaitedSteps = proxy.awaited() ? PROXY_STEPS + AWAITED_MODEL_STEPS : 0;
        thread = new Thread(() -> {
            try {
                shallowProducts(device);
                steps(proxy.model(), proxy.inputShape(), lr, device, PROXY_STEPS);
                if (!stop.get()) {
                    steps(model, new long[] {batch, 1, 28, 28}, lr, device, Long.MAX_VALUE);
                }
            } finally {
                awaitedStepsTaken.countDown();
            }
        }, "ignis-train-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Products of depth 4 first: see {@link #SHALLOW_PRODUCTS}. */
    private void shallowProducts(Device device) {
        try (Tensor a = Tensors.ones(Shape.of(64, 4), DType.FLOAT32, device);
             Tensor b = Tensors.ones(Shape.of(4, 64), DType.FLOAT32, device)) {
            for (int i = 0; i < SHALLOW_PRODUCTS && !stop.get(); i++) {
                a.matmul(b).close();
            }
        }
    }

    /**
     * Steps as training does: batches from a {@link DataLoader} over a made-up data set on the CPU, moved to the device,
     * and the loss read back, so that the data path's code (the sampler, the gather of rows) compiles here too.
     */
    private void steps(Module model, long[] inputShape, double lr, Device device, long count) {
        long[] dataShape = inputShape.clone();
        dataShape[0] = inputShape[0] * BATCHES_PER_PASS;
        try (model;
             CrossEntropyLoss criterion = new CrossEntropyLoss();
             Adam optimizer = new Adam(model.to(device).parameters(), lr);
             Tensor pattern = Tensors.arange(0, Shape.of(dataShape).numel(), 1, DType.FLOAT32, Device.CPU);
             Tensor shifted = pattern.remainder(7.0).sub(3.0);
             Tensor images = shifted.reshape(dataShape);
             Tensor counting = Tensors.arange(dataShape[0]);
             Tensor labels = counting.remainder(10L);
             TensorDataset data = new TensorDataset(images, labels);
             DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize((int) inputShape[0])
                     .sampler(RandomSampler.torchRandperm(data.size(), 0)).numWorkers(0).build()) {
            long taken = 0;
            while (taken < count && !stop.get()) {
                for (Tensor[] batch : loader) {
                    try (var scope = Tensors.scope()) {
                        Tensor loss = criterion.forward(model.forward(batch[0].to(device)), batch[1].to(device));
                        optimizer.zeroGrad(true);
                        loss.backward();
                        optimizer.step();
                        loss.item();
                        batch[0].close();
                        batch[1].close();
                    }
                    if (steps.incrementAndGet() == awaitedSteps) {
                        awaitedStepsTaken.countDown();
                    }
                    if (++taken == count || stop.get()) {
                        break;
                    }
                }
            }
        }
    }

    /**
     * Waits until the small model's steps and the real one's first {@link #AWAITED_MODEL_STEPS} are done (or the steps
     * have failed or been stopped) where the proxy asks for it ({@link Models.Proxy#awaited}), to be called once the data
     * is in and before {@link #close}.
     */
    void awaitSteps() {
        if (awaitedSteps == 0) {
            return;
        }
        try {
            awaitedStepsTaken.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The steps taken so far, of both models. */
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
