package ignis.nn;

import ignis.nn.internal.Repr;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Shape;
import ignis.tensor.Tensor;

/**
 * A 2-D convolution over {@code [N, C, H, W]} (or {@code [C, H, W]}) inputs, as {@code torch.nn.Conv2d}:
 * weight {@code [out, in/groups, kH, kW]} initialised with kaiming_uniform(a=sqrt(5)), i.e.
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with {@code fan_in = in/groups * kH * kW}, and bias with the same bound.
 * Zero padding only, given as sizes or by name ("valid", "same"), as PyTorch's {@code padding}.
 */
public class Conv2d extends Module {

    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    /** The padding's name where it was given by name, else null. */
    private final String paddingName;
    private final int[] dilation;
    private final int groups;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {dilation},
                groups, bias, DType.FLOAT32, Device.CPU);
    }

    /** Stride 1, the padding by name: "valid" (none) or "same" (the output as large as the input). */
    public Conv2d(int inChannels, int outChannels, int kernelSize, String padding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {1}, padding, new int[] {1}, 1, true, DType.FLOAT32, Device.CPU);
    }

    /** Sizes as one int or an (h, w) pair each. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, DType dtype, Device device) {
        this(inChannels, outChannels, kernelSize, stride, Functional.pair("Conv2d", "padding", padding), null, dilation, groups, bias,
                dtype, device);
    }

    /** Sizes as one int or an (h, w) pair each, the padding by name: "valid" or "same" (stride 1 only). */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation, int groups,
                  boolean bias, DType dtype, Device device) {
        this(inChannels, outChannels, kernelSize, stride, new int[] {0, 0}, padding, dilation, groups, bias, dtype, device);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingName, int[] dilation,
                   int groups, boolean bias, DType dtype, Device device) {
        this.kernelSize = Functional.pair("Conv2d", "kernel_size", kernelSize);
        this.stride = Functional.pair("Conv2d", "stride", stride);
        this.padding = padding;
        this.paddingName = paddingName;
        this.dilation = Functional.pair("Conv2d", "dilation", dilation);
        checkChannels("Conv2d", inChannels, outChannels, groups);
        if (this.kernelSize[0] < 1 || this.kernelSize[1] < 1 || this.stride[0] < 1 || this.stride[1] < 1
                || this.padding[0] < 0 || this.padding[1] < 0 || this.dilation[0] < 1 || this.dilation[1] < 1) {
            throw new IllegalArgumentException("Conv2d: kernel_size, stride and dilation must be positive and padding non-negative, got "
                    + "kernel_size=" + Repr.tuple(this.kernelSize) + ", stride=" + Repr.tuple(this.stride)
                    + ", padding=" + Repr.tuple(this.padding) + ", dilation=" + Repr.tuple(this.dilation));
        }
        if (paddingName != null) {
            ConvPadding.check("Conv2d", paddingName, this.stride);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        registerParameter("weight", Shape.of(outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1]), dtype, device);
        if (bias) {
            registerParameter("bias", Shape.of(outChannels), dtype, device);
        } else {
            registerParameter("bias", null);
        }
        resetParameters();
    }

    static void checkChannels(String layer, int inChannels, int outChannels, int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException(layer + ": groups must be a positive integer, got " + groups);
        }
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException(layer + ": in_channels and out_channels must be positive, got " + inChannels
                    + " and " + outChannels);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(layer + ": in_channels " + inChannels + " and out_channels " + outChannels
                    + " must both be divisible by groups " + groups);
        }
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
                ? Functional.conv2d(input, weight(), bias(), stride, padding, dilation, groups)
                : Functional.conv2d(input, weight(), bias(), stride, paddingName, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Repr.tuple(kernelSize)).append(", stride=").append(Repr.tuple(stride));
        if (paddingName != null) {
            s.append(", padding=").append(paddingName);
        } else if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(Repr.tuple(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
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
