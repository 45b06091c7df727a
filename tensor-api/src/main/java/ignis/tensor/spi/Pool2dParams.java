package ignis.tensor.spi;

/**
 * The geometry of 2-D pooling, as {@code torch.nn.functional.max_pool2d} and {@code avg_pool2d} take
 * it. Output size per axis: {@code (in + 2*pad - dilation*(kernel-1) - 1 (+ stride-1 with ceilMode)) / stride + 1},
 * less one when ceil mode makes the last window start in the right padding.
 */
public record Pool2dParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {

    public Pool2dParams {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("pool2d: kernel, stride and dilation must be positive, got "
                    + given(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW));
        }
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("pool2d: padding must be non-negative and at most half the kernel size, got "
                    + given(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW));
        }
    }

    /** The arguments, for messages: in the constructor the fields are not assigned yet, so toString() would print zeros. */
    private static String given(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
        return "kernel (" + kernelH + ", " + kernelW + "), stride (" + strideH + ", " + strideW + "), padding (" + padH + ", " + padW
                + "), dilation (" + dilationH + ", " + dilationW + ")";
    }

    public long outH(long inH) {
        return outSize(inH, kernelH, strideH, padH, dilationH);
    }

    public long outW(long inW) {
        return outSize(inW, kernelW, strideW, padW, dilationW);
    }

    private long outSize(long in, int kernel, int stride, int pad, int dilation) {
        long span = in + 2L * pad - (long) dilation * (kernel - 1) - 1;
        long out = (ceilMode ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }
}
