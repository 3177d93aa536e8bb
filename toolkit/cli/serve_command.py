"""``speechtag serve``: the HTTP API (and OpenAPI docs) on one loaded model."""

from __future__ import annotations

import argparse
import sys

from toolkit.cli.common import workspace
from toolkit.serve import MAX_BODY_BYTES, serve
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    tagger = Tagger.load(args.model, workspace(args).root)
    tagger.warm_up()
    print(f"speechtag: serving {tagger.name} on http://{args.host}:{args.port} "
          f"(docs at /docs{', token required' if args.token else ''})", file=sys.stderr)
    serve(tagger, args.host, args.port, args.token, args.max_bytes or MAX_BODY_BYTES)
    return 0
