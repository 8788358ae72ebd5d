"""The importer's fixtures: an old blog's image host on 127.0.0.1 and its exports."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

FIXTURES = Path(__file__).parent / "fixtures"
# The smallest valid PNG (1x1), as an old blog's photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def old_blog():
    """The old blog's host: one image that works, one 404, one that hangs, one that is an HTML page.

    Threaded, so the hanging image does not hold up the others.
    """
    httpserver = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpserver.start()
    httpserver.expect_request("/img/photo.png").respond_with_data(PNG, content_type="image/png")
    httpserver.expect_request("/img/avatar.png").respond_with_data(PNG, content_type="image/png")
    httpserver.expect_request("/img/missing.png").respond_with_data("gone", status=404)
    httpserver.expect_request("/img/page.png").respond_with_data(
        "<!doctype html><title>Not found</title>", content_type="text/html")

    def hang(request):
        time.sleep(3)
        return Response(PNG, content_type="image/png")

    httpserver.expect_request("/img/slow.png").respond_with_handler(hang)
    yield httpserver
    httpserver.clear()
    httpserver.stop()


def only_loopback(host: str) -> bool:
    return host == "127.0.0.1"


@pytest.fixture
def export_file(tmp_path, old_blog):
    """export_file('wordpress.xml') -> a copy whose {{BASE}} is the loopback blog's address."""
    base = f"http://127.0.0.1:{old_blog.port}"

    def make(name: str) -> Path:
        target = tmp_path / "exports" / name
        target.parent.mkdir(exist_ok=True)
        target.write_text((FIXTURES / name).read_text(encoding="utf-8").replace("{{BASE}}", base), encoding="utf-8")
        return target

    make.base = base  # type: ignore[attr-defined]
    return make
