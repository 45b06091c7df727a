package ignis.examples.serve;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /predict}: {@code {"inputs": [image, ...]}}, where each image is 784 pixel
 * values in [0, 1] (a flattened 28x28 Fashion-MNIST image, row by row) or 28 rows of 28 values.
 *
 * @param count  the number of images
 * @param pixels their values, image after image, row by row
 */
record PredictRequest(int count, float[] pixels) {

    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;

    /**
     * Reads a parsed body.
     *
     * @throws RequestException 400 naming the field or element that is wrong; 413 for more than
     *         {@code maxBatch} images
     */
    static PredictRequest of(Object body, int maxBatch) {
        if (!(body instanceof Map<?, ?> fields)) {
            throw bad("the body must be a JSON object {\"inputs\": [...]}, got " + kind(body));
        }
        for (Object key : fields.keySet()) {
            if (!key.equals("inputs")) {
                throw bad("unknown field \"" + key + "\": the body holds only \"inputs\"");
            }
        }
        if (!(fields.get("inputs") instanceof List<?> inputs)) {
            throw bad(fields.containsKey("inputs") ? "\"inputs\" must be an array of images, got " + kind(fields.get("inputs"))
                    : "missing field \"inputs\": an array of images");
        }
        if (inputs.isEmpty()) {
            throw bad("\"inputs\" is empty: send at least one image");
        }
        if (inputs.size() > maxBatch) {
            throw new RequestException(413, "\"inputs\" holds " + inputs.size() + " images, more than the limit of " + maxBatch
                    + " per request: split the batch");
        }
        float[] pixels = new float[inputs.size() * PIXELS];
        for (int i = 0; i < inputs.size(); i++) {
            String where = "inputs[" + i + "]";
            if (!(inputs.get(i) instanceof List<?> image) || image.size() != PIXELS && image.size() != SIDE) {
                throw bad(where + ": an image is " + PIXELS + " numbers or " + SIDE + " rows of " + SIDE + " numbers, got "
                        + kind(inputs.get(i)));
            }
            int at = i * PIXELS;
            if (image.size() == PIXELS) {
                read(image, where, pixels, at);
            } else {
                for (int r = 0; r < SIDE; r++) {
                    if (!(image.get(r) instanceof List<?> row) || row.size() != SIDE) {
                        throw bad(where + "[" + r + "]: a row is " + SIDE + " numbers, got " + kind(image.get(r)));
                    }
                    read(row, where + "[" + r + "]", pixels, at + r * SIDE);
                }
            }
        }
        return new PredictRequest(inputs.size(), pixels);
    }

    private static void read(List<?> values, String where, float[] pixels, int at) {
        for (int j = 0; j < values.size(); j++) {
            if (!(values.get(j) instanceof Double value)) {
                throw bad(where + "[" + j + "]: a pixel is a number, got " + kind(values.get(j)));
            }
            if (!(value >= 0 && value <= 1)) {
                throw bad(where + "[" + j + "]: pixel " + value + " is outside [0, 1] (divide 0-255 values by 255)");
            }
            pixels[at + j] = value.floatValue();
        }
    }

    private static String kind(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array of " + l.size() + (l.size() == 1 ? " value" : " values");
            case String s -> "a string";
            case Double d -> "the number " + d;
            case Boolean b -> b.toString();
            case null, default -> "null";
        };
    }

    private static RequestException bad(String message) {
        return new RequestException(400, message);
    }
}
