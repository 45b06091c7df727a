package ignis.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.data.FashionMNIST;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {

    /** Image i lights pixel 10*i fully; its label is i. A linearly separable set. */
    private static FashionMNIST.Examples separable() {
        int count = FashionMNIST.CLASSES;
        byte[] images = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            images[i * 784 + 10 * i] = (byte) 255;
            labels[i] = (byte) i;
        }
        return new FashionMNIST.Examples(count, images, labels);
    }

    @Test
    void theUntrainedModelHasTheLossOfTenEqualGuesses() {
        int[] order = {0, 1, 2, 3};
        double loss = new SoftmaxRegression().step(separable(), order, 0, 4, 0.1);
        assertEquals(4 * Math.log(10), loss, 1e-9);
    }

    @Test
    void oneStepMovesTheLabelsLogitUpByTheHandComputedAmount() {
        // With zero weights p = 0.1 for every class. For the single example 0 (pixel 0 = 1.0, label 0):
        // dL/dW[0][0] = (0.1 - 1) * 1 and dL/db[0] = -0.9, so lr 1 raises logit 0 of that image by 0.9 + 0.9 = 1.8
        // and lowers each other logit by 0.1 + 0.1 = 0.2. The loss then is -log(e^1.8 / (e^1.8 + 9 e^-0.2)).
        SoftmaxRegression model = new SoftmaxRegression();
        FashionMNIST.Examples examples = separable();
        model.step(examples, new int[] {0}, 0, 1, 1.0);
        double expected = -Math.log(Math.exp(1.8) / (Math.exp(1.8) + 9 * Math.exp(-0.2)));
        assertEquals(expected, model.step(examples, new int[] {0}, 0, 1, 0.0), 1e-6);
    }

    @Test
    void learnsASeparableSetPerfectly() {
        SoftmaxRegression model = new SoftmaxRegression();
        FashionMNIST.Examples examples = separable();
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int step = 0; step < 200; step++) {
            model.step(examples, order, 0, order.length, 1.0);
        }
        assertEquals(1.0, model.accuracy(examples));
        assertTrue(model.step(examples, order, 0, order.length, 0.0) / order.length < 0.3);
    }
}
