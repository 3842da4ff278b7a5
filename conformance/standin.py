"""What every provider stand-in shares: a quiet JSON-answering request handler and the serve loop.

    class StandIn(JSONHandler): ...
    serve(StandIn)   # on the port given as the first argument
"""
from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JSONHandler(BaseHTTPRequestHandler):
    def answer(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # the run's log is the server's, not the stand-ins'
        pass


def serve(handler: type[BaseHTTPRequestHandler]) -> None:
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
