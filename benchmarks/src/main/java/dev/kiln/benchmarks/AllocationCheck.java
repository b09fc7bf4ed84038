package dev.kiln.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Counts the bytes Kiln allocates per call on the calling thread alone, after warm-up, for the
 * workloads the JMH benchmarks time: exact where JMH's {@code gc.alloc.rate.norm} also counts
 * the harness's own threads (a few bytes per operation of noise). Prints one JSON object.
 *
 * <p>Each workload first runs for {@code -Dkiln.alloc.warmup.ms} (5000) so C2 has compiled it and
 * escape analysis has removed the vector boxes, then {@value #ROUNDS} rounds of calls are counted
 * separately: the steady state is the median round. A round that allocates a few hundred bytes
 * once is the JIT still at work (a late tier-4 compilation of a thin caller such as
 * {@code step()}, or a method handle linked on first use), not the model. No time is reported.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.kiln.benchmarks.AllocationCheck</pre>
 */
public final class AllocationCheck {
    static final int ROUNDS = 10;

    private AllocationCheck() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        long warmupMs = Long.getLong("kiln.alloc.warmup.ms", 5000);

        KilnW1 w1 = new KilnW1();
        w1.setup();
        Map<String, IntSupplier> workloads = new LinkedHashMap<>();
        workloads.put("kiln_w1_predict_b1", () -> w1.batch1().length);
        workloads.put("kiln_w1_predict_b64", () -> w1.batch64().length);
        for (int batch : new int[] {32, 128}) {
            KilnW2Train train = new KilnW2Train();
            train.batch = batch;
            train.setup();
            workloads.put("kiln_w2_train_step_bs" + batch, () -> Float.floatToRawIntBits(train.step()));
        }
        int[] callsPerRound = {5_000, 500, 500, 200};

        StringBuilder json = new StringBuilder("{");
        int k = 0;
        int sink = 0;
        for (Map.Entry<String, IntSupplier> workload : workloads.entrySet()) {
            IntSupplier call = workload.getValue();
            long end = System.nanoTime() + warmupMs * 1_000_000;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 10; i++) {
                    sink += call.getAsInt();
                }
            }
            int n = callsPerRound[k];
            long[] rounds = new long[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < n; i++) {
                    sink += call.getAsInt();
                }
                rounds[r] = threads.getCurrentThreadAllocatedBytes() - before;
            }
            long[] sorted = rounds.clone();
            Arrays.sort(sorted);
            long total = Arrays.stream(rounds).sum();
            long allocating = Arrays.stream(rounds).filter(b -> b != 0).count();
            json.append(k == 0 ? "" : ", ").append('"').append(workload.getKey()).append("\": {")
                    .append("\"calls_per_round\": ").append(n)
                    .append(", \"rounds\": ").append(Arrays.toString(rounds))
                    .append(", \"steady_bytes_per_call\": ").append((double) sorted[ROUNDS / 2] / n)
                    .append(", \"rounds_allocating\": ").append(allocating)
                    .append(", \"bytes\": ").append(total)
                    .append(", \"calls\": ").append((long) n * ROUNDS)
                    .append(", \"bytes_per_call\": ").append((double) total / ((long) n * ROUNDS)).append('}');
            k++;
        }
        System.out.println(json.append('}'));
        if (sink == 42) {
            System.err.println();
        }
    }
}
