"""Serve a built site on 127.0.0.1 the way a static host does: text gzipped.

Serves FILE.gz (made beforehand, e.g. `gzip -k`) in place of FILE with
Content-Encoding: gzip when the client accepts it. For benchmarks/lighthouse.sh:
without compression Lighthouse measures a 140 KiB stylesheet no reader downloads.

    python benchmarks/serve_gzip.py PORT SITE_DIR
"""

from __future__ import annotations

import functools
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class GzipHandler(SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        gz = path + ".gz"
        if "gzip" in self.headers.get("Accept-Encoding", "") and os.path.isfile(gz):
            f = open(gz, "rb")  # noqa: SIM115 - closed by the caller, as in the stdlib
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
            self.end_headers()
            return f
        return super().send_head()

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


if __name__ == "__main__":
    port, folder = int(sys.argv[1]), sys.argv[2]
    handler = functools.partial(GzipHandler, directory=folder)
    ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
