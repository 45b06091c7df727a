package ignis.data;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST: 28x28 grey images of clothing in 10 classes, 60,000 for training and 10,000 for
 * testing, read from the four IDX files (gzip-compressed or not) in a folder: the one given, or the
 * one Debian's {@code dataset-fashion-mnist} package installs.
 *
 * <p>{@link #load} gives a split as the bytes of the files; {@link #dataset} gives it as tensors, the
 * way PyTorch's {@code torchvision.datasets.FashionMNIST(..., transform=ToTensor())} does:
 * <pre>{@code
 * try (TensorDataset train = FashionMNIST.dataset(Optional.empty(), FashionMNIST.Split.TRAIN)) {
 *     DataLoader<Tensor[]> loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(1).build();
 *     ...
 * }
 * }</pre>
 */
public final class FashionMNIST {

    /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

    public static final int CLASSES = 10;
    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The training or the test part, as stored in the files. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * One split: {@code images} holds {@code count} images of HEIGHT x WIDTH pixels, row-major, each
     * pixel 0..255; {@code labels} the class of each, 0..9.
     */
    public record Examples(int count, byte[] images, byte[] labels) {

        /** Pixel {@code p} (0..783) of image {@code i}, 0..255. */
        public int pixel(int i, int p) {
            return images[i * HEIGHT * WIDTH + p] & 0xFF;
        }

        public int label(int i) {
            return labels[i];
        }

        /**
         * The examples as tensors: images float32 {@code [count, 1, 28, 28]} with each pixel divided
         * by 255 (0 is black, 1 white, as torchvision's {@code ToTensor}), labels int64 {@code [count]}.
         * The data set holds the only handles to them: close it when done.
         */
        public TensorDataset toDataset() {
            return toDataset(0, 1);
        }

        /**
         * {@link #toDataset()} with the pixels standardised as torchvision's {@code Normalize} does
         * after {@code ToTensor}: {@code (pixel / 255 - mean) / std}, each step in float32 with
         * {@code mean} and {@code std} rounded to float32, so the bits are those of the two tensor
         * operations; done here in one pass instead of two over the whole split, by a table of the 256 values a pixel
         * can take (a look-up per pixel instead of two divisions: the loop often runs before the JIT has compiled it).
         */
        public TensorDataset toDataset(double mean, double std) {
            float m = (float) mean;
            float s = (float) std;
            float[] values = new float[256];
            for (int v = 0; v < values.length; v++) {
                values[v] = (v / 255f - m) / s;
            }
            float[] pixels = new float[images.length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = values[images[i] & 0xFF];
            }
            long[] classes = new long[count];
            for (int i = 0; i < count; i++) {
                classes[i] = labels[i];
            }
            try (Tensor x = Tensors.of(pixels, count, 1, HEIGHT, WIDTH); Tensor y = Tensors.of(classes, count)) {
                return new TensorDataset(x, y);
            }
        }
    }

    private FashionMNIST() {
    }

    /**
     * Finds the folder holding the data set: {@code folder} if given, else Debian's.
     *
     * @throws DatasetNotFoundException saying how to get the files
     */
    public static Path locate(Optional<Path> folder) throws DatasetNotFoundException {
        Path dir = folder.orElse(DEBIAN_FOLDER);
        for (Split split : Split.values()) {
            for (String kind : new String[] {"images-idx3", "labels-idx1"}) {
                if (find(dir, split.prefix + "-" + kind + "-ubyte").isEmpty()) {
                    throw new DatasetNotFoundException("Fashion-MNIST not found: " + dir + " has no "
                            + split.prefix + "-" + kind + "-ubyte[.gz]. "
                            + (folder.isPresent()
                                    ? "Put the four IDX files of Fashion-MNIST there"
                                    : "Install it with: sudo apt-get install dataset-fashion-mnist (Debian), or pass --data DIR with the four IDX files"));
                }
            }
        }
        return dir;
    }

    /** Reads and checks one split from a folder that {@link #locate} found. */
    public static Examples load(Path dir, Split split) throws IOException {
        Path imageFile = find(dir, split.prefix + "-images-idx3-ubyte").orElseThrow();
        Path labelFile = find(dir, split.prefix + "-labels-idx1-ubyte").orElseThrow();
        IdxArray images = IdxReader.read(imageFile);
        IdxArray labels = IdxReader.read(labelFile);
        int[] imageShape = images.shape();
        if (images.type() != IdxType.UNSIGNED_BYTE || imageShape.length != 3 || imageShape[1] != HEIGHT || imageShape[2] != WIDTH) {
            throw new IdxFormatException(imageFile + ": expected unsigned bytes of shape [N, 28, 28], found "
                    + images.type() + " " + Arrays.toString(imageShape));
        }
        if (labels.type() != IdxType.UNSIGNED_BYTE || labels.shape().length != 1 || labels.shape()[0] != imageShape[0]) {
            throw new IdxFormatException(labelFile + ": expected " + imageShape[0] + " unsigned-byte labels, one per image of "
                    + imageFile.getFileName() + ", found " + labels.type() + " " + Arrays.toString(labels.shape()));
        }
        int[] classes = labels.toIntArray();
        byte[] labelBytes = new byte[classes.length];
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] >= CLASSES) {
                throw new IdxFormatException(labelFile + ": label " + i + " (offset " + (8 + i) + ") is " + classes[i]
                        + ", outside 0.." + (CLASSES - 1));
            }
            labelBytes[i] = (byte) classes[i];
        }
        return new Examples(imageShape[0], images.bytesUnsafe(), labelBytes);
    }

    /**
     * One split as a {@link TensorDataset} of two tensors: images float32 {@code [N, 1, 28, 28]} in
     * [0, 1] and labels int64 {@code [N]} in 0..9 (N is 60,000 for TRAIN, 10,000 for TEST). An item
     * is {@code {image [1, 28, 28], label []}}; a batch of the default collate
     * {@code {images [B, 1, 28, 28], labels [B]}}. The data set holds its tensors (about 190 MB for
     * TRAIN) until it is closed.
     *
     * @param folder the folder of the four IDX files, or empty for Debian's (see {@link #locate})
     * @throws DatasetNotFoundException saying how to get the files
     * @throws IdxFormatException       when a file is corrupt
     */
    public static TensorDataset dataset(Optional<Path> folder, Split split) throws IOException {
        return load(locate(folder), split).toDataset();
    }

    /** {@link #dataset(Optional, Split)} from the IDX files in {@code folder}. */
    public static TensorDataset dataset(Path folder, Split split) throws IOException {
        return dataset(Optional.of(folder), split);
    }

    private static Optional<Path> find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
