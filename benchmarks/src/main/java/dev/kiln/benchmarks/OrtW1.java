package dev.kiln.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** W1 inference with ONNX Runtime Java on the anchors' {@code w1_mlp.onnx}, batch 1 and 64 (see {@link OrtSessionBench}). */
@State(Scope.Thread)
public class OrtW1 extends OrtSessionBench {
    @Param({"1", "64"})
    public int batch;

    @Override
    String workload() {
        return "w1";
    }

    @Override
    String modelFile() {
        return "w1_mlp.onnx";
    }

    @Override
    long[] sampleShape() {
        return new long[] {Anchors.INPUT};
    }

    @Override
    int batch() {
        return batch;
    }
}
