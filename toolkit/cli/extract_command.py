"""``speechtag extract``: the units of one label as a Markdown outline or JSON lines."""

from __future__ import annotations

import argparse
import sys

from toolkit.cli.common import tagged_inputs
from toolkit.extract import json_lines, outline
from toolkit.outputs import claimed, write_text


def run(args: argparse.Namespace) -> int:
    inputs = tagged_inputs(args)
    with claimed(args.output, inputs.sources) as out:
        return _extract(args, inputs, out)


def _extract(args: argparse.Namespace, inputs, out) -> int:
    chunks = (json_lines if args.json else outline)(inputs.rows(), args.label)
    count = 0
    if out:
        chunks = list(chunks)
        write_text(out, "".join(chunks))
        count = len(chunks)
    else:
        for chunk in chunks:
            sys.stdout.write(chunk)
            count += 1
    if not args.quiet:
        what = f"{args.label} units" if args.json else f"speeches with {args.label} units"
        print(f"speechtag: {count} {what} from "
              f"{len(inputs.sources) - inputs.failed} of {len(inputs.sources)} inputs"
              + (f"; {inputs.failed} failed" if inputs.failed else "")
              + (f"; wrote {args.output}" if args.output else ""), file=sys.stderr)
    return 1 if inputs.failed else 0
