package ignis.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainOptionsTest {

    @Test
    void defaults() {
        assertEquals(new TrainOptions("linear", 3, 64, 0.1, 0, Optional.empty(), Optional.empty()), TrainOptions.parse());
    }

    @Test
    void readsEveryFlag() {
        assertEquals(new TrainOptions("linear", 2, 32, 0.5, 7, Optional.of(Path.of("/d")), Optional.of(Path.of("r.json"))),
                TrainOptions.parse("--epochs", "2", "--batch", "32", "--lr", "0.5", "--seed", "7", "--data", "/d", "--json", "r.json",
                        "--model", "linear"));
    }

    @Test
    void rejectsWhatItCannotRunWithAMessage() {
        assertMessage("train: unknown flag '--bogus'", "--bogus", "1");
        assertMessage("train: --epochs needs a value", "--epochs");
        assertMessage("train: --epochs needs a positive whole number, got '0'", "--epochs", "0");
        assertMessage("train: --batch needs a whole number, got 'big'", "--batch", "big");
        assertMessage("train: --lr needs a positive number, got 'NaN'", "--lr", "NaN");
        assertMessage("train: unexpected argument 'now'", "now");
        assertMessage("train: --model cnn needs the tensor, autograd and nn bundles, which have not landed yet; use --model linear",
                "--model", "cnn");
        assertMessage("train: --device arrives with the tensor-based trainer; the interim linear job runs single-threaded on cpu",
                "--device", "cuda:0");
    }

    private static void assertMessage(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> TrainOptions.parse(args)).getMessage());
    }
}
