"""Images of the old blog: fetched when they are real images, listed when not; bounded."""

from __future__ import annotations

import time

from mkdocs_winwin.importing.fetch import Fetcher
from mkdocs_winwin.importing.images import Images, image_kind, on_hosts

from tests.support import PNG


def images(fetcher, stored):
    return Images(hosts=frozenset({"127.0.0.1"}), store=lambda rel, data: stored.update({rel: data}),
                  exists=lambda rel: rel in stored, fetcher=fetcher)


def test_image_kinds():
    assert image_kind(PNG) == "png"
    assert image_kind(b"\xff\xd8\xff\xe0rest") == "jpg"
    assert image_kind(b"GIF89a...") == "gif"
    assert image_kind(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"
    assert image_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>") == ""
    assert image_kind(b"<!doctype html>") == ""


def test_hosts_match_subdomains_only():
    hosts = frozenset({"bp.blogspot.com"})
    assert on_hosts("https://1.bp.blogspot.com/x.png", hosts)
    assert not on_hosts("https://evilbp.blogspot.com/x.png", hosts)
    assert not on_hosts("/relative.png", hosts)


def test_each_outcome(old_blog):
    base = f"http://127.0.0.1:{old_blog.port}"
    stored: dict[str, bytes] = {}
    with Fetcher(timeout=1.0, allow=lambda h: h == "127.0.0.1") as fetcher:
        found = images(fetcher, stored)
        start = time.monotonic()
        ok = found.resolve(f"{base}/img/photo.png", "my-post", "My post")
        assert ok and ok.startswith("assets/imported/my-post/photo-") and ok.endswith(".png")
        assert stored[ok] == PNG
        assert found.resolve(f"{base}/img/missing.png", "my-post", "My post") is None
        assert found.resolve(f"{base}/img/slow.png", "my-post", "My post") is None
        assert found.resolve(f"{base}/img/page.png", "my-post", "My post") is None
        # The server holds the answer for 60 s: anything well under that is the 1 s deadline at work
        # (a generous bound, so a loaded machine does not fail it).
        assert time.monotonic() - start < 20, "the hanging image is cut at the timeout"
        assert found.resolve("https://elsewhere.example/x.png", "my-post", "My post") is None
    assert found.failed == {
        f"{base}/img/missing.png": "the server answered HTTP 404",
        f"{base}/img/slow.png": "no complete answer within 1 s",
        f"{base}/img/page.png": "not a PNG, JPEG, GIF, WebP or AVIF image (served as text/html)",
    }
    # The same URL again: not fetched twice.
    assert found.resolve(f"{base}/img/photo.png", "other", "Other") == ok


def test_size_cap_and_schemes(httpserver):
    httpserver.expect_request("/big.png").respond_with_data(PNG + b"\0" * 5000, content_type="image/png")
    base = f"http://127.0.0.1:{httpserver.port}"
    with Fetcher(timeout=2.0, allow=lambda h: h == "127.0.0.1") as fetcher:
        found = images(fetcher, {})
        found.max_bytes = 1000
        assert found.resolve(f"{base}/big.png", "p", "P") is None
        assert "larger than" in found.failed[f"{base}/big.png"]
        found.hosts = frozenset({"127.0.0.1", ""})
        assert found.resolve("file:///etc/passwd", "p", "P") is None


def test_an_image_imported_before_is_not_fetched_again():
    stored: dict[str, bytes] = {}
    found = images(None, stored)
    path = found.local_path("http://127.0.0.1:1/img/photo.png", "p") + ".png"
    stored[path] = PNG
    assert found.resolve("http://127.0.0.1:1/img/photo.png", "p", "P") == path


def test_a_host_that_does_not_answer_is_given_up_after_three_tries():
    import socket

    with socket.socket() as listener:  # a port that accepts nothing: connections are refused at once
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    with Fetcher(timeout=1.0, allow=lambda h: h == "127.0.0.1") as fetcher:
        found = images(fetcher, {})
        for n in range(5):
            assert found.resolve(f"http://127.0.0.1:{port}/img/{n}.png", "p", "P") is None
    reasons = [found.failed[f"http://127.0.0.1:{port}/img/{n}.png"] for n in range(5)]
    assert all(r.startswith("could not connect") for r in reasons[:3])
    assert reasons[3:] == ["not tried: 127.0.0.1 did not answer 3 times in a row"] * 2


def test_a_posts_pictures_are_fetched_in_parallel_and_only_those_used_are_kept(old_blog):
    import threading

    from werkzeug import Response

    # Each answer waits until all four requests are in: fetched one at a time,
    # the barrier breaks and every picture fails. No clock involved.
    everyone = threading.Barrier(4, timeout=20)

    def together(request):
        try:
            everyone.wait()
        except threading.BrokenBarrierError:
            return Response("not in parallel", status=503)
        return Response(PNG, content_type="image/png")

    for n in range(4):
        old_blog.expect_request(f"/par/{n}.png").respond_with_handler(together)
    base = f"http://127.0.0.1:{old_blog.port}"
    html = "".join(f'<p><img src="{base}/par/{n}.png"></p>' for n in range(4))
    html += f'<a href="{base}/img/photo.png"><img src="{base}/par/thumb.png"></a>'  # the thumbnail is not wanted
    stored: dict[str, bytes] = {}
    with Fetcher(timeout=30.0, allow=lambda h: h == "127.0.0.1") as fetcher:
        found = images(fetcher, stored)
        found.prefetch(html, "p")
        paths = [found.resolve(f"{base}/par/{n}.png", "p", "P") for n in range(4)]
        assert found.resolve(f"{base}/img/photo.png", "p", "P")
        found.close()
    assert all(paths), found.failed
    assert len(stored) == 5 and not any("thumb" in path for path in stored)
