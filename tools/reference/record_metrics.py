"""Records scikit-learn classification metrics for Kiln's ConfusionMatrix tests.

Writes runtime/src/test/resources/reference/metrics_<case>.ref in the format read by
dev.kiln.runtime.testing.ReferenceFile: the model outputs (rows of scores), the target class
indices, and sklearn's confusion matrix, accuracy, per-class precision/recall/F1 (labels 0..k-1)
and macro averages (default labels: those present in targets or predictions), all with
zero_division=0.

Run from the repository root:

    /tmp/anchorvenv/bin/python tools/reference/record_metrics.py
"""

import pathlib

import numpy as np
import sklearn
from sklearn import metrics

OUT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/reference"


def write(out, name, values, shape=()):
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    out.append(("tensor %s %s" % (name, " ".join(str(d) for d in shape))).rstrip())
    for i in range(0, len(values), 8):
        out.append(" ".join("%.9e" % v for v in values[i:i + 8]))


def record(case, outputs, targets, note):
    classes = outputs.shape[1]
    predicted = outputs.argmax(axis=1)
    labels = list(range(classes))
    out = ["# Recorded by tools/reference/record_metrics.py with scikit-learn %s" % sklearn.__version__,
           "# case %s: %s" % (case, note)]
    write(out, "outputs", outputs, outputs.shape)
    write(out, "targets", targets, targets.shape)
    write(out, "confusion", metrics.confusion_matrix(targets, predicted, labels=labels), (classes, classes))
    write(out, "accuracy", [metrics.accuracy_score(targets, predicted)])
    for name, fn in [("precision", metrics.precision_score), ("recall", metrics.recall_score), ("f1", metrics.f1_score)]:
        write(out, name, fn(targets, predicted, labels=labels, average=None, zero_division=0), (classes,))
        write(out, "macro_" + name, [fn(targets, predicted, average="macro", zero_division=0)])
    path = OUT / ("metrics_%s.ref" % case)
    path.write_text("\n".join(out) + "\n")
    print("wrote", path.relative_to(OUT.parents[4]))


def main():
    rng = np.random.default_rng(7)
    OUT.mkdir(parents=True, exist_ok=True)

    outputs = rng.normal(size=(40, 4)).astype(np.float32)
    outputs[:, 3] -= 10  # class 3 is never predicted: its precision is 0/0 -> 0
    targets = rng.integers(0, 4, size=40)
    targets[:3] = 3
    record("never_predicted", outputs, targets, "40 samples, 4 classes, class 3 occurs but is never predicted")

    outputs = rng.normal(size=(30, 5)).astype(np.float32)
    outputs[:, 4] -= 10  # class 4 is neither predicted ...
    targets = rng.integers(0, 2, size=30)  # ... nor a target; classes 2 and 3 are predicted, never targets
    outputs[:4, 2] += 10
    outputs[4:6, 3] += 10
    record("absent_classes", outputs, targets,
           "30 samples, 5 classes; targets are 0 or 1 only; 2 and 3 are predicted; 4 never occurs (left out of macro averages)")


if __name__ == "__main__":
    main()
