package ignis.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Modules held in a list, as {@code torch.nn.ModuleList}: registered (named {@code 0, 1, ...}) so that
 * their parameters are the owner's, but applied however the owner's forward chooses.
 */
public class ModuleList extends Module implements Iterable<Module> {

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public ModuleList(Iterable<? extends Module> modules) {
        extend(modules);
    }

    /** Appends a module, as PyTorch's {@code append}. */
    public ModuleList add(Module module) {
        registerModule(Integer.toString(size()), module);
        return this;
    }

    public ModuleList extend(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
        return this;
    }

    /** The module at a position (negative counts from the end). */
    public Module get(int index) {
        List<Module> all = list();
        int i = index < 0 ? index + all.size() : index;
        if (i < 0 || i >= all.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a ModuleList of " + all.size() + " modules");
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
}
