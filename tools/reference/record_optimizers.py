"""Records PyTorch optimizer trajectories for Kiln's optimizer tests.

Each case starts three small tensors (50 floats) from fixed values, feeds a different fixed
gradient at every step through one of torch.optim's optimizers (the single-tensor for-loop
implementation, foreach=False), and writes the parameters after every step to
runtime/src/test/resources/reference/optim_<case>.ref in the format read by
dev.kiln.runtime.testing.ReferenceFile:

    tensor init.<name> D0 D1 ...      the starting values
    tensor step<k>.grad.<name> ...    the gradient fed at step k (1-based)
    tensor step<k>.lr                 the learning rate used at step k (schedule cases)
    tensor step<k>.norm               the total gradient norm before clipping (clip case)
    tensor step<k>.param.<name> ...   the values after step k

Run from the repository root:

    /tmp/anchorvenv/bin/python tools/reference/record_optimizers.py

The Java tests hard-code the same hyperparameters; each file's header repeats them.
"""

import pathlib

import torch

STEPS = 8
SHAPES = {"w": (6, 4), "b": (6,), "v": (4, 5)}
OUT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/reference"


def sgd(params, **kw):
    return torch.optim.SGD(params, foreach=False, **kw)


def rmsprop(params, **kw):
    return torch.optim.RMSprop(params, foreach=False, **kw)


def adam(params, **kw):
    return torch.optim.Adam(params, foreach=False, **kw)


def adamw(params, **kw):
    return torch.optim.AdamW(params, foreach=False, **kw)


# name: (optimizer factory, its keyword arguments, extras)
# extras: clip = max norm for clip_grad_norm_; schedule = ("step", step_size, gamma) or
# ("cosine", T_max, eta_min), stepped once per step (one step per epoch).
CASES = {
    "sgd": (sgd, dict(lr=0.1), {}),
    "sgd_momentum": (sgd, dict(lr=0.05, momentum=0.9, dampening=0.1), {}),
    "sgd_nesterov": (sgd, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01), {}),
    "rmsprop": (rmsprop, dict(lr=0.01, alpha=0.99, eps=1e-8), {}),
    "rmsprop_centered": (rmsprop, dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.9, centered=True), {}),
    "adam": (adam, dict(lr=0.01), {}),
    "adam_weight_decay": (adam, dict(lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1), {}),
    "adam_large_beta1_weight": (adam, dict(lr=0.02, betas=(0.3, 0.9)), {}),
    "adamw": (adamw, dict(lr=0.01, weight_decay=0.05), {}),
    "clip_norm": (sgd, dict(lr=0.1, momentum=0.9), {"clip": 1.0}),
    "step_lr": (sgd, dict(lr=0.1, momentum=0.9), {"schedule": ("step", 3, 0.5)}),
    "cosine_lr": (adam, dict(lr=0.05), {"schedule": ("cosine", 3, 0.001)}),
}


def fmt(t):
    values = t.detach().reshape(-1).tolist()
    lines = []
    for i in range(0, len(values), 6):
        lines.append(" ".join("%.9e" % v for v in values[i:i + 6]))
    return "\n".join(lines)


def write_tensor(out, name, t):
    dims = " ".join(str(d) for d in t.shape)
    out.append(("tensor %s %s" % (name, dims)).rstrip())
    out.append(fmt(t))


def record(case, factory, kwargs, extras, seed):
    gen = torch.Generator().manual_seed(seed)
    params = {n: torch.randn(s, generator=gen, dtype=torch.float32) for n, s in SHAPES.items()}
    tensors = [torch.nn.Parameter(p.clone()) for p in params.values()]
    opt = factory(tensors, **kwargs)
    schedule = extras.get("schedule")
    scheduler = None
    if schedule is not None and schedule[0] == "step":
        scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=schedule[1], gamma=schedule[2])
    elif schedule is not None and schedule[0] == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=schedule[1], eta_min=schedule[2])

    out = ["# Recorded by tools/reference/record_optimizers.py with torch %s" % torch.__version__,
           "# case %s: torch.optim.%s(%s), foreach=False, %d steps%s" % (
               case, type(opt).__name__, ", ".join("%s=%r" % kv for kv in kwargs.items()), STEPS,
               "".join(", %s=%r" % kv for kv in extras.items()))]
    for n, p in params.items():
        write_tensor(out, "init." + n, p)
    for step in range(1, STEPS + 1):
        # Alternate small and large gradients so that clipping applies on some steps only.
        scale = 0.1 if step % 2 else 1.5
        for n, t in zip(params, tensors):
            g = torch.randn(SHAPES[n], generator=gen, dtype=torch.float32) * scale
            t.grad = g.clone()
            write_tensor(out, "step%d.grad.%s" % (step, n), g)
        if scheduler is not None:
            write_tensor(out, "step%d.lr" % step, torch.tensor(opt.param_groups[0]["lr"], dtype=torch.float64))
        if "clip" in extras:
            norm = torch.nn.utils.clip_grad_norm_(tensors, extras["clip"], foreach=False)
            write_tensor(out, "step%d.norm" % step, norm)
        opt.step()
        for n, t in zip(params, tensors):
            write_tensor(out, "step%d.param.%s" % (step, n), t)
        if scheduler is not None:
            scheduler.step()
    path = OUT / ("optim_%s.ref" % case)
    path.write_text("\n".join(out) + "\n")
    print("wrote", path.relative_to(OUT.parents[4]))


def main():
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    for seed, (case, (factory, kwargs, extras)) in enumerate(CASES.items()):
        record(case, factory, kwargs, extras, seed=1000 + seed)


if __name__ == "__main__":
    main()
