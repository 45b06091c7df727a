package ignis.tensor;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a tensor's memory lives: {@code cpu}, {@code opencl:0}, {@code cuda:1}, or a third party's
 * device type. Immutable; equal devices compare equal.
 *
 * @param type  the device type, lower case letters, digits, '-' and '_' ({@code cpu}, {@code cuda})
 * @param index the device's index within its type, or -1 for a type with a single device
 */
public record Device(String type, int index) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*");

    /** The host: memory owned by tensor-api, always present. */
    public static final Device CPU = new Device("cpu", -1);

    public Device {
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("device type '" + type
                    + "' must start with a lower case letter and hold only a-z, 0-9, '-' and '_'");
        }
        if (index < -1) {
            throw new IllegalArgumentException("device index " + index + " of '" + type + "' must be >= 0, or -1 for none");
        }
    }

    /**
     * Parses {@code "cpu"}, {@code "cuda:0"} and the like, as PyTorch's {@code torch.device(str)} does.
     *
     * @throws IllegalArgumentException naming the text when it is not a device name
     */
    public static Device of(String name) {
        Objects.requireNonNull(name, "name");
        int colon = name.indexOf(':');
        String type = colon < 0 ? name : name.substring(0, colon);
        String indexText = colon < 0 ? null : name.substring(colon + 1);
        if (!TYPE.matcher(type).matches()
                || indexText != null && !(indexText.matches("[0-9]{1,9}"))) {
            throw new IllegalArgumentException("device '" + name
                    + "': expected TYPE or TYPE:INDEX, such as cpu or cuda:0, with TYPE in lower case letters, digits, '-' and '_'");
        }
        if (indexText == null) {
            return type.equals(CPU.type) ? CPU : new Device(type, -1);
        }
        return new Device(type, Integer.parseInt(indexText));
    }

    /** The device of the highest-ranked registered backend; cpu when none outranks it. */
    public static Device best() {
        return BackendRegistry.bestDevice();
    }

    /** Whether the device has an index ({@code cuda:0}) rather than being the only one of its type ({@code cpu}). */
    public boolean hasIndex() {
        return index >= 0;
    }

    @Override
    public String toString() {
        return hasIndex() ? type + ":" + index : type;
    }
}
