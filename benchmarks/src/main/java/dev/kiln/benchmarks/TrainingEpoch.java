package dev.kiln.benchmarks;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One timed fit of {@link KilnEpochs}' workloads from fresh weights: what {@link TwoBuilds} calls in
 * each build it loads. Public and static so that it can be called across class loaders.
 */
public final class TrainingEpoch {
    private static Path loadedFrom;
    private static String loadedWorkload;
    private static Dataset images;

    private TrainingEpoch() {
    }

    /**
     * Trains a new model of {@code workload} (seed 0) for one epoch over the first {@code samples}
     * training images, batch 128, Adam 1e-3, on {@code threads} threads.
     *
     * @return {samples/s, the epoch's mean loss}
     */
    public static double[] run(Path fashionMnist, String workload, int threads, int samples) throws IOException {
        if (images == null || !fashionMnist.equals(loadedFrom) || !workload.equals(loadedWorkload)) {
            images = KilnEpochs.trainingImages(fashionMnist, workload);
            loadedFrom = fashionMnist;
            loadedWorkload = workload;
        }
        Trainer trainer = KilnEpochs.newTrainer(workload);
        History history = trainer.fit(images.slice(0, Math.min(samples, images.size())), KilnEpochs.options(1, 128, threads));
        return new double[] {history.last().samplesPerSecond(), history.last().loss()};
    }
}
