package ignis.tensor.spi;

/**
 * The geometry of a 2-D convolution, as {@code torch.nn.functional.conv2d} takes it. Output size per
 * axis: {@code (in + 2*pad - dilation*(kernel-1) - 1) / stride + 1}.
 */
public record Conv2dParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    public Conv2dParams {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride, dilation and groups must be positive and padding non-negative, got " + this);
        }
    }

    public long outH(long inH, long kernelH) {
        return (inH + 2L * padH - (long) dilationH * (kernelH - 1) - 1) / strideH + 1;
    }

    public long outW(long inW, long kernelW) {
        return (inW + 2L * padW - (long) dilationW * (kernelW - 1) - 1) / strideW + 1;
    }
}
