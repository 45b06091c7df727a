package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.Tensor;

/** 2-D average pooling over {@code [N, C, H, W]} (or {@code [C, H, W]}), as {@code torch.nn.AvgPool2d}; the stride defaults to the kernel size. */
public class AvgPool2d extends Module {

    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, false, true);
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, false, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true);
    }

    /** Each size one int or an (h, w) pair; a null stride is the kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        Functional.pair("AvgPool2d", "kernel_size", kernelSize);
        Functional.pair("AvgPool2d", "padding", padding);
        if (stride != null) {
            Functional.pair("AvgPool2d", "stride", stride);
        }
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding);
    }
}
