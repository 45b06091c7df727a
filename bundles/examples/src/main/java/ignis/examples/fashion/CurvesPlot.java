package ignis.examples.fashion;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The training curves as a PNG: the loss over the training steps, and the test accuracy after each epoch. */
final class CurvesPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;
    private static final int MARGIN = 50;

    private CurvesPlot() {
    }

    /**
     * @param losses     the mean training loss of successive groups of steps
     * @param accuracies the test accuracy after each epoch, in [0, 1]
     * @return whether the plot has its text: a machine with no fonts (a bare container, where Java2D
     *         throws "Fontconfig head is null") gets the curves without it
     */
    static boolean write(Path file, String title, List<Double> losses, List<Double> accuracies) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        boolean text = canDrawText(g);
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            label(g, text, title, MARGIN, 20);
            int panel = (WIDTH - 3 * MARGIN) / 2;
            double maxLoss = losses.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            panel(g, text, MARGIN, panel, "training loss", losses, 0, Math.max(maxLoss, 1e-9), new Color(0x1f77b4));
            double minAccuracy = Math.floor(accuracies.stream().mapToDouble(Double::doubleValue).min().orElse(0) * 20) / 20;
            panel(g, text, 2 * MARGIN + panel, panel, "test accuracy per epoch", accuracies, Math.min(minAccuracy, 0.95), 1, new Color(0xd62728));
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".plot-", ".png");
        ImageIO.write(image, "png", temp.toFile());
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return text;
    }

    /** Sets the font, or says that there is none to set: Java2D finds its fonts at the first use of one. */
    private static boolean canDrawText(Graphics2D g) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.getFontMetrics();
            return true;
        } catch (RuntimeException | LinkageError | InternalError e) {
            return false;
        }
    }

    private static void label(Graphics2D g, boolean text, String label, int x, int y) {
        if (text) {
            g.drawString(label, x, y);
        }
    }

    private static void panel(Graphics2D g, boolean text, int left, int width, String label, List<Double> values, double low, double high, Color color) {
        int top = 40;
        int bottom = HEIGHT - MARGIN;
        g.setColor(Color.GRAY);
        g.drawRect(left, top, width, bottom - top);
        g.setColor(Color.BLACK);
        label(g, text, label, left, top - 6);
        label(g, text, String.format(Locale.ROOT, "%.3f", high), left - 45, top + 10);
        label(g, text, String.format(Locale.ROOT, "%.3f", low), left - 45, bottom);
        if (values.isEmpty()) {
            return;
        }
        Path2D line = new Path2D.Double();
        for (int i = 0; i < values.size(); i++) {
            double x = left + (values.size() == 1 ? width / 2.0 : (double) i * width / (values.size() - 1));
            double y = bottom - (values.get(i) - low) / (high - low) * (bottom - top);
            if (i == 0) {
                line.moveTo(x, y);
            } else {
                line.lineTo(x, y);
            }
            if (values.size() <= 50) {
                g.setColor(color);
                g.fillOval((int) x - 3, (int) y - 3, 6, 6);
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2));
        g.draw(line);
        g.setStroke(new BasicStroke(1));
    }
}
