package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Tensor;

/** 2-D max pooling over {@code [N, C, H, W]} (or {@code [C, H, W]}), as {@code torch.nn.MaxPool2d}; the stride defaults to the kernel size. */
public class MaxPool2d extends Module {

    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    /** Each size one int or an (h, w) pair; a null stride is the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Functional.pair("MaxPool2d", "kernel_size", kernelSize);
        Functional.pair("MaxPool2d", "padding", padding);
        Functional.pair("MaxPool2d", "dilation", dilation);
        this.kernelSize = kernelSize.clone();
        if (stride != null) {
            Functional.pair("MaxPool2d", "stride", stride);
        }
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding) + ", dilation=" + Repr.intOrTuple(dilation) + ", ceil_mode=" + Repr.pyBool(ceilMode);
    }
}
