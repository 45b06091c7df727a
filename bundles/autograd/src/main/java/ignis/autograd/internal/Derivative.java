package ignis.autograd.internal;

import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;
import java.util.List;

/** The gradients of an op's inputs from the gradient of its output: one entry of the table. */
@FunctionalInterface
interface Derivative {

    /** One gradient per input, null where {@code s.needsGrad(i)} is false or the gradient is zero. */
    Tensor[] apply(Saved s, Tensor grad);

    /**
     * What a derivative may read: the inputs and the output when its entry saves them (null
     * otherwise), the op's arguments, and the inputs' shapes, dtypes and devices.
     */
    record Saved(List<Tensor> inputs, Tensor output, List<Object> args, Shape[] shapes, DType[] dtypes, Device[] devices,
                 boolean[] needsGrad) {

        Tensor input(int i) {
            return inputs.get(i);
        }

        boolean needsGrad(int i) {
            return needsGrad[i];
        }

        @SuppressWarnings("unchecked")
        <T> T arg(int i) {
            return (T) args.get(i);
        }
    }

    /** A derivative with what it needs saved and the name its nodes print, such as {@code MulBackward}. */
    record Entry(String name, boolean savesInputs, boolean savesOutput, Derivative derivative) {
    }
}
