package ignis.examples.fashion;

import ignis.data.DataLoader;
import ignis.data.FashionMNIST;
import ignis.data.RandomSampler;
import ignis.data.TensorDataset;
import ignis.io.SafeTensors;
import ignis.nn.CrossEntropyLoss;
import ignis.nn.Module;
import ignis.optim.Adam;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Generator;
import ignis.tensor.GradMode;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** {@code ignis:train}: the main job, run by {@code ./ignis train}. */
@Component(service = TrainCommand.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=train"})
public final class TrainCommand {

    private static final int PROGRESS_WIDTH = 30;
    /** The reference script's input normalisation: pixels/255, then (x - mean) / std. */
    public static final double MEAN = 0.2860;
    public static final double STD = 0.3530;
    private static final int EVAL_BATCH = 1000;
    /** The training loss is plotted as the mean of every this many steps. */
    private static final int PLOT_STEPS = 50;

    /** One epoch's figures, as {@code --json} writes them. */
    record EpochReport(int epoch, double trainSeconds, double samplesPerSecond, double trainLoss, double testAccuracy) {
    }

    public void train(String... args) throws IOException {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(TrainOptions.USAGE);
            return;
        }
        TrainOptions options = TrainOptions.parse(args);
        int threads = Tensors.numThreads();
        Tensors.setNumThreads(options.threads());
        try {
            run(options, System.out);
        } finally {
            Tensors.setNumThreads(threads);
        }
    }

    static List<EpochReport> run(TrainOptions options, PrintStream out) throws IOException {
        if (!BackendRegistry.hasBackend(options.device())) {
            throw new IllegalArgumentException("train: no backend for device " + options.device() + " is registered; devices with a backend: "
                    + BackendRegistry.devices());
        }
        Path folder = FashionMNIST.locate(options.data());
        // Made before the seed is set, so that the throwaway models' initialisations leave the real one's as it is.
        Warmup warmup = new Warmup(Models.proxy(options.model()), Models.named(options.model()), options.batch(), options.lr(),
                options.device());
        Generator previous = Generator.defaultGenerator();
        // The reference script's random streams: torch.manual_seed(seed) for the initialisation, and each
        // epoch's order from torch.randperm of a second generator seeded alike, so that a seed starts
        // from PyTorch's weights and visits the images in PyTorch's order.
        Generator.setDefault(Generator.mt19937(options.seed()));
        try {
            return train(options, out, folder, warmup);
        } finally {
            Generator.setDefault(previous);
        }
    }

    private static List<EpochReport> train(TrainOptions options, PrintStream out, Path folder, Warmup warmup) throws IOException {
        List<EpochReport> reports = new ArrayList<>();
        try (warmup;
             TensorDataset train = FashionMNIST.load(folder, FashionMNIST.Split.TRAIN).toDataset(MEAN, STD);
             TensorDataset test = FashionMNIST.load(folder, FashionMNIST.Split.TEST).toDataset(MEAN, STD);
             Module model = Models.named(options.model());
             CrossEntropyLoss criterion = new CrossEntropyLoss()) {
            // Stopped here, once the data is in (and the steps it asks for are done: see Models.Proxy), so that it never
            // runs beside the timed epochs; as a resource it also stops when loading fails.
            warmup.awaitSteps();
            warmup.close();
            model.to(options.device());
            long parameters = model.parameters().stream().mapToLong(Tensor::numel).sum();
            out.printf(Locale.ROOT, "Fashion-MNIST from %s: %d training and %d test images%n", folder, train.size(), test.size());
            out.printf(Locale.ROOT, "model %s (%d parameters), Adam lr %s, batch %d, %d epochs, seed %d, on %s with %d compute threads%n",
                    options.model(), parameters, options.lr(), options.batch(), options.epochs(), options.seed(), options.device(),
                    Tensors.numThreads());
            // Batches are made on this thread, as the reference script does: a batch is a gather of 64
            // images, and a loader thread beside the compute threads costs more (it takes a core from them) than it saves.
            try (Adam optimizer = new Adam(model.parameters(), options.lr());
                 DataLoader<Tensor[]> loader = DataLoader.builder(train).batchSize(options.batch())
                         .sampler(RandomSampler.torchRandperm(train.size(), options.seed())).numWorkers(0).build()) {
                boolean terminal = System.console() != null;
                List<Double> losses = new ArrayList<>();
                List<Double> accuracies = new ArrayList<>();
                for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                    model.train();
                    long start = System.nanoTime();
                    double lossSum = 0;
                    long seen = 0;
                    double windowLoss = 0;
                    int window = 0;
                    int batches = loader.size();
                    int b = 0;
                    for (Tensor[] batch : loader) {
                        try (var scope = Tensors.scope()) {
                            Tensor images = batch[0].to(options.device());
                            Tensor labels = batch[1].to(options.device());
                            Tensor loss = criterion.forward(model.forward(images), labels);
                            optimizer.zeroGrad(true);
                            loss.backward();
                            optimizer.step();
                            long n = images.size(0);
                            double value = loss.item();
                            lossSum += value * n;
                            seen += n;
                            windowLoss += value;
                            if (++window == PLOT_STEPS) {
                                losses.add(windowLoss / window);
                                windowLoss = 0;
                                window = 0;
                            }
                            batch[0].close();
                            batch[1].close();
                        }
                        b++;
                        if (terminal && (b % 50 == 0 || b == batches)) {
                            double seconds = (System.nanoTime() - start) / 1e9;
                            out.print(progressLine(epoch, options.epochs(), seen, train.size(), lossSum / seen, seen / Math.max(seconds, 1e-9)));
                            out.flush();
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    EpochReport report = new EpochReport(epoch, seconds, seen / seconds, lossSum / seen, accuracy(model, test, options));
                    reports.add(report);
                    accuracies.add(report.testAccuracy());
                    if (terminal) {
                        out.print("\r" + " ".repeat(100) + "\r");
                    }
                    out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, %.1f s, %.0f samples/s, test accuracy %.2f%%%n",
                            epoch, options.epochs(), report.trainLoss(), seconds, report.samplesPerSecond(), 100 * report.testAccuracy());
                }
                Files.createDirectories(options.out());
                Path weights = options.out().resolve("model.safetensors");
                Path curves = options.out().resolve("curves.png");
                try (var scope = Tensors.scope()) {
                    SafeTensors.write(weights, model.stateDict(), Map.of("model", options.model(), "format", "pt"));
                }
                boolean text = CurvesPlot.write(curves, "Fashion-MNIST " + options.model() + ", Adam lr " + options.lr() + ", batch "
                        + options.batch() + ", seed " + options.seed(), losses, accuracies);
                out.println("weights written to " + weights + ", curves to " + curves
                        + (text ? "" : " (without its text: Java finds no fonts on this machine)"));
            }
            if (options.json().isPresent()) {
                Files.writeString(options.json().get(), json(options, parameters, reports));
                out.println("figures written to " + options.json().get());
            }
        }
        return reports;
    }

    /** The fraction of test images whose most likely class is their label. */
    static double accuracy(Module model, TensorDataset test, TrainOptions options) {
        model.eval();
        long correct = 0;
        try (GradMode.Scope off = GradMode.noGrad();
             DataLoader<Tensor[]> loader = DataLoader.builder(test).batchSize(EVAL_BATCH).build()) {
            for (Tensor[] batch : loader) {
                try (var scope = Tensors.scope()) {
                    Tensor predicted = model.forward(batch[0].to(options.device())).argmax(1, false);
                    correct += predicted.eq(batch[1].to(options.device())).sum().itemLong();
                    batch[0].close();
                    batch[1].close();
                }
            }
        }
        return (double) correct / test.size();
    }

    private static String progressLine(int epoch, int epochs, long done, long total, double loss, double samplesPerSecond) {
        int filled = (int) (PROGRESS_WIDTH * done / total);
        return String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f %.0f samples/s",
                epoch, epochs, "=".repeat(filled), " ".repeat(PROGRESS_WIDTH - filled), done, total, loss, samplesPerSecond);
    }

    static String json(TrainOptions options, long parameters, List<EpochReport> reports) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "{\"model\":\"%s\",\"device\":\"%s\",\"threads\":%d,\"parameters\":%d,\"epochs\":[",
                options.model(), options.device(), options.threads(), parameters));
        for (int i = 0; i < reports.size(); i++) {
            EpochReport r = reports.get(i);
            out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"epoch\":%d,\"train_seconds\":%.4f,\"samples_per_second\":%.1f,\"train_loss\":%.6f,\"test_accuracy\":%.6f}",
                    r.epoch(), r.trainSeconds(), r.samplesPerSecond(), r.trainLoss(), r.testAccuracy()));
        }
        return out.append("]}\n").toString();
    }
}
