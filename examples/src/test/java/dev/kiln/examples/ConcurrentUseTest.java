package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.ConcurrentModelUseException;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.UseGuard;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.FitOptions;
import dev.kiln.runtime.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One model instance used by several threads: every call that overlaps another thread's fails
 * loudly, no call returns another thread's numbers, and a replica per thread gives every thread the
 * same bits as the model.
 */
class ConcurrentUseTest {
    private static float[][] images(int n) {
        SeededRandom random = new SeededRandom(5);
        float[][] images = new float[n][784];
        for (float[] image : images) {
            for (int i = 0; i < image.length; i++) {
                image[i] = random.nextFloat() < 0.4f ? 0f : random.nextFloat();
            }
        }
        return images;
    }

    @Test
    void eightThreadsOnOneModelFailLoudlyAndNeverGetAnotherThreadsOutput() throws InterruptedException {
        FashionMlpModel model = new FashionMlpModel(2);
        float[][] images = images(8);
        float[][] expected = new float[8][];
        for (int t = 0; t < 8; t++) {
            expected[t] = model.predict(images[t]);
        }
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int image = t;
            threads.add(Thread.ofPlatform().start(() -> {
                float[] out = new float[10];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int call = 0; call < 2000; call++) {
                    try {
                        model.predict(images[image], out);
                        if (!java.util.Arrays.equals(out, expected[image])) {
                            wrong.incrementAndGet();
                        }
                    } catch (ConcurrentModelUseException e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, wrong.get(), "calls that returned wrong outputs");
        assertTrue(refused.get() > 0, "overlapping calls must be refused");
    }

    @Test
    void aReplicaPerThreadGivesTheModelsBits() throws InterruptedException {
        FashionMlpModel model = new FashionMlpModel(2);
        float[][] images = images(8);
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int image = t;
            float[] expected = model.predict(images[t]);
            Model replica = model.replica();
            threads.add(Thread.ofPlatform().start(() -> {
                for (int call = 0; call < 500; call++) {
                    if (!java.util.Arrays.equals(replica.predict(images[image]), expected)) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, wrong.get());
    }

    /** A running fit holds the model: another thread's predict fails, and the fit's result is that of a fit alone. */
    @Test
    void predictingOnAModelThatTrainsFailsAndLeavesTheTrainingAlone() throws InterruptedException {
        SeededRandom random = new SeededRandom(9);
        float[] x = new float[256 * 784];
        float[] y = new float[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(10);
        }
        Dataset data = new Dataset(x, new int[] {784}, y, 1);
        FitOptions options = new FitOptions().epochs(12).batchSize(16).seed(4).quiet();
        FashionMlpModel alone = new FashionMlpModel(6);
        new Trainer(alone, new Adam(1e-3)).fit(data, options);

        FashionMlpModel model = new FashionMlpModel(6);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch firstEpoch = new CountDownLatch(1);
        java.io.PrintStream epochs = new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) {
            @Override
            public void println(Object line) {
                firstEpoch.countDown();
            }
        };
        Thread fit = Thread.ofPlatform().start(() -> {
            try {
                new Trainer(model, new Adam(1e-3)).fit(data, new FitOptions().epochs(12).batchSize(16).seed(4).progress(epochs));
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                firstEpoch.countDown();
            }
        });
        firstEpoch.await(); // the fit holds the model from here on
        float[] image = new float[784];
        float[] out = new float[10];
        while (fit.isAlive()) {
            try {
                model.predict(image, out);
            } catch (ConcurrentModelUseException e) {
                refused.incrementAndGet();
                assertTrue(e.getMessage().contains("holds it (Trainer.fit, evaluate and predict hold the model they run)")
                        && e.getMessage().contains("model.replica()"), e.getMessage());
            }
        }
        fit.join();
        assertEquals(null, failure.get());
        assertTrue(refused.get() > 0, "predict during the fit must be refused");
        assertArrayEquals(alone.parameters().values(), model.parameters().values(), "the training was not changed");
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        try (UseGuard.Claim claim = model.claim()) {
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    model.zeroGrad();
                } catch (Throwable e) {
                    fromOther.set(e);
                }
            });
            other.join();
        }
        assertTrue(fromOther.get() instanceof ConcurrentModelUseException, "a claimed model refuses other threads: " + fromOther.get());
        model.zeroGrad(); // released
    }
}
