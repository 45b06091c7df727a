package ignis.nn.internal;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Values printed as Python prints them, for module printing that reads like PyTorch's. */
public final class Repr {

    private Repr() {
    }

    /** Python's {@code repr(float)}: {@code 0.1}, {@code 1.0}, {@code 1e-05}, {@code inf}. */
    public static String pyFloat(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale(); // v = d.ddd x 10^exponent
        String sign = v < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    /** Python's {@code repr(bool)}. */
    public static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    /** A Python tuple of ints: {@code (3, 3)}, {@code (3,)}. */
    public static String tuple(long... values) {
        String inner = Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(", "));
        return "(" + inner + (values.length == 1 ? ",)" : ")");
    }

    public static String tuple(int... values) {
        return tuple(Arrays.stream(values).asLongStream().toArray());
    }

    /** Every line after the first indented by {@code spaces}, as torch.nn.modules.module._addindent. */
    public static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        return text.replace("\n", "\n" + pad);
    }

    /** An int as PyTorch keeps what it was given: one value ({@code 2}) or a tuple ({@code (2, 3)}). */
    public static String intOrTuple(int[] values) {
        return values.length == 1 ? Integer.toString(values[0]) : tuple(values);
    }
}
