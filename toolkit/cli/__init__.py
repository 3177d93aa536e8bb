"""The ``speechtag`` command: the only package that parses argv, prints, or configures logging.

argv is parsed first (:mod:`toolkit.cli.parser` needs the standard library only); then
the one command that runs is imported, with what it needs — so ``--help`` and ``split``
never load scikit-learn, and ``tag`` never loads the web server or MLflow.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Sequence

from toolkit.errors import SpeechtagError


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``speechtag`` with ``argv``; return the exit code (0 ok, 1 failed, 2 usage)."""
    from toolkit.cli.parser import build_parser

    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * args.verbose + 10 * args.quiet,
        format="speechtag: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "INFO" if args.verbose else "WARNING")
    try:
        command = importlib.import_module(f"toolkit.cli.{args.module}")
        return command.run(args)
    except SpeechtagError as exc:
        print(f"speechtag: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except KeyboardInterrupt:
        print("speechtag: interrupted", file=sys.stderr)
        return 130
