"""Every experiment config on the shipped data, as the Markdown tables in the README.

    python benchmarks/compare_models.py [experiments/NAME.toml ...]

Two tables per run: cross-validation grouped by document (pooled over the real documents,
over the written speeches, and per real genre), and leave-one-genre-out over the real
genres, trained with the written speeches (and, for the last config, without them).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from toolkit.config import load_experiment
from toolkit.dataset import dataset_files, read_units
from toolkit.holdout import breakdown, leave_one_genre_out
from toolkit.paths import DATASETS_DIR, EXPERIMENTS_DIR
from toolkit.train import cross_validate

COLUMNS = ("accuracy", "macro_f1")


def cells(row: dict) -> str:
    exhortation = row["per_label"]["exhortation"]["f1"]
    return " | ".join(f"{row[c]:.3f}" for c in COLUMNS) + f" | {exhortation:.3f}"


def main(paths: list[Path]) -> int:
    data = read_units(dataset_files(DATASETS_DIR))
    print(f"{len(data.speeches)} documents, {data.n_units()} units\n")
    genres = sorted({g for g, o in zip(data.attribute("genre"), data.attribute("origin"),
                                       strict=True) if o != "written"})
    cv_rows, logo_rows = [], []
    for number, path in enumerate(paths):
        experiment = load_experiment(path)
        start = time.perf_counter()
        _, predicted, _ = cross_validate(experiment, data)
        by_origin = breakdown(data, predicted, "origin")
        by_genre = breakdown(data, predicted, "genre")
        cv_rows.append(f"| {experiment.name} | {cells(by_origin['real'])} | "
                       f"{cells(by_origin['written'])} | "
                       + " | ".join(f"{by_genre[g]['accuracy']:.3f}" for g in genres) + " |")
        tables = leave_one_genre_out(experiment, data)
        variants = tables if number == len(paths) - 1 else {"with_written": tables["with_written"]}
        for variant, table in variants.items():
            logo_rows.append(
                f"| {experiment.name} ({variant.replace('_', ' ')}) | {cells(table['pooled'])} | "
                + " | ".join(f"{table[g]['accuracy']:.3f} / {table[g]['macro_f1']:.3f}"
                             for g in genres) + " |")
        print(f"{experiment.name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    print("Cross-validation grouped by document (5 folds); accuracy, macro-F1, F1 exhortation\n")
    print("| model | real acc | real macro-F1 | real F1 exh | written acc | written macro-F1 | "
          "written F1 exh | " + " | ".join(f"{g} acc" for g in genres) + " |")
    print("|---" * (7 + len(genres)) + "|")
    print("\n".join(cv_rows))
    print("\nLeave-one-genre-out over the real genres: pooled, then accuracy / macro-F1 per "
          "held-out genre\n")
    print("| model | acc | macro-F1 | F1 exh | " + " | ".join(genres) + " |")
    print("|---" * (4 + len(genres)) + "|")
    print("\n".join(logo_rows))
    return 0


if __name__ == "__main__":
    names = ("majority", "cue_rules", "tfidf_lr", "default")
    configs = [Path(p) for p in sys.argv[1:]] or [EXPERIMENTS_DIR / f"{n}.toml" for n in names]
    sys.exit(main(configs))
