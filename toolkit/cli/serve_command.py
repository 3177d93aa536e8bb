"""``speechtag serve``: the HTTP API (and OpenAPI docs) on one loaded model."""

from __future__ import annotations

import argparse
import os
import sys

from toolkit.serve import MAX_BODY_BYTES, serve
from toolkit.tag import Tagger

TOKEN_ENV = "SPEECHTAG_TOKEN"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve", help="serve the tagger over HTTP",
        description="A page at / to paste or upload a speech and see it tagged; the API "
                    "POST /v1/tag, POST /v1/tag-file, GET /v1/health, GET /v1/model; "
                    "OpenAPI docs at /docs.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--model", help="model directory or MLflow URI (default: bundled)")
    parser.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                        help=f"require 'Authorization: Bearer TOKEN' (default: ${TOKEN_ENV})")
    parser.add_argument("--max-bytes", type=int, default=MAX_BODY_BYTES,
                        help=f"largest request body accepted (default {MAX_BODY_BYTES})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tagger = Tagger.load(args.model)
    tagger.warm_up()
    print(f"speechtag: serving {tagger.name} on http://{args.host}:{args.port} "
          f"(docs at /docs{', token required' if args.token else ''})", file=sys.stderr)
    serve(tagger, args.host, args.port, args.token, args.max_bytes)
    return 0
