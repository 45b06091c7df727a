package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Tensor;

/**
 * Average pooling to a fixed output size, as {@code torch.nn.AdaptiveAvgPool2d}: output cell
 * {@code (i, j)} averages input rows {@code floor(i*H/OH)} to {@code ceil((i+1)*H/OH) - 1} and the
 * like columns.
 */
public class AdaptiveAvgPool2d extends Module {

    private final int[] outputSize;

    public AdaptiveAvgPool2d(int outputSize) {
        this.outputSize = new int[] {outputSize};
        check();
    }

    public AdaptiveAvgPool2d(int outputH, int outputW) {
        this.outputSize = new int[] {outputH, outputW};
        check();
    }

    private void check() {
        for (int size : outputSize) {
            if (size < 1) {
                throw new IllegalArgumentException("AdaptiveAvgPool2d: output_size must be positive, got " + Repr.intOrTuple(outputSize));
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        int h = outputSize[0];
        int w = outputSize[outputSize.length - 1];
        return Functional.adaptiveAvgPool2d(input, h, w);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + Repr.intOrTuple(outputSize);
    }
}
