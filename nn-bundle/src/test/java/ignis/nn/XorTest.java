package ignis.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The end-to-end check: a 2-layer MLP learns XOR with plain gradient steps. */
class XorTest {

    @Test
    void twoLayerMlpLearnsXor() {
        Tensors.manualSeed(2024);
        long before = NnTesting.settledLiveTensors();
        try (Sequential model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 1));
             Loss criterion = new BCEWithLogitsLoss();
             var data = Tensors.scope()) {
            Tensor x = Tensors.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
            Tensor y = Tensors.of(new float[] {0, 1, 1, 0}, 4, 1);
            double loss = Double.NaN;
            for (int step = 0; step < 400; step++) {
                try (var scope = Tensors.scope()) {
                    model.zeroGrad();
                    Tensor l = criterion.forward(model.forward(x), y);
                    l.backward();
                    try (GradMode.Scope off = GradMode.noGrad()) {
                        for (Tensor p : model.parameters()) {
                            p.sub_(p.grad().mul(0.5));
                        }
                    }
                    loss = l.item();
                }
            }
            assertTrue(loss < 0.05, "final loss " + loss);
            model.eval();
            try (var scope = Tensors.scope(); GradMode.Scope off = GradMode.noGrad()) {
                float[] predictions = model.forward(x).sigmoid().toFloatArray();
                float[] expected = {0, 1, 1, 0};
                for (int i = 0; i < 4; i++) {
                    assertEquals(expected[i], Math.round(predictions[i]), "XOR of sample " + i + ": " + predictions[i]);
                }
            }
        }
        assertEquals(before, Tensors.liveTensors(), "nothing leaks from 400 training steps");
    }
}
