"""By-speech CV of every experiment config, as the Markdown table in the README.

    python benchmarks/compare_models.py [experiments/*.toml]
"""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.config import load_experiment
from toolkit.dataset import dataset_files, read_units
from toolkit.labels import LABELS
from toolkit.paths import DATASETS_DIR, EXPERIMENTS_DIR
from toolkit.train import train_experiment


def main(paths: list[Path]) -> int:
    data = read_units(dataset_files(DATASETS_DIR))
    print(f"{len(data.speeches)} speeches, {data.n_units()} units; "
          "GroupKFold by speech, mean over folds; per-label F1 pooled over held-out speeches\n")
    print("| model | accuracy | macro-F1 | " + " | ".join(f"F1 {label}" for label in LABELS) + " |")
    print("|---" * (3 + len(LABELS)) + "|")
    for path in paths:
        result = train_experiment(load_experiment(path), data)
        per_label = result.pooled["per_label"]
        print(f"| {result.experiment.name} | {result.mean_accuracy:.3f} | "
              f"{result.mean_macro_f1:.3f} | "
              + " | ".join(f"{per_label[label]['f1']:.3f}" for label in LABELS) + " |")
    return 0


if __name__ == "__main__":
    names = ("majority", "cue_rules", "tfidf_lr", "default")
    configs = [Path(p) for p in sys.argv[1:]] or [EXPERIMENTS_DIR / f"{n}.toml" for n in names]
    sys.exit(main(configs))
