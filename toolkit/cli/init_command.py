"""``speechtag init DIR``: a new workspace with the shipped data, ready to train."""

from __future__ import annotations

import argparse
import sys

from toolkit.cli.common import shown
from toolkit.workspace import init_workspace


def run(args: argparse.Namespace) -> int:
    copied = init_workspace(args.dir)
    place = shown(args.dir)
    print(f"speechtag: created the workspace {place}: datasets/ ({copied['datasets']} files), "
          "experiments/default.toml, README.md", file=sys.stderr)
    if not args.quiet:
        print(f"next: cd {place} && speechtag train && speechtag evaluate --model "
              "models/default  (README.md walks through the labelling loop)", file=sys.stderr)
    return 0
