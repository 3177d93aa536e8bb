"""Time a full `speechtag train` (by-document CV, held-out genres, final fit, save) on the
shipped data.

    python benchmarks/train.py [--mlflow]

Without --mlflow the run skips tracking, to time the learning alone.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from toolkit.paths import DATASETS_DIR, DEFAULT_EXPERIMENT


def main(with_mlflow: bool) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        # The shipped data and experiment, run from a scratch workspace (MLflow logs there).
        command = [sys.executable, "-m", "toolkit", "-q", "train", "--data", str(DATASETS_DIR),
                   "--config", str(DEFAULT_EXPERIMENT), "--models-dir",
                   str(Path(scratch) / "models")] + ([] if with_mlflow else ["--no-mlflow"])
        started = time.perf_counter()
        subprocess.run(command, cwd=scratch, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    logging = " + MLflow logging" if with_mlflow else ""
    print(f"train + by-document CV + held-out genres + save{logging}: "
          f"{seconds:.1f} s wall (one process, cold start included)")
    return 0


if __name__ == "__main__":
    sys.exit(main("--mlflow" in sys.argv[1:]))
