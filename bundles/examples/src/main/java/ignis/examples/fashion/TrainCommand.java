package ignis.examples.fashion;

import ignis.data.FashionMNIST;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.osgi.service.component.annotations.Component;

/** {@code ignis:train}: the main job, run by {@code ./ignis train}. */
@Component(service = TrainCommand.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=train"})
public final class TrainCommand {

    private static final int PROGRESS_WIDTH = 30;

    /** One epoch's figures, as {@code --json} writes them. */
    record EpochReport(int epoch, double trainSeconds, double samplesPerSecond, double trainLoss, double testAccuracy) {
    }

    public void train(String... args) throws IOException {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(TrainOptions.USAGE);
            return;
        }
        TrainOptions options = TrainOptions.parse(args);
        run(options, System.out);
    }

    static List<EpochReport> run(TrainOptions options, PrintStream out) throws IOException {
        Path folder = FashionMNIST.locate(options.data());
        FashionMNIST.Examples train = FashionMNIST.load(folder, FashionMNIST.Split.TRAIN);
        FashionMNIST.Examples test = FashionMNIST.load(folder, FashionMNIST.Split.TEST);
        SoftmaxRegression model = new SoftmaxRegression();
        out.printf(Locale.ROOT, "Fashion-MNIST from %s: %d training and %d test images%n", folder, train.count(), test.count());
        out.printf(Locale.ROOT, "model %s (%d parameters), plain SGD lr %s, batch %d, %d epochs, seed %d, on cpu%n",
                options.model(), model.parameterCount(), options.lr(), options.batch(), options.epochs(), options.seed());

        boolean terminal = System.console() != null;
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        List<EpochReport> reports = new ArrayList<>();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            shuffle(order, random);
            long start = System.nanoTime();
            double lossSum = 0;
            int batches = (order.length + options.batch() - 1) / options.batch();
            for (int b = 0; b < batches; b++) {
                int from = b * options.batch();
                int to = Math.min(order.length, from + options.batch());
                lossSum += model.step(train, order, from, to, options.lr());
                if (terminal && (b % 50 == 0 || b == batches - 1)) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    out.print(progressLine(epoch, options.epochs(), to, order.length, lossSum / to, to / Math.max(seconds, 1e-9)));
                    out.flush();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochReport report = new EpochReport(epoch, seconds, order.length / seconds, lossSum / order.length, model.accuracy(test));
            reports.add(report);
            if (terminal) {
                out.print("\r" + " ".repeat(100) + "\r");
            }
            out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, %.1f s, %.0f samples/s, test accuracy %.2f%%%n",
                    epoch, options.epochs(), report.trainLoss(), seconds, report.samplesPerSecond(), 100 * report.testAccuracy());
        }
        if (options.json().isPresent()) {
            Path json = options.json().get();
            Files.writeString(json, json(options, model.parameterCount(), reports));
            out.println("figures written to " + json);
        }
        return reports;
    }

    private static String progressLine(int epoch, int epochs, int done, int total, double loss, double samplesPerSecond) {
        int filled = (int) ((long) PROGRESS_WIDTH * done / total);
        return String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f %.0f samples/s",
                epoch, epochs, "=".repeat(filled), " ".repeat(PROGRESS_WIDTH - filled), done, total, loss, samplesPerSecond);
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    static String json(TrainOptions options, int parameters, List<EpochReport> reports) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "{\"model\":\"%s\",\"device\":\"cpu\",\"threads\":1,\"parameters\":%d,\"epochs\":[",
                options.model(), parameters));
        for (int i = 0; i < reports.size(); i++) {
            EpochReport r = reports.get(i);
            out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"epoch\":%d,\"train_seconds\":%.4f,\"samples_per_second\":%.1f,\"train_loss\":%.6f,\"test_accuracy\":%.6f}",
                    r.epoch(), r.trainSeconds(), r.samplesPerSecond(), r.trainLoss(), r.testAccuracy()));
        }
        return out.append("]}\n").toString();
    }
}
