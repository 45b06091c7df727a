package ignis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.tensor.DType;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMNISTDatasetTest {

    @TempDir
    Path dir;

    @Test
    void pixelsAreScaledToZeroOneAndLabelsAreInt64() throws IOException {
        byte[] pixels = new byte[2 * 784];
        pixels[0] = (byte) 255;
        pixels[1] = (byte) 51;
        pixels[784 + 783] = (byte) 128;
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.concat(IdxFiles.header(0x08, 2, 28, 28), pixels));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.concat(IdxFiles.header(0x08, 2), new byte[] {9, 4}));
        FashionMNIST.Examples examples = FashionMNIST.load(dir, FashionMNIST.Split.TRAIN);
        try (TensorDataset data = examples.toDataset(); TensorScope scope = Tensors.scope()) {
            Tensor images = data.tensor(0);
            Tensor labels = data.tensor(1);
            assertEquals(Shape.of(2, 1, 28, 28), images.shape());
            assertEquals(DType.FLOAT32, images.dtype());
            assertEquals(DType.INT64, labels.dtype());
            assertArrayEquals(new long[] {9, 4}, labels.toLongArray());
            float[] values = images.toFloatArray();
            assertEquals(1f, values[0]);
            assertEquals(0.2f, values[1]);
            assertEquals(128 / 255f, values[784 + 783]);
            assertEquals(0f, values[2]);
        }
    }

    @Test
    void standardisedPixelsHaveTheBitsOfTheTwoTensorOperations() throws IOException {
        byte[] pixels = new byte[784];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (byte) (p * 37);
        }
        pixels[7] = (byte) 255;
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.concat(IdxFiles.header(0x08, 1, 28, 28), pixels));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.concat(IdxFiles.header(0x08, 1), new byte[] {3}));
        FashionMNIST.Examples examples = FashionMNIST.load(dir, FashionMNIST.Split.TEST);
        try (TensorDataset standardised = examples.toDataset(0.2860, 0.3530);
             TensorDataset scaled = examples.toDataset();
             TensorScope scope = Tensors.scope()) {
            float[] fused = standardised.tensor(0).toFloatArray();
            assertArrayEquals(scaled.tensor(0).sub(0.2860).div(0.3530).toFloatArray(), fused);
            // pixel 255 by hand, in float32: (1 - 0.286f) / 0.353f
            assertEquals(0.714f / 0.353f, fused[7], 1e-6f);
            assertEquals(-0.2860f / 0.3530f, fused[0]);
            assertArrayEquals(new long[] {3}, standardised.tensor(1).toLongArray());
        }
    }

    /**
     * The installed data set as tensors: shapes, dtypes, balanced labels, pixel range and mean (over
     * the test split; the reference backend's reductions over all 47M training pixels would take
     * seconds), and training images that match the bytes of the file.
     */
    @Test
    void theInstalledSplitsAsTensors() throws IOException {
        assumeTrue(Files.isDirectory(FashionMNIST.DEBIAN_FOLDER), "dataset-fashion-mnist is not installed");
        long before = Tensors.liveTensors();
        for (FashionMNIST.Split split : FashionMNIST.Split.values()) {
            int n = split == FashionMNIST.Split.TRAIN ? 60_000 : 10_000;
            FashionMNIST.Examples examples = FashionMNIST.load(FashionMNIST.locate(Optional.empty()), split);
            try (TensorDataset data = examples.toDataset(); TensorScope scope = Tensors.scope()) {
                assertEquals(n, data.size());
                Tensor images = data.tensor(0);
                Tensor labels = data.tensor(1);
                assertEquals(Shape.of(n, 1, 28, 28), images.shape());
                assertEquals(DType.FLOAT32, images.dtype());
                assertEquals(Shape.of(n), labels.shape());
                assertEquals(DType.INT64, labels.dtype());
                long[] perClass = new long[FashionMNIST.CLASSES];
                long[] all = labels.toLongArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(examples.label(i), all[i]);
                    perClass[(int) all[i]]++;
                }
                long[] balanced = new long[FashionMNIST.CLASSES];
                java.util.Arrays.fill(balanced, n / FashionMNIST.CLASSES);
                assertArrayEquals(balanced, perClass, "every class has a tenth of the examples");
                for (int i : new int[] {0, 1234, n - 1}) {
                    float[] image = images.select(0, i).toFloatArray();
                    for (int p = 0; p < 784; p++) {
                        assertEquals(examples.pixel(i, p) / 255f, image[p], "pixel " + p + " of image " + i);
                    }
                }
                if (split == FashionMNIST.Split.TEST) {
                    assertEquals(0.0, images.min().item());
                    assertEquals(1.0, images.max().item());
                    assertEquals(0.2868, images.mean().item(), 0.001, "Fashion-MNIST's mean test pixel");
                }
            }
        }
        try (TensorDataset viaFolder = FashionMNIST.dataset(FashionMNIST.DEBIAN_FOLDER, FashionMNIST.Split.TEST)) {
            assertEquals(10_000, viaFolder.size());
        }
        assertEquals(before, Tensors.liveTensors());
    }

    @Test
    void aLoaderPassOverTheInstalledTestSplit() throws IOException {
        assumeTrue(Files.isDirectory(FashionMNIST.DEBIAN_FOLDER), "dataset-fashion-mnist is not installed");
        try (TensorDataset test = FashionMNIST.dataset(Optional.empty(), FashionMNIST.Split.TEST);
             DataLoader<Tensor[]> loader = DataLoader.builder(test).batchSize(256).shuffle(true).seed(3).numWorkers(2).build()) {
            long[] perClass = new long[FashionMNIST.CLASSES];
            int batches = 0;
            try (DataLoader.BatchIterator<Tensor[]> it = loader.iterator()) {
                while (it.hasNext()) {
                    try (TensorScope scope = Tensors.scope()) {
                        Tensor[] batch = it.next();
                        long b = batch[1].size(0);
                        assertEquals(Shape.of(b, 1, 28, 28), batch[0].shape());
                        for (long label : batch[1].toLongArray()) {
                            perClass[(int) label]++;
                        }
                        batches++;
                    }
                }
            }
            assertEquals(40, batches);
            for (long c : perClass) {
                assertEquals(1000, c);
            }
        }
    }
}
