package ignis.tck;

import ignis.tensor.spi.TensorView;

/**
 * A tensor the kit made for one kernel call: the view the kernel sees, the logical values the kit
 * put there (what the kernel must read), and the raw contents of the whole storage before the call
 * (to check that nothing outside the output view changed).
 */
final class KitTensor {

    final String name;
    final Layout layout;
    final TensorView view;
    final Values values;
    final long span;
    final long[] before;

    KitTensor(String name, Layout layout, TensorView view, Values values, long span, long[] before) {
        this.name = name;
        this.layout = layout;
        this.view = view;
        this.values = values;
        this.span = span;
        this.before = before;
    }

    String describe() {
        return name + " " + view.dtype() + " " + Layout.shapeText(view.shape()) + " " + layout + " (strides "
                + Layout.shapeText(view.strides()) + ", offset " + view.offset() + ")";
    }
}
