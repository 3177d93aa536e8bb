"""The HTTP API: ``POST /v1/tag``, ``POST /v1/tag-file``, ``GET /v1/health``, ``GET /v1/model``,
OpenAPI at /docs, and the page at ``/`` (with its assets under ``/static/``).

Requests are size-limited before they are read in full, validated by schema,
and, when a token is set, API calls must carry ``Authorization: Bearer <token>``;
the page itself is public, and asks the user for the token when the API answers 401.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from toolkit.errors import SpeechtagError
from toolkit.limits import (
    BODY_TIMEOUT_SECONDS,
    HEADER_TIMEOUT_SECONDS,
    IDLE_TIMEOUT_SECONDS,
    MAX_BODY_BYTES,
    MAX_CONNECTIONS,
    MAX_REQUEST_UNITS,
    MAX_UNIT_CHARS,
)
from toolkit.read import read_bytes

STATIC_DIR = Path(__file__).parent / "static"
# /v1/tag-file reads its body itself; this tells the OpenAPI docs what it expects.
_RAW_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


class UnitIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str = Field(min_length=1, max_length=MAX_UNIT_CHARS)
    doc_id: str | None = None
    sent_id: int | None = Field(default=None, ge=0)


class TagRequest(BaseModel):
    """Either ``text`` (a whole speech, cleaned and split) or ``units`` (one speech, pre-split)."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, min_length=1)
    units: list[UnitIn] | None = Field(default=None, min_length=1, max_length=MAX_REQUEST_UNITS)
    doc_id: str = "speech"
    explain: bool = True

    @model_validator(mode="after")
    def one_of_text_or_units(self) -> TagRequest:
        if (self.text is None) == (self.units is None):
            raise ValueError("give exactly one of 'text' (a speech) or 'units' (a list)")
        return self


class UnitOut(BaseModel):
    doc_id: str
    sent_id: int
    text: str
    start: int | None = None
    end: int | None = None
    heading_level: int = 0
    section: list[str] = []
    para_id: int | None = None
    label: str
    confidence: float
    probabilities: dict[str, float]
    cues: list[str] = []


class TagResponse(BaseModel):
    model: str
    units: list[UnitOut]


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def create_app(tagger, token: str | None = None, max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The API around one loaded :class:`toolkit.tag.Tagger`."""
    app = FastAPI(
        title="speechtag",
        description="Tag each sentence of a Chinese work-meeting speech with its rhetorical role.",
        version=tagger.meta.get("versions", {}).get("speechtag", "0"),
    )

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if token and request.url.path.startswith("/v1/"):
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return _error(401, "missing or wrong token: send 'Authorization: Bearer <token>'")
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_body_bytes):
            return _error(413, f"request body over the limit of {max_body_bytes} bytes")
        if request.method == "POST":
            try:
                body = await asyncio.wait_for(_read_body(request, max_body_bytes),
                                              BODY_TIMEOUT_SECONDS)
            except TimeoutError:
                return _error(408, f"request body not received within {BODY_TIMEOUT_SECONDS:g} s")
            if body is None:
                return _error(413, f"request body over the limit of {max_body_bytes} bytes")
            request._body = body
            # Clients such as `curl -d` send JSON as a form; read every body as JSON.
            request.scope["headers"] = [
                (k, v) for k, v in request.scope["headers"] if k != b"content-type"
            ] + [(b"content-type", b"application/json")]
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = [
            {"where": ".".join(str(p) for p in e["loc"][1:]) or "body", "problem": e["msg"]}
            for e in exc.errors()
        ]
        return _error(422, "invalid request: expected JSON {\"text\": \"...\"} or "
                           "{\"units\": [{\"text\": \"...\"}]}", details=_jsonable(problems))

    @app.exception_handler(SpeechtagError)
    async def unusable(request: Request, exc: SpeechtagError):
        return _error(422, str(exc))

    @app.post("/v1/tag", response_model=TagResponse)
    def tag(request: TagRequest) -> dict:
        if request.text is not None:
            tagged = tagger.tag_speech(request.text, request.doc_id)
        else:
            units = [
                {"text": unit.text, "doc_id": unit.doc_id or request.doc_id,
                 "sent_id": unit.sent_id if unit.sent_id is not None else index}
                for index, unit in enumerate(request.units)
            ]
            tagged = tagger.tag_units(units, explain=request.explain)
        return {"model": tagger.name, "units": [unit.to_dict() for unit in tagged]}

    @app.post("/v1/tag-file", response_model=TagResponse, openapi_extra=_RAW_BODY)
    async def tag_file(request: Request, name: str = "upload.txt") -> dict:
        """Tag an uploaded .txt/.md/.docx file: its raw bytes as the body, ``?name=`` its name."""
        data = await request.body()
        # Only the last path component is kept: the name labels the speech and picks
        # the reader by its suffix, and never touches the file system.
        name = Path(name).name[:200] or "upload.txt"
        return await run_in_threadpool(_tag_bytes, tagger, data, name)

    @app.get("/v1/health")
    def health() -> dict:
        return {"status": "ok", "model": tagger.name}

    @app.get("/v1/model")
    def model() -> dict:
        meta = tagger.meta
        metrics = meta.get("metrics", {})
        return {
            "name": meta.get("name"),
            "version": meta.get("model_sha256", "")[:12],
            "labels": tagger.labels,
            "created_at": meta.get("created_at"),
            "metrics": {k: metrics.get(k) for k in ("cv", "cv_accuracy", "cv_macro_f1")},
            "dataset": meta.get("dataset"),
            "versions": meta.get("versions"),
        }

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _tag_bytes(tagger, data: bytes, name: str) -> dict:
    document = read_bytes(data, name)
    tagged = tagger.tag_speech(document.text, Path(name).stem or "speech")
    return {"model": tagger.name, "units": [unit.to_dict() for unit in tagged]}


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes ``limit`` bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def serve(tagger, host: str, port: int, token: str | None, max_body_bytes: int,
          header_timeout: float = HEADER_TIMEOUT_SECONDS) -> None:
    import uvicorn

    from toolkit.serve_protocol import protocol_with_header_timeout

    uvicorn.run(create_app(tagger, token, max_body_bytes), host=host, port=port,
                log_level="warning", http=protocol_with_header_timeout(header_timeout),
                timeout_keep_alive=IDLE_TIMEOUT_SECONDS, limit_concurrency=MAX_CONNECTIONS)
