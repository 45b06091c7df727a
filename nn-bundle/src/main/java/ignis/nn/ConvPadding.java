package ignis.nn;

import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * A convolution's padding given by name, as PyTorch's {@code padding='valid'} (none) and {@code padding='same'} (each
 * output as long as its input, stride 1 only), resolved for a kernel: the zeros {@code before} each spatial dimension,
 * and the one zero more {@code after} it that an odd total leaves ('same' with an even dilated kernel), at the end as
 * PyTorch puts it.
 */
record ConvPadding(int[] before, int[] after) {

    /**
     * @throws IllegalArgumentException for a name other than 'valid' and 'same', or 'same' with a stride other than 1
     */
    static void check(String op, String padding, int[] stride) {
        if (!"valid".equals(padding) && !"same".equals(padding)) {
            throw new IllegalArgumentException(op + ": invalid padding string '" + padding + "', should be one of 'valid' or 'same'");
        }
        if (padding.equals("same") && Arrays.stream(stride).anyMatch(s -> s != 1)) {
            throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions (stride "
                    + Arrays.toString(stride) + ")");
        }
    }

    /** The padding named {@code padding} for a kernel of {@code kernel} with {@code dilation}, one entry per spatial dimension. */
    static ConvPadding of(String op, String padding, int[] stride, long[] kernel, int[] dilation) {
        check(op, padding, stride);
        int[] before = new int[kernel.length];
        int[] after = new int[kernel.length];
        if (padding.equals("same")) {
            for (int i = 0; i < kernel.length; i++) {
                int total = Math.toIntExact(dilation[i] * (kernel[i] - 1));
                before[i] = total / 2;
                after[i] = total - 2 * before[i];
            }
        }
        return new ConvPadding(before, after);
    }

    /**
     * {@code input} with the {@code after} zeros appended to its last spatial dimensions, differentiably; {@code input}
     * itself when there are none. Call it inside a scope: the padded tensors are the scope's.
     */
    Tensor padEnds(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < after.length; i++) {
            if (after[i] != 0) {
                int dim = x.dim() - after.length + i;
                long[] zeros = x.shape().toArray();
                zeros[dim] = after[i];
                x = Tensors.cat(List.of(x, Tensors.zeros(Shape.of(zeros), x.dtype(), x.device())), dim);
            }
        }
        return x;
    }
}
