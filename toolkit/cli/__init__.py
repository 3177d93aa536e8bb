"""The ``speechtag`` command: the only package that parses argv, prints, or configures logging."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from toolkit.errors import SpeechtagError


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``speechtag`` with ``argv``; return the exit code (0 ok, 1 failed, 2 usage)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * args.verbose + 10 * args.quiet,
        format="speechtag: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "INFO" if args.verbose else "WARNING")
    try:
        return args.run(args)
    except SpeechtagError as exc:
        print(f"speechtag: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except KeyboardInterrupt:
        print("speechtag: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    from toolkit.cli import (
        check_command,
        evaluate_command,
        import_command,
        prelabel_command,
        report_command,
        serve_command,
        split_command,
        suggest_command,
        tag_command,
        train_command,
        weak_command,
    )

    parser = argparse.ArgumentParser(
        prog="speechtag",
        description="Tag every sentence of a Chinese work-meeting speech with its rhetorical role.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="say less")
    # The same flags after the command; SUPPRESS keeps them from resetting the ones before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS)
    common.add_argument("-q", "--quiet", action="count", default=argparse.SUPPRESS)
    commands = _Commands(
        parser.add_subparsers(title="commands", required=True, metavar="COMMAND"), common
    )
    for module in (
        split_command, tag_command, train_command, evaluate_command, serve_command,
        prelabel_command, import_command, suggest_command, check_command, weak_command,
        report_command,
    ):
        module.register(commands)
    return parser


class _Commands:
    """Subcommand registry that gives every command the common -v/-q flags."""

    def __init__(self, actions: argparse._SubParsersAction, common: argparse.ArgumentParser):
        self.actions = actions
        self.common = common

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self.actions.add_parser(name, parents=[self.common], **kwargs)
