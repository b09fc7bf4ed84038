"""PyTorch twin of Kiln's KilnW2Train benchmark: W2 training steps of the anchors' MLP
(shared/anchors/py/common.py MLP, logits out), torch.optim.Adam(lr=1e-3) defaults, F.cross_entropy,
1 thread, on fixed random data shaped like Fashion-MNIST: 16,384 images of 784 pixels uniform in
[0, 1) and labels uniform in 0..9. One step, exactly as the anchors' train_bench.py does it:
    opt.zero_grad(set_to_none=True); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step()
where xb, yb are the next consecutive batch (a slice view: no shuffle, no gather), wrapping around.
Timing as the anchors' bench_calls: after >= 1 s (and >= 100 steps) of warm-up, each repetition times
~0.5 s of steps one by one and keeps their median; reported: the median over repetitions (and min-max),
samples/s = batch / median step time. Full epochs on the real data are the anchors' train_bench.py.

Usage: w2_steps.py --anchors <shared/anchors> [--batches 32 128] [--reps 7] --out result.json"""
import argparse, json, os, statistics, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--anchors", required=True, help="the shared/anchors directory (its py/common.py defines the MLP)")
ap.add_argument("--batches", type=int, nargs="+", default=[32, 128])
ap.add_argument("--reps", type=int, default=7)
ap.add_argument("--rep-seconds", type=float, default=0.5)
ap.add_argument("--warmup-seconds", type=float, default=1.0)
ap.add_argument("--out", required=True)
args = ap.parse_args()

# common.py looks up the Fashion-MNIST directory when imported; this benchmark reads no data set.
os.environ.setdefault("FMNIST_DIR", "/nonexistent")
sys.path.insert(0, os.path.join(os.path.abspath(args.anchors), "py"))
from common import set_threads_env, torch_models  # noqa: E402

set_threads_env(1)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
MLP, _, _ = torch_models()

N = 16384
gen = torch.Generator().manual_seed(2)
X = torch.rand(N, 784, generator=gen)
Y = torch.randint(0, 10, (N,), generator=gen)
pc = time.perf_counter_ns
results = {}
for bs in args.batches:
    assert N % bs == 0
    torch.manual_seed(0)
    model = MLP()
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    pos = [0]

    def step():
        i = pos[0]
        pos[0] = 0 if i + bs == N else i + bs
        xb, yb = X[i:i + bs], Y[i:i + bs]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    n, t0 = 0, time.perf_counter()
    while n < 100 or time.perf_counter() - t0 < args.warmup_seconds:
        step()
        n += 1
    per_step = (time.perf_counter() - t0) / n
    calls = int(min(20000, max(30, args.rep_seconds / per_step)))
    rep_medians, rep_means = [], []
    for _ in range(args.reps):
        ts = [0] * calls
        start = pc()
        for k in range(calls):
            s = pc()
            step()
            ts[k] = pc() - s
        rep_means.append((pc() - start) / calls / 1e3)
        rep_medians.append(statistics.median(ts) / 1e3)
    med = statistics.median(rep_medians)
    results[f"torch_w2_train_step/bs{bs}"] = {
        "batch": bs, "threads": 1, "steps_per_rep": calls,
        "us_per_step": {"median": med, "min": min(rep_medians), "max": max(rep_medians)},
        "samples_per_s": {"median": bs * 1e6 / med, "min": bs * 1e6 / max(rep_medians), "max": bs * 1e6 / min(rep_medians)},
        "rep_medians_us": rep_medians, "rep_means_us": rep_means, "final_loss": float(step().detach())}
    print(f"w2 torch bs{bs:<4d} median {med:9.1f} us/step  {bs * 1e6 / med:9.0f} samples/s "
          f"[{min(rep_medians):.1f}-{max(rep_medians):.1f} us]  (steps/rep {calls})", flush=True)

payload = {"workload": "w2_steps", "method": __doc__.split("\n\n")[0],
           "versions": {"torch": torch.__version__, "python": sys.version.split()[0]},
           "host": {"nproc": os.cpu_count(), "loadavg_at_end": os.getloadavg(), "time": time.strftime("%Y-%m-%d %H:%M:%S")},
           "results": results}
with open(args.out, "w") as f:
    json.dump(payload, f, indent=1)
print("wrote", args.out, flush=True)
