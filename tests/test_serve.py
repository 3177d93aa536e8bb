"""The HTTP API, served for real by `speechtag serve` and spoken to over a socket."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import running_server

BIN = Path(sys.executable).parent
TOKEN = "test-token-123"



@pytest.fixture(scope="module")
def server():
    # The token comes from the environment here, as a deployment would set it.
    env = {**os.environ, "SPEECHTAG_TOKEN": TOKEN}
    with running_server(None, "--max-bytes", "100000", env=env) as url:
        yield url


def call(url: str, method: str = "GET", body: bytes | None = None, token: str | None = TOKEN):
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def post(url: str, payload, token: str | None = TOKEN):
    return call(f"{url}/v1/tag", "POST", json.dumps(payload, ensure_ascii=False).encode(), token)


def test_health_and_model(server):
    assert call(f"{server}/v1/health")[1]["status"] == "ok"
    status, model = call(f"{server}/v1/model")
    assert status == 200
    assert model["labels"] == ["achievement", "exhortation", "other", "problem", "task"]
    assert model["metrics"]["cv"] == "GroupKFold by speech" and model["version"]


def test_tag_a_speech(server):
    status, body = post(server, {"text": "同志们：\n二、存在的问题\n一是基层基础仍然薄弱。"})
    assert status == 200
    units = body["units"]
    assert [u["text"] for u in units] == ["同志们：", "二、存在的问题", "一是基层基础仍然薄弱。"]
    assert units[2]["label"] == "problem" and units[2]["section"] == ["二、存在的问题"]
    assert set(units[2]["probabilities"]) == {"achievement", "problem", "task", "exhortation",
                                               "other"}


def test_tag_units_gives_labels_like_the_python_api(server, default_tagger):
    texts = ["三、2022年工作安排", "要加快推进县医院扩建项目建设。", "同志们，让我们奋力开创新局面！"]
    status, body = post(server, {"units": [{"text": t} for t in texts]})
    assert status == 200
    expected = [u.label for u in default_tagger.tag_units([{"text": t} for t in texts])]
    assert [u["label"] for u in body["units"]] == expected


def test_requests_without_the_token_get_401(server):
    assert post(server, {"text": "同志们："}, token=None)[0] == 401
    assert post(server, {"text": "同志们："}, token="wrong")[0] == 401


def test_oversized_bodies_get_413(server):
    status, body = post(server, {"text": "好" * 60_000})
    assert status == 413 and "over the limit of 100000 bytes" in body["error"]


@pytest.mark.parametrize(("body", "problem"), [
    (b"{not json", "JSON decode error"),
    (b'{"text": "a", "units": [{"text": "b"}]}', "give exactly one of 'text'"),
    (b'{"units": []}', "at least 1 item"),
    (b'{"units": [{"text": 5}]}', "valid string"),
    (b'{"speech": "x"}', "Extra inputs are not permitted"),
])
def test_invalid_requests_get_422_with_a_clear_message(server, body, problem):
    status, answer = call(f"{server}/v1/tag", "POST", body)
    assert status == 422
    assert answer["error"].startswith("invalid request: expected JSON")
    assert any(problem in detail["problem"] for detail in answer["details"])


@pytest.mark.parametrize(("text", "message"), [
    ("开通VIP\n登录下载", "found nothing but page boilerplate"),
    (" \n\t　", "found only whitespace"),
    ("同志们\u0000\u0001\u0002", "control characters (binary data)"),
])
def test_unusable_text_gets_422_with_the_reason(server, text, message):
    status, answer = post(server, {"text": text})
    assert status == 422 and message in answer["error"]


def test_openapi_docs(server):
    with urllib.request.urlopen(f"{server}/openapi.json", timeout=10) as response:
        spec = json.loads(response.read())
    assert {"/v1/tag", "/v1/health", "/v1/model"} <= set(spec["paths"])
