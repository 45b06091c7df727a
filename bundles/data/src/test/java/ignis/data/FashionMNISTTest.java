package ignis.data;

import static ignis.data.IdxFiles.concat;
import static ignis.data.IdxFiles.gzip;
import static ignis.data.IdxFiles.header;
import static ignis.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMNISTTest {

    @TempDir
    Path dir;

    @Test
    void loadsASplitFromPlainOrGzipFiles() throws IOException {
        writeSplit("train", 2, new byte[] {3, 9}, true);
        writeSplit("t10k", 1, new byte[] {0}, false);
        assertEquals(dir, FashionMNIST.locate(Optional.of(dir)));

        FashionMNIST.Examples train = FashionMNIST.load(dir, FashionMNIST.Split.TRAIN);
        assertEquals(2, train.count());
        assertEquals(3, train.label(0));
        assertEquals(9, train.label(1));
        assertEquals(1, train.pixel(0, 1));
        assertEquals(255, train.pixel(1, 783));
        assertEquals(1, FashionMNIST.load(dir, FashionMNIST.Split.TEST).count());
    }

    @Test
    void aMissingFileSaysHowToGetTheData() throws IOException {
        writeSplit("train", 1, new byte[] {1}, true);
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> FashionMNIST.locate(Optional.of(dir)));
        assertTrue(e.getMessage().contains(dir + " has no t10k-images-idx3-ubyte[.gz]"), e.getMessage());
    }

    @Test
    void rejectsLabelsThatDoNotMatchTheImages() throws IOException {
        writeSplit("train", 2, new byte[] {1}, false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMNIST.load(dir, FashionMNIST.Split.TRAIN));
        assertTrue(e.getMessage().contains("expected 2 unsigned-byte labels"), e.getMessage());
    }

    @Test
    void rejectsALabelOutsideTheTenClasses() throws IOException {
        writeSplit("train", 2, new byte[] {1, 10}, false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMNIST.load(dir, FashionMNIST.Split.TRAIN));
        assertTrue(e.getMessage().contains("label 1 (offset 9) is 10, outside 0..9"), e.getMessage());
    }

    @Test
    void rejectsImagesOfAnotherSize() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), concat(header(0x08, 1, 32, 32), new byte[32 * 32]));
        write(dir.resolve("train-labels-idx1-ubyte"), concat(header(0x08, 1), new byte[1]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMNIST.load(dir, FashionMNIST.Split.TRAIN));
        assertTrue(e.getMessage().contains("expected unsigned bytes of shape [N, 28, 28], found UNSIGNED_BYTE [1, 32, 32]"), e.getMessage());
    }

    /** The published data set: 60,000 + 10,000 images, balanced over the 10 classes. */
    @Test
    void theDebianPackageHoldsTheWholeBalancedDataSet() throws IOException {
        assumeTrue(Files.isDirectory(FashionMNIST.DEBIAN_FOLDER), "dataset-fashion-mnist is not installed");
        Path folder = FashionMNIST.locate(Optional.empty());
        for (var split : new Object[][] {{FashionMNIST.Split.TRAIN, 60_000}, {FashionMNIST.Split.TEST, 10_000}}) {
            FashionMNIST.Examples examples = FashionMNIST.load(folder, (FashionMNIST.Split) split[0]);
            int count = (int) split[1];
            assertEquals(count, examples.count());
            int[] perClass = new int[FashionMNIST.CLASSES];
            for (int i = 0; i < examples.count(); i++) {
                perClass[examples.label(i)]++;
            }
            for (int c = 0; c < FashionMNIST.CLASSES; c++) {
                assertEquals(count / 10, perClass[c], "class " + c);
            }
        }
    }

    private void writeSplit(String prefix, int images, byte[] labels, boolean gzip) throws IOException {
        byte[] pixels = new byte[images * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 28 == 1 ? 1 : i == pixels.length - 1 ? 255 : 0);
        }
        byte[] imageFile = concat(header(0x08, images, 28, 28), pixels);
        byte[] labelFile = concat(header(0x08, labels.length), labels);
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip ? gzip(imageFile) : imageFile);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip ? gzip(labelFile) : labelFile);
    }
}
