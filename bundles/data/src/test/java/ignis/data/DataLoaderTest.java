package ignis.data;

import static ignis.data.LoaderTesting.epoch;
import static ignis.data.LoaderTesting.indicesOf;
import static ignis.data.LoaderTesting.numbered;
import static ignis.data.LoaderTesting.workerThreads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Generator;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class DataLoaderTest {

    private long liveBefore;

    @BeforeEach
    void baseline() {
        Tensors.zeros(1).close(); // starts the tensor machinery (and its cleaner thread) before counting
        liveBefore = Tensors.liveTensors();
        assertEquals(Set.of(), workerThreads(), "worker threads left by an earlier test");
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(Set.of(), workerThreads(), "worker threads outlived their loader");
        assertEquals(liveBefore, Tensors.liveTensors(), "tensors leaked");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void batchesInOrderWithASmallerLastBatch(int workers) {
        try (TensorDataset data = numbered(10);
             DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(4).numWorkers(workers).build()) {
            assertEquals(3, loader.size());
            List<Shape> shapes = new ArrayList<>();
            List<List<Long>> indices = new ArrayList<>();
            try (DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
                while (it.hasNext()) {
                    Tensor[] batch = it.next();
                    assertEquals(DType.FLOAT32, batch[0].dtype());
                    assertEquals(DType.INT64, batch[1].dtype());
                    shapes.add(batch[0].shape());
                    indices.add(indicesOf(batch));
                    Batches.close(batch);
                }
            }
            assertEquals(List.of(Shape.of(4, 2), Shape.of(4, 2), Shape.of(2, 2)), shapes);
            assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L)), indices);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void dropLastDropsTheShortBatch(int workers) {
        try (TensorDataset data = numbered(10);
             DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(4).dropLast(true).numWorkers(workers).build()) {
            assertEquals(2, loader.size());
            assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L)), epoch(loader));
        }
    }

    @Test
    void theDefaultBatchSizeIsOne() {
        try (TensorDataset data = numbered(3); DataLoader<Tensor[]> loader = DataLoader.builder(data).build()) {
            assertEquals(List.of(List.of(0L), List.of(1L), List.of(2L)), epoch(loader));
        }
    }

    /** The same seed gives the same batches with 0, 1 or 4 workers and in a second run; each epoch is a new permutation. */
    @Test
    void shufflingIsDeterministicWhateverTheWorkers() {
        int n = 103;
        try (TensorDataset data = numbered(n)) {
            List<List<List<Long>>> reference = null;
            for (int workers : new int[] {0, 1, 4, 4, 0}) {
                List<List<List<Long>>> epochs = new ArrayList<>();
                try (DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(8).shuffle(true).seed(2026)
                        .numWorkers(workers).prefetchFactor(1).build()) {
                    for (int e = 0; e < 3; e++) {
                        epochs.add(epoch(loader));
                    }
                }
                if (reference == null) {
                    reference = epochs;
                } else {
                    assertEquals(reference, epochs, "batches with " + workers + " workers");
                }
            }
            for (List<List<Long>> batches : reference) {
                assertEquals(13, batches.size());
                assertEquals(7, batches.getLast().size());
                List<Long> all = batches.stream().flatMap(List::stream).toList();
                assertEquals(LongStream.range(0, n).boxed().toList(), all.stream().sorted().toList(), "not a permutation");
                assertNotEquals(LongStream.range(0, n).boxed().toList(), all, "not shuffled");
            }
            assertNotEquals(reference.get(0), reference.get(1), "epochs 0 and 1 have the same order");
            assertNotEquals(reference.get(1), reference.get(2), "epochs 1 and 2 have the same order");

            try (DataLoader<Tensor[]> other = DataLoader.builder(data).batchSize(8).shuffle(true).seed(2027).build()) {
                assertNotEquals(reference.get(0), epoch(other), "another seed gives the same order");
            }
            try (DataLoader<Tensor[]> replay = DataLoader.builder(data).batchSize(8).shuffle(true).seed(2026).numWorkers(2).build();
                 DataLoader.BatchIterator<Tensor[]> it = replay.iterator(2)) {
                assertEquals(2, it.epoch());
                Tensor[] first = it.next();
                assertEquals(reference.get(2).getFirst(), indicesOf(first), "iterator(epoch) replays that epoch");
                Batches.close(first);
                assertEquals(0, replay.epochsStarted());
            }
        }
    }

    @Test
    void collatesTensorArraysRecordsAndNumbers() {
        record Example(Tensor image, Tensor label) {
        }
        try (TensorDataset data = numbered(6)) {
            Dataset<Example> examples = new Dataset<>() {
                public int size() {
                    return data.size();
                }

                public Example get(int index) {
                    Tensor[] item = data.get(index);
                    return new Example(item[0], item[1]);
                }
            };
            try (DataLoader<Example> loader = DataLoader.builder(examples).batchSize(4).numWorkers(2).build();
                 DataLoader.BatchIterator<Example> it = loader.iterator()) {
                Example batch = it.next();
                assertEquals(Shape.of(4, 2), batch.image().shape());
                assertArrayEquals(new long[] {0, 1, 2, 3}, batch.label().toLongArray());
                Batches.close(batch);
            }

            Dataset<Integer> numbers = new Dataset<>() {
                public int size() {
                    return 5;
                }

                public Integer get(int index) {
                    return index * 10;
                }
            };
            try (DataLoader<Tensor> loader = DataLoader.builder(numbers).batchSize(5).collate(Collate.<Integer>numbers()).build();
                 DataLoader.BatchIterator<Tensor> it = loader.iterator();
                 Tensor batch = it.next()) {
                assertEquals(DType.INT64, batch.dtype());
                assertArrayEquals(new long[] {0, 10, 20, 30, 40}, batch.toLongArray());
            }
        }
    }

    @Test
    void aCustomCollateAndABatchSamplerAreUsed() {
        try (TensorDataset data = numbered(10)) {
            BatchSampler evensFirst = new BatchSampler(new Sampler() {
                public int size() {
                    return 10;
                }

                public int[] indices(long epoch) {
                    return new int[] {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
                }
            }, 5, false);
            try (DataLoader<Tensor> loader = DataLoader.builder(data).batchSampler(evensFirst).numWorkers(3)
                    .collate(items -> Tensors.stack(items.stream().map(item -> item[1]).toList(), 0).sum()).build()) {
                List<Long> sums = new ArrayList<>();
                loader.forEach(sum -> {
                    try (sum) {
                        sums.add(sum.itemLong());
                    }
                });
                assertEquals(List.of(20L, 25L), sums);
            }
        }
    }

    @Test
    void settingsThatExcludeEachOtherAreRejected() {
        try (TensorDataset data = numbered(4)) {
            BatchSampler batches = new BatchSampler(new SequentialSampler(4), 2, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DataLoader.builder(data).batchSampler(batches).batchSize(2).build());
            assertTrue(e.getMessage().contains("mutually exclusive"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).sampler(new SequentialSampler(4)).shuffle(true).build());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSize(0));
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).numWorkers(-1));
        }
    }

    /** Batches handed over from worker threads belong to the caller: its scope closes them. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void theCallersScopeClosesTheBatches(int workers) {
        try (TensorDataset data = numbered(8);
             DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(2).numWorkers(workers).build();
             DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
            Tensor[] batch;
            try (TensorScope scope = Tensors.scope()) {
                batch = it.next();
                assertFalse(batch[0].isClosed());
            }
            assertTrue(batch[0].isClosed() && batch[1].isClosed(), "the scope did not close the batch");
            Tensor[] unscoped = it.next();
            assertFalse(unscoped[0].isClosed(), "a batch outside any scope is the caller's to close");
            Batches.close(unscoped);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void aFailingItemSurfacesWithItsCauseInOrder(int workers) {
        IllegalStateException boom = new IllegalStateException("item 13 is corrupt");
        try (TensorDataset data = numbered(40)) {
            Dataset<Tensor[]> failing = new Dataset<>() {
                public int size() {
                    return data.size();
                }

                public Tensor[] get(int index) {
                    if (index == 13) {
                        throw boom;
                    }
                    return data.get(index);
                }
            };
            try (DataLoader<Tensor[]> loader = DataLoader.builder(failing).batchSize(4).numWorkers(workers).build();
                 DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
                for (int k = 0; k < 3; k++) {
                    Batches.close(it.next()); // the batches before the failed one arrive
                }
                DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
                assertSame(boom, e.getCause());
                assertTrue(e.getMessage().contains("batch 3 of epoch 0 (indices [12, 13, 14, 15])"), e.getMessage());
                assertFalse(it.hasNext(), "the iterator is closed after a failure");
                assertEquals(Set.of(), workerThreads());
            }
        }
    }

    /** Closing early stops and joins the workers and frees the batches they made ahead. */
    @Test
    void closingEarlyJoinsTheWorkersAndFreesQueuedBatches() throws InterruptedException {
        int threadsBefore = Thread.getAllStackTraces().size();
        try (TensorDataset data = numbered(200)) {
            long withData = Tensors.liveTensors();
            try (DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(5).shuffle(true).seed(1).numWorkers(4).prefetchFactor(3).build()) {
                DataLoader.BatchIterator<Tensor[]> it = loader.iterator();
                Tensor[] first = it.next();
                assertEquals(4, workerThreads().size());
                // wait (bounded) for the workers to fill the queue: 12 batches of 2 tensors
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (Tensors.liveTensors() < withData + 2 + 2 * 11 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                it.close();
                assertEquals(Set.of(), workerThreads(), "close() returned before the workers ended");
                assertEquals(withData + 2, Tensors.liveTensors(), "only the batch handed over is left");
                assertFalse(it.hasNext());
                assertThrows(java.util.NoSuchElementException.class, it::next);
                Batches.close(first);
                it.close(); // twice is fine
            }
            assertEquals(withData, Tensors.liveTensors());
        }
        assertEquals(threadsBefore, Thread.getAllStackTraces().size(), "thread count");
    }

    @Test
    void exhaustingAnEpochJoinsTheWorkers() {
        try (TensorDataset data = numbered(30); DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(7).numWorkers(3).build()) {
            try (DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
                int batches = 0;
                while (it.hasNext()) {
                    Batches.close(it.next());
                    batches++;
                }
                assertEquals(5, batches);
                assertEquals(Set.of(), workerThreads(), "workers alive after the last batch");
            }
            try (Tensor nothing = Tensors.zeros(0, 2);
                 TensorDataset empty = new TensorDataset(nothing);
                 DataLoader<Tensor[]> none = DataLoader.builder(empty).batchSize(2).numWorkers(2).build();
                 DataLoader.BatchIterator<Tensor[]> it = none.iterator()) {
                assertFalse(it.hasNext());
                assertEquals(Set.of(), workerThreads());
            }
        }
    }

    /** A break out of a for-each loop leaves the iterator open: closing the loader ends its workers. */
    @Test
    void closingTheLoaderClosesItsIterators() {
        try (TensorDataset data = numbered(100)) {
            DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(2).numWorkers(2).build();
            for (Tensor[] batch : loader) {
                Batches.close(batch);
                break;
            }
            assertEquals(2, workerThreads().size());
            loader.close();
            assertEquals(Set.of(), workerThreads());
            assertThrows(IllegalStateException.class, loader::iterator);
        }
    }

    @Test
    void anIteratorDroppedWithoutClosingStopsItsWorkersOnceCollected() throws InterruptedException {
        try (TensorDataset data = numbered(100); DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(2).numWorkers(2).build()) {
            DataLoader.BatchIterator<Tensor[]> it = loader.iterator();
            Batches.close(it.next());
            assertEquals(2, workerThreads().size());
            // Reachable up to here: a collection before the count would stop the workers it counts.
            Reference.reachabilityFence(it);
            it = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!workerThreads().isEmpty() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            assertEquals(Set.of(), workerThreads(), "workers of a dropped iterator still alive");
        }
    }

    /**
     * An iterator dropped after its workers have made every batch (here 3 batches fit in the queue of 2 x 2): the
     * batches made and not taken are freed once it is collected, without closing the loader.
     */
    @Test
    void batchesMadeForADroppedIteratorAreFreedOnceItIsCollected() throws InterruptedException {
        try (TensorDataset data = numbered(6); DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(2).numWorkers(2).build()) {
            long withData = Tensors.liveTensors();
            DataLoader.BatchIterator<Tensor[]> it = loader.iterator();
            Batches.close(it.next());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Tensors.liveTensors() != withData + 4 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the two other batches are being made (with tensors of their own on the way)
            }
            assertEquals(withData + 4, Tensors.liveTensors(), "batches 1 and 2 made ahead");
            Reference.reachabilityFence(it);
            it = null;
            deadline = System.nanoTime() + 15_000_000_000L;
            while ((Tensors.liveTensors() != withData || !workerThreads().isEmpty()) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            assertEquals(withData, Tensors.liveTensors(), "the batches made for the dropped iterator are still alive");
            assertEquals(Set.of(), workerThreads());
        }
    }

    /** Interrupting a caller waiting for a batch stops the loader and keeps the interrupt. */
    @Test
    void interruptingAWaitingCallerClosesTheIterator() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch fetching = new CountDownLatch(2);
        Dataset<Tensor> blocking = new Dataset<>() {
            public int size() {
                return 10;
            }

            public Tensor get(int index) {
                fetching.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted", e);
                }
                return Tensors.zeros(1);
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        try (DataLoader<Tensor> loader = DataLoader.builder(blocking).batchSize(2).numWorkers(2).build()) {
            Thread caller = new Thread(() -> {
                try (DataLoader.BatchIterator<Tensor> it = loader.iterator()) {
                    it.next();
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flag.set(Thread.currentThread().isInterrupted());
            }, "test-caller");
            caller.start();
            fetching.await();
            caller.interrupt();
            caller.join();
        }
        DataLoaderException e = assertInstanceOf(DataLoaderException.class, thrown.get());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(e.getMessage().contains("interrupted while waiting for batch 0"), e.getMessage());
        assertTrue(flag.get(), "the interrupt flag was lost");
    }

    /** A batch size above the data set's size gives one short batch, or none with dropLast, as PyTorch's len(loader). */
    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void aBatchLargerThanTheDataSet(int workers) {
        try (TensorDataset data = numbered(3)) {
            try (DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(5).numWorkers(workers).build()) {
                assertEquals(1, loader.size());
                assertEquals(List.of(List.of(0L, 1L, 2L)), epoch(loader));
            }
            try (DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(5).dropLast(true).numWorkers(workers).build()) {
                assertEquals(0, loader.size());
                assertEquals(List.of(), epoch(loader));
            }
        }
    }

    /** An empty data set has no batches, in order or shuffled, with or without workers, epoch after epoch. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void anEmptyDataSetHasNoBatches(int workers) {
        try (Tensor nothing = Tensors.zeros(0, 2); Tensor none = Tensors.zeros(0); TensorDataset empty = new TensorDataset(nothing, none)) {
            for (boolean shuffle : new boolean[] {false, true}) {
                try (DataLoader<Tensor[]> loader = DataLoader.builder(empty).batchSize(4).shuffle(shuffle).seed(1).numWorkers(workers).build()) {
                    assertEquals(0, loader.size());
                    assertEquals(List.of(), epoch(loader));
                    assertEquals(List.of(), epoch(loader));
                }
            }
        }
    }

    /** More workers than batches: every batch arrives once, in order, and no idle worker is left behind. */
    @Test
    void moreWorkersThanBatches() {
        try (TensorDataset data = numbered(5); DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(2).numWorkers(8).build()) {
            try (DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
                assertTrue(workerThreads().size() <= 3, "threads for 3 batches: " + workerThreads());
                List<List<Long>> batches = new ArrayList<>();
                while (it.hasNext()) {
                    Tensor[] batch = it.next();
                    batches.add(indicesOf(batch));
                    Batches.close(batch);
                }
                assertEquals(List.of(List.of(0L, 1L), List.of(2L, 3L), List.of(4L)), batches);
            }
        }
    }

    /** A collate function that throws: the caller gets its exception, in order, and the items fetched for it are closed. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void aFailingCollateSurfacesItsCauseAndClosesTheItems(int workers) {
        IllegalArgumentException boom = new IllegalArgumentException("cannot merge batch 2");
        try (TensorDataset data = numbered(12)) {
            Dataset<Tensor[]> items = new Dataset<>() { // not a TensorDataset: items are fetched one by one
                public int size() {
                    return data.size();
                }

                public Tensor[] get(int index) {
                    return data.get(index);
                }
            };
            Collate<Tensor[], Tensor[]> failOnSix = batch -> {
                if (batch.getFirst()[1].itemLong() == 6) {
                    throw boom;
                }
                return Collate.<Tensor[]>defaultCollate().collate(batch);
            };
            try (DataLoader<Tensor[]> loader = DataLoader.builder(items).batchSize(3).collate(failOnSix).numWorkers(workers).build();
                 DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
                for (List<Long> expected : List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L))) {
                    Tensor[] batch = it.next();
                    assertEquals(expected, indicesOf(batch));
                    Batches.close(batch);
                }
                DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
                assertSame(boom, e.getCause());
                assertTrue(e.getMessage().contains("batch 2 of epoch 0 (indices [6, 7, 8])"), e.getMessage());
                assertFalse(it.hasNext());
                assertEquals(Set.of(), workerThreads());
            }
        }
    }

    /** PyTorch allows batch_sampler with the defaults shuffle=False, batch_size=1, drop_last=False given explicitly. */
    @Test
    void aBatchSamplerAcceptsTheDefaultsOfTheSettingsItExcludes() {
        try (TensorDataset data = numbered(4)) {
            BatchSampler pairs = new BatchSampler(new SequentialSampler(4), 2, false);
            try (DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSampler(pairs).shuffle(false).batchSize(1).dropLast(false).build()) {
                assertEquals(List.of(List.of(0L, 1L), List.of(2L, 3L)), epoch(loader));
            }
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSampler(pairs).shuffle(true).build());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSampler(pairs).batchSize(2).build());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSampler(pairs).dropLast(true).build());
            assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSampler(pairs).sampler(new SequentialSampler(4)).build());
        }
    }

    /**
     * Without a seed, a loader draws one from the default generator when it is built, as PyTorch's
     * RandomSampler does: two loaders built one after the other shuffle differently, and
     * {@code manualSeed} makes them repeat; with either kind of default generator.
     */
    @Test
    void unseededLoadersDrawTheirSeedFromTheDefaultGenerator() {
        Generator previous = Generator.defaultGenerator();
        try (TensorDataset data = numbered(50)) {
            for (Generator kind : new Generator[] {new Generator(7), Generator.mt19937(7)}) {
                Generator.setDefault(kind);
                Tensors.manualSeed(7);
                List<List<Long>> first = unseededEpoch(data);
                List<List<Long>> second = unseededEpoch(data);
                assertNotEquals(first, second, "two unseeded loaders built in a row shuffle alike (mt19937: " + kind.isMt19937() + ")");
                Tensors.manualSeed(7);
                assertEquals(first, unseededEpoch(data), "manualSeed does not repeat the order (mt19937: " + kind.isMt19937() + ")");
            }
        } finally {
            Generator.setDefault(previous);
        }
    }

    private static List<List<Long>> unseededEpoch(TensorDataset data) {
        try (DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(10).shuffle(true).build()) {
            return epoch(loader);
        }
    }

    /** A huge prefetch factor bounds nothing but must not overflow the queue's capacity. */
    @Test
    void aHugePrefetchFactorIsAccepted() {
        try (TensorDataset data = numbered(4);
             DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(2).numWorkers(2).prefetchFactor(Integer.MAX_VALUE).build()) {
            assertEquals(List.of(List.of(0L, 1L), List.of(2L, 3L)), epoch(loader));
        }
    }

    /** A whole epoch on 4 workers, with every batch closed, leaves no tensor behind (the items are closed on the workers). */
    @Test
    void anEpochLeavesNoTensorsBehind() {
        try (TensorDataset data = numbered(64); DataLoader<Tensor[]> loader = DataLoader.builder(data).batchSize(3).shuffle(true).numWorkers(4).build()) {
            long before = Tensors.liveTensors();
            Set<Long> seen = new HashSet<>();
            epoch(loader).forEach(seen::addAll);
            assertEquals(64, seen.size());
            assertEquals(before, Tensors.liveTensors());
        }
    }
}
