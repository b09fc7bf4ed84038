package dev.kiln.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** W3 (CNN) inference with ONNX Runtime Java on the anchors' {@code w3_cnn.onnx}, batch 1 (see {@link OrtSessionBench}): NCHW input (1, 28, 28). */
@State(Scope.Thread)
public class OrtW3 extends OrtSessionBench {
    @Param({"1"})
    public int batch;

    @Override
    String workload() {
        return "w3";
    }

    @Override
    String modelFile() {
        return "w3_cnn.onnx";
    }

    @Override
    long[] sampleShape() {
        return new long[] {1, 28, 28};
    }

    @Override
    int batch() {
        return batch;
    }
}
