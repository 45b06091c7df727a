package ignis.runtime.commands;

import ignis.tensor.BackendRegistry;
import ignis.tensor.RegisteredBackend;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** The {@code ignis:} commands of the Gogo shell, also run by {@code ./ignis COMMAND}. */
@Component(service = IgnisCommands.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=devices"})
public final class IgnisCommands {

    /** The registered backends: name, device, ranking and the bundle that provides each. */
    public String devices() {
        return devicesTable(BackendRegistry.backends());
    }

    static String devicesTable(List<RegisteredBackend> backends) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BACKEND", "DEVICE", "RANKING", "BUNDLE"});
        for (RegisteredBackend r : backends) {
            rows.add(new String[] {r.backend().name(), r.backend().device().toString(),
                    Integer.toString(r.backend().ranking()), r.origin()});
        }
        String table = TextTable.format(rows);
        if (backends.isEmpty()) {
            table += "\n(no backends registered: drop a backend bundle into the deploy folder)";
        }
        return table;
    }
}
