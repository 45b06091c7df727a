package ignis.nn;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Modules held by name, in insertion order, as {@code torch.nn.ModuleDict}. */
public class ModuleDict extends Module {

    public ModuleDict() {
    }

    /** The entries of {@code modules}, in its iteration order (pass a LinkedHashMap). */
    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** Adds a module under a name (a name with no "." in it). */
    public ModuleDict put(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    /** The module of a name. */
    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict has no module '" + name + "'; it has " + keys());
        }
        return m;
    }

    public boolean containsKey(String name) {
        return namedChildren().containsKey(name);
    }

    public Set<String> keys() {
        return namedChildren().keySet();
    }

    public List<Module> values() {
        return children();
    }

    public Map<String, Module> items() {
        return namedChildren();
    }

    public int size() {
        return namedChildren().size();
    }
}
