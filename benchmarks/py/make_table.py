"""Builds compare.sh's table from one run's raw results: JMH JSON (Kiln, ONNX Runtime Java), the anchors'
infer_bench.py JSON (PyTorch, ONNX Runtime Python), w2_steps.py JSON (PyTorch training), train_bench.py JSON
(W3 training epochs, Keras and PyTorch) with KilnEpochs' JSON (also W2 epochs on 1 and 2 threads), the allocation check and the machine facts. Writes markdown and a summary JSON; prints the markdown. Standard library only.

Usage: make_table.py --raw <dir with jmh_w1.json jmh_w2.json jmh_w3.json w1_infer_python.json w3_infer_python.json
                      w2_steps_torch.json w3_train_{kiln,keras_bs128_t1,torch_bs128_t1}.json w2_threads_*.json
                      alloc.json machine.json>
                      --md latest.md --json latest.json"""
import argparse, json, os, re, statistics

ap = argparse.ArgumentParser()
ap.add_argument("--raw", required=True)
ap.add_argument("--md", required=True)
ap.add_argument("--json", required=True)
args = ap.parse_args()


def load(name):
    path = os.path.join(args.raw, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


machine = load("machine.json") or {}
alloc = load("alloc.json") or {}


# ---------------------------------------------------------------- JMH
def hist_median(pairs):
    """Median of a JMH SampleTime histogram [[value, count], ...]."""
    pairs = sorted(pairs)
    total = sum(c for _, c in pairs)
    if total == 0:
        return None
    half, seen = total / 2.0, 0
    for v, c in pairs:
        seen += c
        if seen >= half:
            return v
    return pairs[-1][0]


# compare.sh runs the paired measurements in rounds (jmh_w1_r1.json, w1_infer_python_r1.json, ...,
# then _r2 ...), so that a slow or fast phase of the machine falls on both sides of each ratio. The
# table pools the rounds; the targets also give each round's ratio.
ROUNDS = sorted({m.group(1) or "" for m in (re.match(r"jmh_w1(_r\d+)?\.json$", n) for n in os.listdir(args.raw)) if m},
                key=lambda r: int(r[2:]) if r else 0) or [""]


def jmh_round(suffix):
    """{benchmark key: result} of one round's JMH files."""
    out = {}
    for w in ("w1", "w2", "w3"):
        for e in load(f"jmh_{w}{suffix}.json") or []:
            bench = e["benchmark"].rsplit(".", 2)
            key = bench[-2] + "." + bench[-1] + "".join(f"/{k}={v}" for k, v in sorted(e.get("params", {}).items()))
            pm = e["primaryMetric"]
            forks = [[p for it in fork for p in it] for fork in pm.get("rawDataHistogram", [])]
            norm = e.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            out[key] = {"histograms": forks, "unit": pm["scoreUnit"], "mean_us": pm["score"],
                        "alloc_bytes_per_op": norm["score"] if norm else None,
                        "alloc_error": norm["scoreError"] if norm else None,
                        "jdk": e.get("jdkVersion"), "jvm_args": e.get("jvmArgs")}
    for r in out.values():
        add_medians(r)
    return out


def add_medians(r):
    """Each fork's median and the median of all the forks' samples, from r["histograms"]."""
    r["fork_medians_us"] = [hist_median(h) for h in r["histograms"]]
    r["median_us"] = hist_median([p for h in r["histograms"] for p in h])


def pool_jmh(rounds):
    """One result per benchmark over every round's forks: the median of all their samples."""
    pooled = {}
    for rnd in rounds:
        for key, r in rnd.items():
            q = pooled.setdefault(key, {"histograms": [], "allocs": [], "alloc_errors": [], "unit": r["unit"],
                                        "jdk": r["jdk"], "jvm_args": r["jvm_args"]})
            q["histograms"] += r["histograms"]
            if isinstance(r["alloc_bytes_per_op"], (int, float)):
                q["allocs"].append(r["alloc_bytes_per_op"])
                q["alloc_errors"].append(r["alloc_error"])
    for q in pooled.values():
        add_medians(q)
        q["forks"] = len(q["histograms"])
        q["alloc_bytes_per_op"] = statistics.median(q["allocs"]) if q["allocs"] else None
        q["alloc_error"] = max(q["alloc_errors"]) if len(q["alloc_errors"]) == 1 else None
        del q["histograms"], q["allocs"], q["alloc_errors"]
    return pooled


def py_round(name):
    return (load(name) or {}).get("results", {})


def pool_py(rounds, field):
    """One result per system over every round's repetitions: the median of all repetition medians."""
    pooled = {}
    for rnd in rounds:
        for key, r in rnd.items():
            pooled.setdefault(key, []).extend(r.get("rep_medians_us") or [r[field]["median"]])
    return {key: {field: {"median": statistics.median(v), "min": min(v), "max": max(v)}, "rep_medians_us": v}
            for key, v in pooled.items()}


jmh_rounds = [jmh_round(r) for r in ROUNDS]
jmh = pool_jmh(jmh_rounds)
infer_rounds = [py_round(f"w1_infer_python{r}.json") for r in ROUNDS]
infer_w3_rounds = [py_round(f"w3_infer_python{r}.json") for r in ROUNDS]
train_rounds = [py_round(f"w2_steps_torch{r}.json") for r in ROUNDS]
infer = pool_py(infer_rounds, "us_per_call")
infer_w3 = pool_py(infer_w3_rounds, "us_per_call")
train = pool_py(train_rounds, "us_per_step")
keras_versions = (load("w3_train_keras_bs128_t1.json") or {}).get("versions", {})
infer_versions = (load(f"w1_infer_python{ROUNDS[0]}.json") or {}).get("versions", {})
w2py = load(f"w2_steps_torch{ROUNDS[0]}.json") or {}

# ---------------------------------------------------------------- rows
# each row: workload, system, batch, median time per call (us), spread of per-fork / per-rep medians (us)
rows = []


def add_jmh(workload, system, key, batch, how):
    r = jmh.get(key)
    if r is None:
        rows.append({"workload": workload, "system": system, "batch": batch, "missing": True, "how": how})
        return
    fm = [m for m in r["fork_medians_us"] if m is not None]
    rows.append({"workload": workload, "system": system, "batch": batch, "us": r["median_us"],
                 "lo": min(fm) if fm else None, "hi": max(fm) if fm else None,
                 "spread_of": f"forks: {len(fm)}", "how": how, "alloc": r["alloc_bytes_per_op"]})


def add_py(workload, system, key, batch, how, table, field):
    r = table.get(key)
    if r is None:
        rows.append({"workload": workload, "system": system, "batch": batch, "missing": True, "how": how})
        return
    t = r[field]
    rows.append({"workload": workload, "system": system, "batch": batch, "us": t["median"], "lo": t["min"], "hi": t["max"],
                 "spread_of": f"reps: {len(r.get('rep_medians_us', []))}", "how": how})


PY_W1 = [("torch_eager", "PyTorch eager (inference_mode)"),
         ("torch_eager_inference_mode_per_call", "PyTorch eager, inference_mode entered per call"),
         ("torchscript_trace_freeze", "TorchScript trace+freeze"),
         ("ort_python", "ONNX Runtime Python, sess.run"),
         ("ort_python_iobinding", "ONNX Runtime Python, IOBinding (preallocated output)")]

W1B1, W1B64 = "W1 MLP inference, batch 1", "W1 MLP inference, batch 64"
add_jmh(W1B1, "**Kiln** predict(input, output)", "KilnW1.batch1", 1, "JMH")
add_jmh(W1B1, "ONNX Runtime Java, run", "OrtW1.run/batch=1", 1, "JMH")
add_jmh(W1B1, "ONNX Runtime Java, pinned output", "OrtW1.runPinned/batch=1", 1, "JMH")
for k, label in PY_W1:
    add_py(W1B1, label, f"{k}/b1", 1, "infer_bench.py", infer, "us_per_call")
add_jmh(W1B64, "**Kiln** predict(inputs, 64, outputs)", "KilnW1.batch64", 64, "JMH")
add_jmh(W1B64, "ONNX Runtime Java, run", "OrtW1.run/batch=64", 64, "JMH")
add_jmh(W1B64, "ONNX Runtime Java, pinned output", "OrtW1.runPinned/batch=64", 64, "JMH")
for k, label in PY_W1:
    if k != "torch_eager_inference_mode_per_call":
        add_py(W1B64, label, f"{k}/b64", 64, "infer_bench.py", infer, "us_per_call")
for bs in (32, 128):
    wl = f"W2 MLP training step, batch {bs}"
    add_jmh(wl, "**Kiln** zeroGrad+forward+loss+backwardParameters+Adam", f"KilnW2Train.step/batch={bs}", bs, "JMH")
    add_py(wl, "PyTorch eager + torch.optim.Adam", f"torch_w2_train_step/bs{bs}", bs, "w2_steps.py", train, "us_per_step")

W3B1, W3T = "W3 CNN inference, batch 1", "W3 CNN training, batch 128, epochs of Fashion-MNIST"
add_jmh(W3B1, "**Kiln** predict(input, output)", "KilnW3.batch1", 1, "JMH")
add_jmh(W3B1, "ONNX Runtime Java, run", "OrtW3.run/batch=1", 1, "JMH")
add_jmh(W3B1, "ONNX Runtime Java, pinned output", "OrtW3.runPinned/batch=1", 1, "JMH")
for k, label in PY_W1:
    add_py(W3B1, label, f"{k}/b1", 1, "infer_bench.py", infer_w3, "us_per_call")


def add_epochs(workload, system, name, how):
    """A row from train_bench.py's (or KilnEpochs') JSON: samples/s per whole epoch, median over epochs."""
    r = load(name)
    if r is None:
        rows.append({"workload": workload, "system": system, "batch": 128, "missing": True, "how": how})
        return
    sps, bs = r["samples_per_s"], r["batch"]
    rows.append({"workload": workload, "system": system, "batch": bs, "us": bs * 1e6 / sps["median"],
                 "lo": bs * 1e6 / sps["max"], "hi": bs * 1e6 / sps["min"],
                 "spread_of": f"epochs: {len(r.get('epoch_s', []))}", "how": how})


add_epochs(W3T, "**Kiln** Trainer.fit, Adam", "w3_train_kiln.json", "KilnEpochs")
add_epochs(W3T, "Keras 3 on TensorFlow, model.fit, Adam", "w3_train_keras_bs128_t1.json", "train_bench.py")
add_epochs(W3T, "PyTorch eager + torch.optim.Adam", "w3_train_torch_bs128_t1.json", "train_bench.py")

# ratio vs Kiln = (system's time per call) / (Kiln's time per call) of the same workload:
# how many times faster Kiln is (> 1: Kiln faster). Same for throughput, as both run the same batch.
kiln_us = {r["workload"]: r["us"] for r in rows if r["system"].startswith("**Kiln**") and not r.get("missing")}
for r in rows:
    if not r.get("missing") and r["workload"] in kiln_us:
        r["ratio"] = r["us"] / kiln_us[r["workload"]]


def fmt_value(r):
    """(median, unit, spread) as shown: us/call for batch 1, samples/s otherwise."""
    if r["batch"] == 1:
        return f"{r['us']:.2f}", "µs/call", f"{r['lo']:.2f}–{r['hi']:.2f}" if r["lo"] is not None else ""
    sps = lambda us: r["batch"] * 1e6 / us
    spread = f"{sps(r['hi']):,.0f}–{sps(r['lo']):,.0f}" if r["lo"] is not None else ""
    return f"{sps(r['us']):,.0f}", "samples/s", spread


lines = []
out = lines.append
out("# Kiln beside PyTorch and ONNX Runtime: one run of benchmarks/compare.sh")
out("")
start, end = machine.get("load_start", "?"), machine.get("load_end", "?")
out(f"Run {machine.get('date', '?')} on {machine.get('cpu', '?')}, {machine.get('processors', '?')} cores; "
    f"load average (1/5/15 min) {start} at start, {end} at end.  ")
out(f"JDK {machine.get('java_version', '?')} ({machine.get('java_vm', '?')}); preferred float vector "
    f"{machine.get('float_species', '?')} ({machine.get('float_lanes', '?')} lanes), Kiln kernels {machine.get('kiln_kernels', '?')}.  ")
ort_java = machine.get("onnxruntime_java", "?")
out(f"Peers: ONNX Runtime Java {ort_java}; torch {infer_versions.get('torch', w2py.get('versions', {}).get('torch', '?'))}, "
    f"onnxruntime (Python) {infer_versions.get('onnxruntime', '?')}, keras {keras_versions.get('keras', '?')} on "
    f"tensorflow {keras_versions.get('tensorflow', '?')}, Python {infer_versions.get('python', '?')}. All single-threaded.  ")
for check in machine.get("checks", []):
    out(f"- check: {check}")
out("")
out("Median of individually timed calls (JMH SampleTime for Java; the anchors' per-call timer for Python). "
    "*ratio vs Kiln* = the system's time per call / Kiln's (for the same batch): how many times faster Kiln is; "
    "< 1 means the system is faster. *spread* = min–max of the per-fork (JMH) or per-repetition (Python) medians, "
    "or of the epochs (W3 training: samples/s of each whole epoch of 60,000 shuffled images). "
    "Only ratios within one run mean anything: absolute times drift up to 2x between runs on this machine.")
out("")
out("| workload | system | median | unit | spread | ratio vs Kiln |")
out("|---|---|---:|---|---|---:|")
for r in rows:
    if r.get("missing"):
        out(f"| {r['workload']} | {r['system']} | – | | not measured | |")
        continue
    v, unit, spread = fmt_value(r)
    out(f"| {r['workload']} | {r['system']} | {v} | {unit} | {spread} ({r['spread_of']}) | {r.get('ratio', float('nan')):.2f} |")
out("")

# ---------------------------------------------------------------- allocation
out("## Allocation per call")
out("")
out("| workload | exact, Kiln's thread only, after warm-up (AllocationCheck) | JMH -prof gc gc.alloc.rate.norm (all threads) |")
out("|---|---:|---:|")
alloc_rows = [("Kiln W1 predict, batch 1", "kiln_w1_predict_b1", "KilnW1.batch1"),
              ("Kiln W1 predict, batch 64", "kiln_w1_predict_b64", "KilnW1.batch64"),
              ("Kiln W2 training step, batch 32", "kiln_w2_train_step_bs32", "KilnW2Train.step/batch=32"),
              ("Kiln W2 training step, batch 128", "kiln_w2_train_step_bs128", "KilnW2Train.step/batch=128"),
              ("ONNX Runtime Java run, batch 1", None, "OrtW1.run/batch=1"),
              ("ONNX Runtime Java pinned, batch 1", None, "OrtW1.runPinned/batch=1"),
              ("ONNX Runtime Java run, batch 64", None, "OrtW1.run/batch=64"),
              ("ONNX Runtime Java pinned, batch 64", None, "OrtW1.runPinned/batch=64")]
for label, akey, jkey in alloc_rows:
    a = alloc.get(akey) if akey else None
    exact = "–"
    if a:
        exact = f"{a['steady_bytes_per_call']:g} B/call (median of {len(a['rounds'])} rounds of {a['calls_per_round']:,})"
        if a["rounds_allocating"]:
            exact += f"; {a['rounds_allocating']} round(s) allocated, {a['bytes']} B in all over {a['calls']:,} calls"
    j = jmh.get(jkey)
    jm = "–"
    if j and isinstance(j["alloc_bytes_per_op"], (int, float)):
        err = j["alloc_error"]
        jm = f"{j['alloc_bytes_per_op']:.1f}" + (f" ± {err:.1f}" if isinstance(err, (int, float)) and err == err else "") + " B/op"
    out(f"| {label} | {exact} | {jm} |")
out("")

# ---------------------------------------------------------------- threads
def thread_runs(threads):
    """Samples/s of every timed epoch of KilnEpochs --workload w2 --threads <threads> in this run,
    and the hypervisor's steal (% of all CPU time) during each run."""
    rates, steal = [], []
    for name in sorted(os.listdir(args.raw)):
        if name.startswith(f"w2_threads_{threads}_") and name.endswith(".json"):
            r = load(name)
            rates += [60000 / t for t in r["epoch_s"]]
            if r.get("steal_percent") is not None:
                steal.append(r["steal_percent"])
    return rates, steal


(one, steal_one), (two, steal_two) = thread_runs(1), thread_runs(2)
scaling = statistics.median(two) / statistics.median(one) if one and two else None
out("## Training on two cores")
out("")
out("Kiln's Trainer over epochs of the 60,000 Fashion-MNIST images (W2 MLP, batch 128, Adam), with `threads(1)` and "
    "`threads(2)` (two shards, one replica per thread, the gradients summed in a fixed order), run alternately "
    "(1, 2, 1, 2 threads; 4 timed epochs each time).")
out("")
out("| threads | median samples/s | min–max | epochs | speed-up | CPU time stolen by the hypervisor, per run |")
out("|---:|---:|---|---:|---:|---|")
for t, rates, steal in ((1, one, steal_one), (2, two, steal_two)):
    if rates:
        sp = "1.00" if t == 1 else (f"{scaling:.2f}x" if scaling else "")
        stolen = ", ".join(f"{x:.1f} %" for x in steal) or "–"
        out(f"| {t} | {statistics.median(rates):,.0f} | {min(rates):,.0f}–{max(rates):,.0f} | {len(rates)} | {sp} | {stolen} |")
    else:
        out(f"| {t} | – | not measured | | | |")
out("")

# ---------------------------------------------------------------- targets
def ratio(workload, system_prefix):
    for r in rows:
        if r["workload"] == workload and r["system"].startswith(system_prefix) and "ratio" in r:
            return r["ratio"]
    return None


def round_ratios(kiln_key, peer):
    """Each round's ratio (peer's median / Kiln's): peer is ("jmh", key) or (python rounds, key, field)."""
    out = []
    for i, rnd in enumerate(jmh_rounds):
        k = rnd.get(kiln_key)
        if peer[0] == "jmh":
            p = rnd.get(peer[1])
            p_us = p["median_us"] if p else None
        else:
            p = pool_py([peer[0][i]], peer[2]).get(peer[1]) if i < len(peer[0]) else None
            p_us = p[peer[2]]["median"] if p else None
        if k and k["median_us"] and p_us:
            out.append(p_us / k["median_us"])
    return out


targets = []


def target(name, value, goal, fmt="{:.2f}x", at_most=False, rounds=None):
    ok = None if value is None else (value <= goal if at_most else value >= goal)
    targets.append({"target": name, "value": value, "goal": goal, "met": ok, "round_ratios": rounds})
    shown = "not measured" if value is None else fmt.format(value)
    per_round = ", ".join(fmt.format(x) for x in rounds) if rounds else "–"
    out(f"| {name} | {shown} | {per_round} | {'met' if ok else ('not measured' if ok is None else '**not met**')} |")


out("## Issue targets")
out("")
out(f"*this run* pools the {len(ROUNDS)} round(s); *per round* is each round's ratio, whose systems ran minutes apart at most.")
out("")
out("| target | this run | per round | status |")
out("|---|---:|---|---|")
target("W1 batch 1: Kiln >= 4x faster than ONNX Runtime Java pinned", ratio(W1B1, "ONNX Runtime Java, pinned"), 4.0,
       rounds=round_ratios("KilnW1.batch1", ("jmh", "OrtW1.runPinned/batch=1")))
b64 = [x for x in (ratio(W1B64, "ONNX Runtime Java, run"), ratio(W1B64, "ONNX Runtime Java, pinned")) if x is not None]
target("W1 batch 64: Kiln >= ONNX Runtime Java (its faster variant)", min(b64) if b64 else None, 1.0,
       rounds=round_ratios("KilnW1.batch64", ("jmh", "OrtW1.runPinned/batch=64")))
target("W2 batch 32: Kiln >= 3x PyTorch", ratio("W2 MLP training step, batch 32", "PyTorch"), 3.0,
       rounds=round_ratios("KilnW2Train.step/batch=32", (train_rounds, "torch_w2_train_step/bs32", "us_per_step")))
target("W2 batch 128: Kiln >= 2x PyTorch", ratio("W2 MLP training step, batch 128", "PyTorch"), 2.0,
       rounds=round_ratios("KilnW2Train.step/batch=128", (train_rounds, "torch_w2_train_step/bs128", "us_per_step")))
target("W2 batch 128, 2 threads: >= 1.7x Kiln's 1-thread samples/s", scaling, 1.7)
target("W3 training, batch 128: Kiln >= 2x Keras", ratio(W3T, "Keras"), 2.0)
kiln_w3 = next((r["us"] for r in rows if r["workload"] == W3B1 and r["system"].startswith("**Kiln**") and not r.get("missing")), None)
target("W3 batch 1: Kiln <= 110 µs per call", kiln_w3, 110.0, "{:.1f} µs", at_most=True)
target("W3 batch 1: Kiln faster than ONNX Runtime Java pinned", ratio(W3B1, "ONNX Runtime Java, pinned"), 1.0,
       rounds=round_ratios("KilnW3.batch1", ("jmh", "OrtW3.runPinned/batch=1")))
steady = [a["steady_bytes_per_call"] for a in alloc.values()] if alloc else []
worst = max(steady) if steady else None
stray = sum(a["bytes"] for a in alloc.values()) if alloc else 0
targets.append({"target": "0 bytes per call and per step (steady state)", "value": worst, "goal": 0,
                "met": None if worst is None else worst == 0, "bytes_in_all_rounds": stray})
status = "not measured" if worst is None else ("met" if worst == 0 else "**not met**")
note = f" ({stray} B in all over every round, from JIT warm-up)" if worst == 0 and stray else ""
out(f"| 0 bytes per call and per step (exact count, steady state) | {'not measured' if worst is None else f'{worst:g} B/call at most'}{note} | – | {status} |")
out("")

md = "\n".join(lines) + "\n"
with open(args.md, "w") as f:
    f.write(md)
with open(args.json, "w") as f:
    json.dump({"machine": machine, "rows": rows, "allocation_exact": alloc, "jmh": jmh, "targets": targets}, f, indent=1)
print(md)
