"""The ``speechtag`` command: the only package that parses argv, prints, or configures logging.

argv is parsed first (:mod:`toolkit.cli.parser` needs the standard library only); then
the one command that runs is imported, with what it needs — so ``--help`` and ``split``
never load scikit-learn, and ``tag`` never loads the web server or MLflow.
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import sys
import traceback
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
    except OSError as exc:
        print(f"speechtag: error: {os_error(exc, args.command)}", file=sys.stderr)
        return 1
    except Exception as exc:
        # A bug: one line that says what was running; the traceback only when asked for.
        print(f"speechtag: error: `speechtag {args.command}` stopped on an unexpected "
              f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''} — "
              "this is a bug; please report it with the command you ran"
              + (":" if args.verbose else " and the traceback that -v shows."), file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return 1


_OS_FIXES = {
    errno.ENOSPC: "Free some disk space and run again.",
    errno.EDQUOT: "Free some disk space and run again.",
    errno.EACCES: "Check the permissions of the path.",
    errno.EPERM: "Check the permissions of the path.",
    errno.EROFS: "Write to a writable file system.",
    errno.ENOENT: "Check the path; create the folder first if it is missing.",
    errno.EISDIR: "Give a file name, not a folder.",
    errno.ENOTDIR: "Check the path: a part of it is a file, not a folder.",
}


def os_error(exc: OSError, command: str) -> str:
    """One sentence for what the system refused: the path, what it said, and the fix."""
    where = exc.filename if exc.filename is not None else f"speechtag {command}"
    found = exc.strerror or str(exc) or type(exc).__name__
    fix = _OS_FIXES.get(exc.errno, "Check the path and the disk.")
    return f"{where}: expected to read or write it, found the error \"{found}\". {fix}"
