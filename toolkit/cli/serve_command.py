"""``speechtag serve``: the HTTP API (and OpenAPI docs) on one loaded model."""

from __future__ import annotations

import argparse
import sys

from toolkit.cli.common import workspace
from toolkit.errors import InputError
from toolkit.limits import MAX_BODY_BYTES
from toolkit.serve import serve
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise InputError("--port", "a port from 0 to 65535", str(args.port), "Use --port 8000.")
    if args.max_bytes is not None and args.max_bytes < 1:
        raise InputError("--max-bytes", "a positive number of bytes", str(args.max_bytes),
                         f"Use --max-bytes {MAX_BODY_BYTES}.")
    if not 0 < args.header_timeout <= 3600:
        raise InputError("--header-timeout", "seconds in (0, 3600]", str(args.header_timeout),
                         "Use --header-timeout 10.")
    tagger = Tagger.load(args.model, workspace(args).root)
    tagger.warm_up()
    print(f"speechtag: serving {tagger.name} on http://{args.host}:{args.port} "
          f"(docs at /docs{', token required' if args.token else ''})", file=sys.stderr)
    serve(tagger, args.host, args.port, args.token, args.max_bytes or MAX_BODY_BYTES,
          args.header_timeout)
    return 0
