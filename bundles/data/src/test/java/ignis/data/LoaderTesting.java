package ignis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Data sets and checks shared by the data loader tests. */
final class LoaderTesting {

    private LoaderTesting() {
    }

    /** {@code x[i] = {i, i + 0.5}} float32 [n, 2] and {@code y[i] = i} int64 [n]: a batch's y names its indices. */
    static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = i + 0.5f;
            y[i] = i;
        }
        try (Tensor xs = Tensors.of(x, n, 2); Tensor ys = Tensors.of(y, n)) {
            return new TensorDataset(xs, ys);
        }
    }

    /** The indices of every batch of one epoch, closing the batches. */
    static List<List<Long>> epoch(DataLoader<Tensor[]> loader) {
        List<List<Long>> out = new ArrayList<>();
        try (DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
            while (it.hasNext()) {
                Tensor[] batch = it.next();
                try {
                    out.add(indicesOf(batch));
                } finally {
                    Batches.close(batch);
                }
            }
        }
        return out;
    }

    /** The y values of a batch of {@link #numbered}, checking that its x rows match. */
    static List<Long> indicesOf(Tensor[] batch) {
        long[] y = batch[1].toLongArray();
        float[] x = batch[0].toFloatArray();
        assertEquals(2 * y.length, x.length, "x and y batches of different lengths");
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i], x[2 * i], "x row " + i + " does not belong with y " + y[i]);
            assertEquals(y[i] + 0.5f, x[2 * i + 1]);
            out.add(y[i]);
        }
        return out;
    }

    /** The loader worker threads alive now. */
    static Set<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("ignis-data-"))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
