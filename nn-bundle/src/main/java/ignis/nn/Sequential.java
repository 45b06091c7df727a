package ignis.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import ignis.tensor.Tensor;

/**
 * Modules applied one after another, as {@code torch.nn.Sequential}: the children are named
 * {@code 0, 1, ...} (or by the names given), and {@link #forward} feeds each one's output to the next.
 * Intermediate results are closed as soon as the next module has consumed them.
 */
public class Sequential extends Module implements Iterable<Module> {

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Children with the given names, in the map's iteration order (pass a LinkedHashMap), as {@code Sequential(OrderedDict(...))}. */
    public Sequential(Map<String, ? extends Module> modules) {
        modules.forEach(this::registerModule);
    }

    /** Appends a module named by its position, as PyTorch's {@code append}. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size()), module);
        return this;
    }

    /** The module at a position (negative counts from the end). */
    public Module get(int index) {
        List<Module> all = list();
        int i = index < 0 ? index + all.size() : index;
        if (i < 0 || i >= all.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a Sequential of " + all.size() + " modules");
        }
        return all.get(i);
    }

    public int size() {
        return registeredModules().size();
    }

    private List<Module> list() {
        return new ArrayList<>(registeredModules().values());
    }

    @Override
    public Iterator<Module> iterator() {
        return list().iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : list()) {
            if (m == null) {
                continue;
            }
            Tensor y = m.forward(x);
            if (x != input && y != x) {
                x.close();
            }
            x = y;
        }
        return x == input ? Functional.alias(input) : x;
    }
}
