"""The five health speeches, each held out alone: are they still tagged as well as before?

    python benchmarks/health_speeches.py [experiments/NAME.toml]

Before other genres were added, the default model was measured by cross-validation over the
five health speeches, each held out in turn and the other four trained on. This repeats that
protocol with everything else in training too (the other four speeches, every work report,
congress report and written speech), and with the health speeches alone, and prints both.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from toolkit.config import load_experiment
from toolkit.dataset import dataset_files, read_units
from toolkit.evaluate import score
from toolkit.paths import DATASETS_DIR, DEFAULT_EXPERIMENT
from toolkit.train import fit_and_predict_many

HEALTH = "health-speeches"


def held_out_one_by_one(experiment, data, health, pool) -> dict:
    splits = [(np.array([j for j in pool if j != i]), np.array([i]), None) for i in health]
    gold, guess, accuracies = [], [], []
    for i, (labels, _) in zip(health, fit_and_predict_many(experiment, data, splits),
                              strict=True):
        gold += data.labels[i]
        guess += labels[0]
        accuracies.append(score(data.labels[i], labels[0])["accuracy"])
    return {**score(gold, guess), "mean_accuracy": float(np.mean(accuracies))}


def main(config: str) -> int:
    experiment = load_experiment(config)
    data = read_units(dataset_files(DATASETS_DIR))
    genres = np.array(data.attribute("genre"))
    health = np.flatnonzero(genres == HEALTH)
    print(f"{experiment.name}: each of the {len(health)} health speeches held out alone\n")
    print("| trained on | units | pooled accuracy | mean accuracy | macro-F1 | F1 exhortation |")
    print("|---|---|---|---|---|---|")
    for name, pool in (("the other health speeches", health),
                       ("everything else", np.arange(len(genres)))):
        start = time.perf_counter()
        result = held_out_one_by_one(experiment, data, health, pool)
        print(f"| {name} | {result['n']} | {result['accuracy']:.3f} | "
              f"{result['mean_accuracy']:.3f} | {result['macro_f1']:.3f} | "
              f"{result['per_label']['exhortation']['f1']:.3f} |")
        print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT_EXPERIMENT)))
