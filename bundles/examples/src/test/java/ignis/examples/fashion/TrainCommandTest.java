package ignis.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.data.FashionMNIST;
import ignis.io.SafeTensors;
import ignis.tensor.Shape;
import ignis.tensor.Device;
import ignis.tensor.Generator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    Path temp;

    @Test
    void jsonHasTheDocumentedFields() {
        String json = TrainCommand.json(TrainOptions.parse("--threads", "1"), 235146,
                List.of(new TrainCommand.EpochReport(1, 2.5, 24000, 0.61234567, 0.8123)));
        assertEquals("{\"model\":\"mlp\",\"device\":\"cpu\",\"threads\":1,\"parameters\":235146,\"epochs\":["
                + "{\"epoch\":1,\"train_seconds\":2.5000,\"samples_per_second\":24000.0,\"train_loss\":0.612346,\"test_accuracy\":0.812300}]}\n", json);
    }

    /** The reference MLP reaches about 84% on Fashion-MNIST after one epoch of Adam; 82% leaves room for the seed. */
    @Test
    void oneEpochOfTheMlpLearns() throws Exception {
        assumeTrue(Files.isDirectory(FashionMNIST.DEBIAN_FOLDER), "dataset-fashion-mnist is not installed");
        Path json = temp.resolve("report.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Generator before = Generator.defaultGenerator();
        List<TrainCommand.EpochReport> reports = TrainCommand.run(
                new TrainOptions("mlp", 1, 64, 1e-3, Device.CPU, 1, 0, Optional.empty(), temp.resolve("out"), Optional.of(json)),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(1, reports.size());
        assertSame(before, Generator.defaultGenerator(), "the run's PyTorch generator is the default only while it runs");
        assertTrue(reports.getFirst().testAccuracy() > 0.82, reports.toString());
        assertTrue(reports.getFirst().trainLoss() < 0.6, reports.toString());
        assertTrue(Files.readString(json).startsWith("{\"model\":\"mlp\",\"device\":\"cpu\",\"threads\":1,\"parameters\":235146,"));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("epoch 1/1: train loss"));
        // The saved weights read back with PyTorch's state-dict names and the model's shapes.
        try (SafeTensors.Contents saved = SafeTensors.read(temp.resolve("out/model.safetensors"))) {
            assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"), List.copyOf(saved.tensors().keySet()));
            assertEquals(Shape.of(256, 784), saved.tensors().get("1.weight").shape());
        }
        assertTrue(Files.size(temp.resolve("out/curves.png")) > 1000);
    }
}
