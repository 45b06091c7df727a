package ignis.data;

import ignis.data.internal.Prefetcher;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Batches of a {@link Dataset}, as PyTorch's {@code torch.utils.data.DataLoader}: the indices of a
 * {@link Sampler} (in order, or shuffled with a seed) grouped by a {@link BatchSampler}, the items of
 * each batch fetched and merged by a {@link Collate} function, optionally ahead of time on worker
 * threads.
 *
 * <pre>{@code
 * try (TensorDataset train = FashionMNIST.dataset(Optional.empty(), FashionMNIST.Split.TRAIN);
 *      DataLoader<Tensor[]> loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).numWorkers(2).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         try (DataLoader.BatchIterator<Tensor[]> batches = loader.iterator()) {
 *             while (batches.hasNext()) {
 *                 try (var scope = Tensors.scope()) {
 *                     Tensor[] batch = batches.next();   // {images [64, 1, 28, 28], labels [64]}, closed by the scope
 *                     ...
 *                 }
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Order and determinism.</b> Batch k of an epoch is made from the k-th index batch of the
 * batch sampler, and batches are handed out in that order whatever the number of workers: the same
 * seed gives the same batches with 0, 1 or 8 workers. Each {@link #iterator()} starts a new epoch
 * (0, 1, 2, ...); a shuffling sampler gives every epoch its own order, derived from (seed, epoch).
 *
 * <p><b>Workers.</b> With {@code numWorkers == 0} batches are made on the caller's thread when asked
 * for. Otherwise each iterator starts {@code numWorkers} daemon threads (fewer when the epoch has
 * fewer batches) that make batches ahead, at most {@code numWorkers * prefetchFactor} of them
 * waiting, and the data set is read from those threads at once (see {@link Dataset}). The threads
 * end when the iterator is exhausted or closed, or the loader is closed; an iterator dropped
 * without either is noticed after it is collected, and the batches made for it are closed.
 * Leaving a loop early with {@code break} does not close the iterator of a for-each loop: iterate
 * with try-with-resources on {@link #iterator()}, use {@link #forEach}, or close the loader.
 *
 * <p><b>Ownership.</b> The caller owns every batch it receives: it closes it (see
 * {@link Batches#close}), or the tensor scope open on the caller's thread when the batch was handed
 * over does. Batches made ahead and never handed over are closed by the loader. Tensors made while
 * fetching a batch that are not part of it (the items) are closed as soon as the batch is made.
 *
 * <p><b>Errors.</b> When the data set or the collate function throws, the caller gets a
 * {@link DataLoaderException} caused by it, at the place of the failed batch in the order, and the
 * iterator is closed. Interrupting a caller waiting for a batch closes the iterator too.
 *
 * @param <B> the type of a batch
 */
public final class DataLoader<B> implements Iterable<B>, AutoCloseable {

    /** An iterator over one epoch's batches; close it to stop its workers early. */
    public interface BatchIterator<B> extends Iterator<B>, AutoCloseable {

        /** The epoch whose batches this iterator yields. */
        long epoch();

        /** Stops and joins the worker threads and closes the batches made ahead. Idempotent. */
        @Override
        void close();
    }

    private final Dataset<?> dataset;
    private final BatchSampler batchSampler;
    private final Function<int[], B> fetch;
    private final int numWorkers;
    private final int prefetchFactor;
    private final AtomicLong epochs = new AtomicLong();
    private final Set<Prefetcher<B>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DataLoader(Dataset<?> dataset, BatchSampler batchSampler, Function<int[], B> fetch, int numWorkers, int prefetchFactor) {
        this.dataset = dataset;
        this.batchSampler = batchSampler;
        this.fetch = fetch;
        this.numWorkers = numWorkers;
        this.prefetchFactor = prefetchFactor;
    }

    /** A builder of a loader over {@code dataset}: by default batches of 1, in order, default collate, no workers. */
    public static <T> Builder<T, T> builder(Dataset<T> dataset) {
        return new Builder<>(dataset, Collate.defaultCollate());
    }

    /** The number of batches in each epoch, as PyTorch's {@code len(loader)}. */
    public int size() {
        return batchSampler.size();
    }

    public Dataset<?> dataset() {
        return dataset;
    }

    public BatchSampler batchSampler() {
        return batchSampler;
    }

    public int numWorkers() {
        return numWorkers;
    }

    public int prefetchFactor() {
        return prefetchFactor;
    }

    /** The number of epochs {@link #iterator()} has started. */
    public long epochsStarted() {
        return epochs.get();
    }

    /** The batches of the next epoch: epoch 0 on the first call, then 1, 2, ... */
    @Override
    public BatchIterator<B> iterator() {
        return iterator(epochs.getAndIncrement());
    }

    /** The batches of epoch {@code epoch}, for replaying one; does not move the epoch counter. */
    public BatchIterator<B> iterator(long epoch) {
        if (closed) {
            throw new IllegalStateException("the data loader is closed");
        }
        List<int[]> batches = batchSampler.batches(epoch);
        return numWorkers == 0 ? new Inline<>(this, epoch, batches) : new Prefetching<>(this, epoch, batches);
    }

    /** Runs {@code action} on every batch of the next epoch, closing the iterator even when the action throws. */
    @Override
    public void forEach(Consumer<? super B> action) {
        try (BatchIterator<B> it = iterator()) {
            while (it.hasNext()) {
                action.accept(it.next());
            }
        }
    }

    /** Closes every open iterator (joining its worker threads); no iterator can be made afterwards. */
    @Override
    public void close() {
        closed = true;
        for (Prefetcher<B> p : List.copyOf(running)) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "DataLoader(" + batchSampler + ", " + numWorkers + " workers)";
    }

    /**
     * Fetches and collates a batch in a tensor scope of its own, closing everything made on the way
     * except the batch's tensors, which pass to the scope enclosing it (none on a worker thread).
     */
    private B produce(int[] indices) {
        try (TensorScope scope = Tensors.scope()) {
            B batch = fetch.apply(indices);
            for (Tensor t : Batches.tensors(batch)) {
                scope.keep(t);
            }
            return batch;
        }
    }

    private static String describe(long epoch, int k, int[] indices) {
        String shown = indices.length <= 8 ? Arrays.toString(indices)
                : Arrays.toString(Arrays.copyOf(indices, 8)).replace("]", ", ... (" + indices.length + " indices)]");
        return "batch " + k + " of epoch " + epoch + " (indices " + shown + ")";
    }

    /** Batches made on the caller's thread when asked for. */
    private static final class Inline<B> implements BatchIterator<B> {
        private final DataLoader<B> loader;
        private final long epoch;
        private final List<int[]> batches;
        private int next;
        private boolean closed;

        Inline(DataLoader<B> loader, long epoch, List<int[]> batches) {
            this.loader = loader;
            this.epoch = epoch;
            this.batches = batches;
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public boolean hasNext() {
            return !closed && !loader.closed && next < batches.size();
        }

        @Override
        public B next() {
            if (!hasNext()) {
                throw new NoSuchElementException(closed || loader.closed ? "the data loader iterator was closed"
                        : "all " + batches.size() + " batches of epoch " + epoch + " were taken");
            }
            int k = next++;
            try {
                return loader.produce(batches.get(k));
            } catch (RuntimeException | Error e) {
                closed = true;
                throw new DataLoaderException(describe(epoch, k, batches.get(k)) + " failed on " + Thread.currentThread().getName()
                        + ": " + e, e);
            } finally {
                if (next == batches.size()) {
                    closed = true;
                }
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Batches made ahead on worker threads and handed out in order. */
    private static final class Prefetching<B> implements BatchIterator<B> {
        private final DataLoader<B> loader;
        private final long epoch;
        private final List<int[]> batches;
        private final Prefetcher<B> prefetcher;
        private int next;
        private volatile boolean closed;

        Prefetching(DataLoader<B> loader, long epoch, List<int[]> batches) {
            this.loader = loader;
            this.epoch = epoch;
            this.batches = batches;
            Set<Prefetcher<B>> running = loader.running;
            Prefetcher<B>[] self = newArray();
            // no more threads than batches: the others would only start and end
            int workers = Math.max(1, Math.min(loader.numWorkers, batches.size()));
            int capacity = (int) Math.min(Integer.MAX_VALUE, (long) loader.numWorkers * loader.prefetchFactor);
            // the prefetcher must not reach this iterator, so that dropping the iterator stops the workers
            this.prefetcher = new Prefetcher<>(batches.size(), k -> loader.produce(batches.get(k)), Batches::close,
                    workers, capacity, this, () -> running.remove(self[0]));
            self[0] = prefetcher;
            running.add(prefetcher);
            if (loader.closed) {
                prefetcher.close();
                throw new IllegalStateException("the data loader is closed");
            }
            prefetcher.start();
        }

        @SuppressWarnings("unchecked")
        private static <B> Prefetcher<B>[] newArray() {
            return (Prefetcher<B>[]) new Prefetcher<?>[1];
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public boolean hasNext() {
            if (!closed && (next >= batches.size() || loader.closed)) {
                close(); // an epoch without batches, or a closed loader: join the workers now
            }
            return !closed && next < batches.size();
        }

        @Override
        public B next() {
            if (!hasNext()) {
                throw new NoSuchElementException(closed && next < batches.size() ? "the data loader iterator was closed"
                        : "all " + batches.size() + " batches of epoch " + epoch + " were taken");
            }
            int k = next;
            Prefetcher.Outcome<B> outcome;
            try {
                outcome = prefetcher.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // close() then interrupts the workers too rather than wait for them
                close();
                throw new DataLoaderException("interrupted while waiting for " + describe(epoch, k, batches.get(k)), e);
            } catch (IllegalStateException e) {
                close();
                throw e;
            }
            next++;
            if (outcome.failure() != null) {
                close();
                throw new DataLoaderException(describe(epoch, k, batches.get(k)) + " failed on " + outcome.worker()
                        + ": " + outcome.failure(), outcome.failure());
            }
            if (next == batches.size()) {
                close();
            }
            adopt(outcome.batch());
            return outcome.batch();
        }

        /** Hands the batch's tensors, made on a worker in no scope, to the scope open on this thread, if any. */
        private static void adopt(Object batch) {
            List<Tensor> tensors = Batches.tensors(batch);
            if (!tensors.isEmpty()) {
                try (TensorScope handover = Tensors.scope()) {
                    for (Tensor t : tensors) {
                        handover.keep(t);
                    }
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            prefetcher.close();
        }
    }

    /**
     * Settings of a {@link DataLoader}, as the keyword arguments of PyTorch's: {@code batchSize} (1),
     * {@code shuffle} (false) with a {@code seed}, {@code sampler}, {@code batchSampler},
     * {@code dropLast} (false), {@code collate} (the default collate), {@code numWorkers} (0) and
     * {@code prefetchFactor} (2).
     *
     * @param <T> the type of an item
     * @param <B> the type of a batch
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Collate<T, B> collate;
        private Integer batchSize;
        private Boolean shuffle;
        private Long seed;
        private Boolean dropLast;
        private Sampler sampler;
        private BatchSampler batchSampler;
        private int numWorkers;
        private int prefetchFactor = 2;

        private Builder(Dataset<T> dataset, Collate<T, B> collate) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            this.collate = Objects.requireNonNull(collate, "collate");
        }

        private <C> Builder<T, C> copyWith(Collate<T, C> other) {
            Builder<T, C> b = new Builder<>(dataset, other);
            b.batchSize = batchSize;
            b.shuffle = shuffle;
            b.seed = seed;
            b.dropLast = dropLast;
            b.sampler = sampler;
            b.batchSampler = batchSampler;
            b.numWorkers = numWorkers;
            b.prefetchFactor = prefetchFactor;
            return b;
        }

        /** Items per batch (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the items in a new random order (a {@link RandomSampler}). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * The seed of the shuffling; without one, a seed drawn from the default generator when the
         * loader is built, as PyTorch's {@code RandomSampler} draws one: loaders built one after another
         * shuffle differently, and {@link Tensors#manualSeed} makes them repeat. The draw is a random op
         * on the CPU, so it needs a CPU backend.
         */
        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to drop the last batch of an epoch when it is smaller than the batch size. */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The order of the indices; excludes {@link #shuffle}. */
        public Builder<T, B> sampler(Sampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /** The batches of indices; excludes batchSize, shuffle, sampler and dropLast (other than their defaults). */
        public Builder<T, B> batchSampler(BatchSampler batchSampler) {
            this.batchSampler = Objects.requireNonNull(batchSampler, "batchSampler");
            return this;
        }

        /** How the items of a batch are merged; the batch type follows. */
        public <C> Builder<T, C> collate(Collate<T, C> collate) {
            return copyWith(Objects.requireNonNull(collate, "collate"));
        }

        /** Worker threads making batches ahead; 0 (the default) makes them on the caller's thread. */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("numWorkers must be non-negative, got " + numWorkers);
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches made ahead per worker, at most (default 2). */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) {
                throw new IllegalArgumentException("prefetchFactor must be positive, got " + prefetchFactor);
            }
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        /** @throws IllegalArgumentException for settings that exclude each other, as PyTorch's */
        public DataLoader<B> build() {
            BatchSampler batches = batchSampler;
            if (batches != null) {
                // as PyTorch: the excluded settings may still be given their default values
                if (batchSize != null && batchSize != 1 || Boolean.TRUE.equals(shuffle) || sampler != null || Boolean.TRUE.equals(dropLast)) {
                    throw new IllegalArgumentException("batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast"
                            + " (got batchSize " + batchSize + ", shuffle " + shuffle + ", sampler " + sampler + ", dropLast " + dropLast + ")");
                }
            } else {
                if (sampler != null && Boolean.TRUE.equals(shuffle)) {
                    throw new IllegalArgumentException("sampler is mutually exclusive with shuffle");
                }
                Sampler order = sampler != null ? sampler
                        : Boolean.TRUE.equals(shuffle)
                                ? new RandomSampler(dataset.size(), seed != null ? seed : drawSeed())
                                : new SequentialSampler(dataset.size());
                batches = new BatchSampler(order, batchSize == null ? 1 : batchSize, Boolean.TRUE.equals(dropLast));
            }
            return new DataLoader<>(dataset, batches, fetch(), numWorkers, prefetchFactor);
        }

        /** As PyTorch's {@code torch.empty((), dtype=torch.int64).random_()}: advances the default generator. */
        private static long drawSeed() {
            try (Tensor seed = Tensors.randint(0, Long.MAX_VALUE, Shape.of(), DType.INT64, Device.CPU, Generator.defaultGenerator())) {
                return seed.itemLong();
            }
        }

        /** Items fetched one by one and collated, or a {@link TensorDataset}'s rows gathered at once when that gives the same batch. */
        @SuppressWarnings("unchecked")
        private Function<int[], B> fetch() {
            if (dataset instanceof TensorDataset tensors && collate == DefaultCollate.SAME_TYPE) {
                return indices -> (B) tensors.batch(indices);
            }
            Dataset<T> data = dataset;
            Collate<T, B> merge = collate;
            return indices -> {
                List<T> items = new ArrayList<>(indices.length);
                for (int i : indices) {
                    items.add(data.get(i));
                }
                return merge.collate(items);
            };
        }
    }
}
