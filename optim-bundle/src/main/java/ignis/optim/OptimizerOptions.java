package ignis.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options given to an optimizer or to one of its param groups, as the keyword arguments of a
 * {@code torch.optim} constructor: only the options that were set, each checked when it is set.
 * Each optimizer has its own subclass with typed setters ({@code Adam.options().lr(1e-3).amsgrad(true)});
 * the options not set come from the optimizer's defaults.
 */
public abstract sealed class OptimizerOptions
        permits SGD.Options, Adam.Options, AdamW.Options, RMSprop.Options, Adagrad.Options {

    private final OptionSchema schema;
    private final Map<String, Object> values = new LinkedHashMap<>();

    OptimizerOptions(OptionSchema schema) {
        this.schema = schema;
    }

    /** Checks and records one option; fails with IllegalArgumentException naming the value. */
    final void put(String key, Object value) {
        values.put(key, schema.check(key, value));
    }

    final OptionSchema schema() {
        return schema;
    }

    /** The options set so far, by their PyTorch names. */
    public final Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return schema.optimizer() + ".options" + values;
    }
}
