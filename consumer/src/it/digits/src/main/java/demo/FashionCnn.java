package demo;

import dev.kiln.annotations.*;
import dev.kiln.runtime.Layer;
import dev.kiln.runtime.data.*;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.*;
import java.nio.file.Path;

@Network(input = {28, 28, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)   // height, width, channels
abstract class FashionCnn {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv;   // (26, 26, 32)
    @MaxPooling2D Layer pool;                                                    // (13, 13, 32)
    @Flatten Layer flatten;                                                      // (5408)
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer probabilities;

    /** Trains on the Fashion-MNIST files in {@code dir} (apt-get install dataset-fashion-mnist). */
    static Evaluation train(Path dir) throws Exception {
        Dataset train = Scaling.divide(Mnist.train(dir, ImageLayout.CHANNELS_LAST), 255f);   // (28, 28, 1) per image
        Dataset test = Scaling.divide(Mnist.test(dir, ImageLayout.CHANNELS_LAST), 255f);
        Trainer trainer = new Trainer(new FashionCnnModel(1), new Adam(1e-3));
        trainer.fit(train, new FitOptions().epochs(12).batchSize(128).threads(2));
        return trainer.evaluate(test);
    }
}
