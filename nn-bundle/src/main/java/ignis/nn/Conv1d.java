package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;

/**
 * A 1-D convolution over {@code [N, C, L]} (or {@code [C, L]}) inputs, as {@code torch.nn.Conv1d},
 * computed as a 2-D convolution of unit height: weight {@code [out, in/groups, k]} initialised as
 * PyTorch does, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with {@code fan_in = in/groups * k}, bias likewise. Zero padding,
 * given as a size or by name ("valid", "same").
 */
public class Conv1d extends Module {

    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    /** The padding's name where it was given by name, else null. */
    private final String paddingName;
    private final int dilation;
    private final int groups;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, DType.FLOAT32, Device.CPU);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  DType dtype, Device device) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, dtype, device);
    }

    /** Stride 1, the padding by name: "valid" (none) or "same" (the output as long as the input). */
    public Conv1d(int inChannels, int outChannels, int kernelSize, String padding) {
        this(inChannels, outChannels, kernelSize, 1, padding, 1, 1, true, DType.FLOAT32, Device.CPU);
    }

    /** The padding by name: "valid" or "same" (stride 1 only). */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation, int groups, boolean bias,
                  DType dtype, Device device) {
        this(inChannels, outChannels, kernelSize, stride, 0, padding, dilation, groups, bias, dtype, device);
    }

    private Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, String paddingName, int dilation,
                   int groups, boolean bias, DType dtype, Device device) {
        Conv2d.checkChannels("Conv1d", inChannels, outChannels, groups);
        if (kernelSize < 1 || stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("Conv1d: kernel_size, stride and dilation must be positive and padding non-negative, got "
                    + "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation);
        }
        if (paddingName != null) {
            ConvPadding.check("Conv1d", paddingName, new int[] {stride});
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.paddingName = paddingName;
        this.dilation = dilation;
        this.groups = groups;
        registerParameter("weight", Shape.of(outChannels, inChannels / groups, kernelSize), dtype, device);
        if (bias) {
            registerParameter("bias", Shape.of(outChannels), dtype, device);
        } else {
            registerParameter("bias", null);
        }
        resetParameters();
    }

    /** PyTorch's initialisation, again. */
    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu");
        if (bias() != null) {
            long fanIn = Init.calculateFanInAndFanOut(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias(), -bound, bound);
        }
    }

    public Tensor weight() {
        return getParameter("weight");
    }

    public Tensor bias() {
        return getParameter("bias");
    }

    @Override
    public Tensor forward(Tensor input) {
        return paddingName == null
                ? Functional.conv1d(input, weight(), bias(), stride, padding, dilation, groups)
                : Functional.conv1d(input, weight(), bias(), stride, paddingName, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Repr.tuple(kernelSize)).append(", stride=").append(Repr.tuple(stride));
        if (paddingName != null) {
            s.append(", padding=").append(paddingName);
        } else if (padding != 0) {
            s.append(", padding=").append(Repr.tuple(padding));
        }
        if (dilation != 1) {
            s.append(", dilation=").append(Repr.tuple(dilation));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias() == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
