package ignis.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Modules held by name, in insertion order, as {@code torch.nn.ModuleDict}: a module held under two
 * keys is listed under both (where {@link #namedChildren()} lists it once).
 */
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

    /** The module of a name (null for a name registered as absent). */
    public Module get(String name) {
        if (!containsKey(name)) {
            throw new IllegalArgumentException("ModuleDict has no module '" + name + "'; it has " + keys());
        }
        return registeredModules().get(name);
    }

    public boolean containsKey(String name) {
        return registeredModules().containsKey(name);
    }

    public Set<String> keys() {
        return registeredModules().keySet();
    }

    public List<Module> values() {
        return Collections.unmodifiableList(new ArrayList<>(registeredModules().values()));
    }

    public Map<String, Module> items() {
        return registeredModules();
    }

    public int size() {
        return registeredModules().size();
    }
}
