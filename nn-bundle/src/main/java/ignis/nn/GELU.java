package ignis.nn;

import ignis.tensor.Tensor;

/** GELU, exact ({@code "none"}, the default) or with the tanh approximation ({@code "tanh"}), as {@code torch.nn.GELU}. */
public class GELU extends Module {

    private final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.gelu(input, approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
