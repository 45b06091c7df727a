package ignis.runtime.commands;

import ignis.nn.Module;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.Placement;
import ignis.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * {@code ignis:move NAME DEVICE [POLICY]}: moves a module registered as a service to a device. The only
 * class of the runtime that uses {@code ignis.nn}, which the bundle imports dynamically: load it only
 * once the nn bundle is known to be there.
 */
final class ModuleMove {

    /** The device argument that means "wherever the best device is": placement FOLLOW_BEST. */
    static final String BEST = "best";

    private ModuleMove() {
    }

    /** Finds the module named {@code name} among the services, the highest-ranked if several, and moves it. */
    static String move(BundleContext context, String name, String device, String policy) {
        ServiceReference<Module> reference = find(context, name);
        Module module = context.getService(reference);
        if (module == null) {
            throw new IllegalStateException("module '" + name + "' went away while it was being moved");
        }
        try {
            return move(module, name, device, policy);
        } finally {
            context.ungetService(reference);
        }
    }

    /**
     * Moves {@code module} to {@code device} ({@link Module#to}), then sets its placement when a policy is
     * given; {@code best} places it {@link Placement#FOLLOW_BEST}. Returns where it now is.
     *
     * @param policy strict, fallback or follow_best; null to keep the placement
     */
    static String move(Module module, String name, String device, String policy) {
        Placement placement = policy == null ? null : placement(policy);
        if (device.equals(BEST)) {
            if (placement != null && placement != Placement.FOLLOW_BEST) {
                throw new IllegalArgumentException("move " + name + " best " + policy
                        + ": device 'best' means placement follow_best; name a device to place the module " + policy);
            }
            module.place(Placement.FOLLOW_BEST);
        } else {
            module.to(knownDevice(device));
            if (placement != null) {
                module.place(placement);
            }
        }
        return describe(name, module);
    }

    private static Placement placement(String policy) {
        try {
            return Placement.valueOf(policy.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown placement '" + policy + "': expected strict, fallback or follow_best");
        }
    }

    private static Device knownDevice(String name) {
        Device device = Device.of(name);
        if (!BackendRegistry.hasBackend(device)) {
            throw new IllegalArgumentException("no backend for device " + device + " is registered; devices with a backend: "
                    + IgnisCommands.devicesWithBackend() + " (or 'best' to follow the best device)");
        }
        return device;
    }

    /** {@code module 'mlp' on opencl:0, placement FALLBACK: 2 parameters, 0 buffers, 3.1 KiB}. */
    static String describe(String name, Module module) {
        List<Tensor> parameters = module.parameters();
        List<Tensor> buffers = module.buffers();
        List<Tensor> all = new ArrayList<>(parameters);
        all.addAll(buffers);
        long bytes = all.stream().mapToLong(t -> t.numel() * t.dtype().byteSize()).sum();
        return "module '" + name + "' on " + distinct(all, t -> t.device().toString())
                + ", placement " + distinct(all, t -> t.placement().toString()) + ": "
                + parameters.size() + (parameters.size() == 1 ? " parameter, " : " parameters, ")
                + buffers.size() + (buffers.size() == 1 ? " buffer, " : " buffers, ") + ByteSize.format(bytes);
    }

    private static String distinct(List<Tensor> tensors, Function<Tensor, String> property) {
        TreeSet<String> values = tensors.stream().map(property).collect(Collectors.toCollection(TreeSet::new));
        return values.isEmpty() ? "-" : String.join(" and ", values);
    }

    private static ServiceReference<Module> find(BundleContext context, String name) {
        List<ServiceReference<Module>> found = references(context, "(" + Module.NAME_PROPERTY + "=" + escape(name) + ")");
        if (found.isEmpty()) {
            List<String> names = references(context, "(" + Module.NAME_PROPERTY + "=*)").stream()
                    .map(r -> Objects.toString(r.getProperty(Module.NAME_PROPERTY))).sorted().toList();
            throw new IllegalArgumentException("no module named '" + name + "' is registered; "
                    + (names.isEmpty() ? "there is none (a module is an " + Module.class.getName() + " service with the property "
                            + Module.NAME_PROPERTY + ")" : "modules: " + names));
        }
        return Collections.max(found);
    }

    private static List<ServiceReference<Module>> references(BundleContext context, String filter) {
        try {
            return List.copyOf(context.getServiceReferences(Module.class, filter));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("cannot look a module up with the filter " + filter + ": " + e.getMessage(), e);
        }
    }

    /** Escapes the characters that are syntax in an LDAP filter value. */
    private static String escape(String value) {
        return value.replaceAll("([\\\\()*])", "\\\\$1");
    }
}
