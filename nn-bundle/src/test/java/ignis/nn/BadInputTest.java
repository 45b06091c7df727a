package ignis.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong ranks, channel counts, class indices and settings fail with the facts in the message. */
class BadInputTest {

    private static void fails(Executable call, String... facts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fact : facts) {
            assertTrue(e.getMessage().contains(fact), "message should name '" + fact + "': " + e.getMessage());
        }
    }

    @Test
    void layersNameShapesAndCounts() {
        try (var scope = Tensors.scope(); Linear linear = new Linear(3, 2); Conv2d conv = new Conv2d(3, 4, 3);
             BatchNorm2d bn = new BatchNorm2d(3); BatchNorm1d bn1 = new BatchNorm1d(3); LayerNorm ln = new LayerNorm(4);
             Embedding embedding = new Embedding(10, 2); Conv1d conv1 = new Conv1d(2, 2, 2)) {
            fails(() -> linear.forward(Tensors.zeros(5, 4)), "[5, 4]", "in_features=3", "got 4");
            fails(() -> conv.forward(Tensors.zeros(2, 5, 5)), "[2, 5, 5]");
            fails(() -> conv.forward(Tensors.zeros(1, 2, 5, 5)), "[1, 2, 5, 5]", "2 channels", "expects 3");
            fails(() -> conv.forward(Tensors.zeros(8, 8)), "3-D", "4-D", "[8, 8]");
            fails(() -> conv1.forward(Tensors.zeros(1, 3, 5)), "3 channels", "expects 2");
            fails(() -> bn.forward(Tensors.zeros(2, 3, 4)), "4D", "[2, 3, 4]");
            fails(() -> bn.forward(Tensors.zeros(2, 5, 4, 4)), "5", "[2, 5, 4, 4]", "3 channels");
            fails(() -> bn1.forward(Tensors.zeros(1, 3)), "more than 1 value per channel", "[1, 3]");
            assertEquals(0, bn1.getBuffer("num_batches_tracked").itemLong(), "a refused batch is not counted (PyTorch counts it)");
            fails(() -> bn.forward(Tensors.zeros(1, 3, 1, 1)), "more than 1 value per channel", "[1, 3, 1, 1]");
            // a float32 module and a float64 input: torch 1.13 refuses both ("expected scalar type Double but found Float")
            var doubles = Tensors.full(5.0, 2, 3).to(ignis.tensor.DType.FLOAT64);
            fails(() -> bn1.forward(doubles), "float64", "float32", "same dtype");
            assertEquals(0, bn1.getBuffer("num_batches_tracked").itemLong(), "a refused batch is not counted");
            assertEquals(0, bn1.runningMean().sum().item(), "nor averaged in");
            try (LayerNorm ln3 = new LayerNorm(3)) {
                fails(() -> ln3.forward(doubles), "layerNorm", "float64", "weight float32");
            }
            fails(() -> ln.forward(Tensors.zeros(2, 5)), "[2, 5]", "[4]");
            fails(() -> embedding.forward(Tensors.of(new long[] {1, 12})), "index 12", "10 embeddings");
            fails(() -> embedding.forward(Tensors.zeros(2)), "int64 or int32", "float32");
            fails(() -> new MaxPool2d(2).forward(Tensors.zeros(4, 4)), "[4, 4]");
            fails(() -> new AdaptiveAvgPool2d(2).forward(Tensors.zeros(1, 1, 1, 1, 1)), "[1, 1, 1, 1, 1]");
            fails(() -> new AdaptiveAvgPool2d(2).forward(Tensors.of(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3)),
                    "floating-point", "int64", "[1, 1, 3, 3]");
            // torch 1.13: "pad should be at most half of kernel size, but got pad=2 and kernel_size=2"
            fails(() -> new MaxPool2d(2, 2, 2).forward(Tensors.zeros(1, 1, 4, 4)), "half the kernel size", "kernel_size=(2, 2)",
                    "padding=(2, 2)", "[1, 1, 4, 4]");
            fails(() -> new AvgPool2d(new int[] {3, 2}, null, new int[] {1, 2}, false, true).forward(Tensors.zeros(1, 1, 4, 4)),
                    "kernel_size=(3, 2)", "padding=(1, 2)");
            fails(() -> new MaxPool2d(2, 0).forward(Tensors.zeros(1, 1, 4, 4)), "stride=(0, 0)");
        }
    }

    @Test
    void settingsAreChecked() {
        fails(() -> new Dropout(1.5), "1.5");
        fails(() -> new Conv2d(3, 4, 3, 1, 0, 1, 2, true), "divisible by groups 2");
        fails(() -> new GELU("fast"), "'fast'");
        fails(() -> new MSELoss("avg"), "unknown reduction 'avg'", "'none', 'mean' or 'sum'");
        fails(() -> Reduction.of("elementwise_mean"), "elementwise_mean");
        fails(() -> new CrossEntropyLoss(1.2), "1.2");
        fails(() -> new Embedding(5, 2, 7), "padding_idx 7");
    }

    @Test
    void lossesNameTargetsAndShapes() {
        try (var scope = Tensors.scope()) {
            var logits = Tensors.zeros(4, 3);
            fails(() -> Functional.crossEntropy(logits, Tensors.of(new long[] {0, 1, 5, 2})), "target 5", "3 classes");
            fails(() -> Functional.crossEntropy(logits, Tensors.of(new long[] {0, -2, 1, 2})), "target -2");
            fails(() -> Functional.crossEntropy(logits, Tensors.of(new long[] {0, 1, 2})), "[3]", "[4, 3]");
            fails(() -> Functional.crossEntropy(logits, Tensors.zeros(4, 2)), "[4, 2]", "[4, 3]");
            // torch 1.13: "ignore_index is not supported for floating point target"
            fails(() -> Functional.crossEntropy(logits, Tensors.zeros(4, 3), null, 1, Reduction.MEAN, 0), "ignore_index", "1");
            fails(() -> Functional.nllLoss(logits, Tensors.of(new long[] {0, 1, 2, 0}), Tensors.ones(2),
                    -100, Reduction.MEAN), "weight [2]", "[3]");
            fails(() -> Functional.nllLoss(logits, Tensors.zeros(4)), "class indices", "float32");
            fails(() -> Functional.mseLoss(Tensors.zeros(4, 1), Tensors.zeros(4)), "[4, 1]", "[4]");
            fails(() -> Functional.binaryCrossEntropy(Tensors.of(new float[] {0.5f, 1.5f}), Tensors.zeros(2)), "between 0 and 1");
            fails(() -> Functional.smoothL1Loss(Tensors.zeros(2), Tensors.zeros(2), Reduction.SUM, -1), "beta", "-1");
        }
    }
}
