package ignis.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ignis.tensor.Device;
import ignis.tensor.Tensors;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainOptionsTest {

    @Test
    void defaultsAreTheReferenceRecipe() {
        assertEquals(new TrainOptions("mlp", 3, 64, 1e-3, Device.CPU, Tensors.numThreads(), 0, Optional.empty(), Path.of("runs", "fashion-mnist-mlp"),
                Optional.empty()), TrainOptions.parse());
        assertEquals(2, TrainOptions.parse("--model", "cnn").epochs());
    }

    @Test
    void readsEveryFlag() {
        assertEquals(new TrainOptions("cnn", 2, 32, 0.5, Device.of("opencl:0"), 3, 7, Optional.of(Path.of("/d")), Path.of("/o"),
                        Optional.of(Path.of("r.json"))),
                TrainOptions.parse("--epochs", "2", "--batch", "32", "--lr", "0.5", "--seed", "7", "--data", "/d", "--json", "r.json",
                        "--model", "cnn", "--device", "opencl:0", "--threads", "3", "--out", "/o"));
    }

    @Test
    void rejectsWhatItCannotRunWithAMessage() {
        assertMessage("train: unknown flag '--bogus'", "--bogus", "1");
        assertMessage("train: --epochs needs a value", "--epochs");
        assertMessage("train: --epochs needs a positive whole number, got '0'", "--epochs", "0");
        assertMessage("train: --batch needs a whole number, got 'big'", "--batch", "big");
        assertMessage("train: --lr needs a positive number, got 'NaN'", "--lr", "NaN");
        assertMessage("train: unexpected argument 'now'", "now");
        assertMessage("train: unknown model 'resnet': expected mlp or cnn", "--model", "resnet");
        assertMessage("train: --threads needs a positive whole number, got '0'", "--threads", "0");
        assertMessage("device 'GPU': expected TYPE or TYPE:INDEX, such as cpu or cuda:0, with TYPE in lower case letters, digits, '-' and '_'",
                "--device", "GPU");
    }

    private static void assertMessage(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(args)).getMessage());
    }
}
