"""Stand-in replicas for the nginx tests: a healthy HTTP server that records what reaches it, and one
that crashes mid-request (reads the request, then resets the connection without an answer)."""
from __future__ import annotations

import json
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILLER = "Göç İdaresi " * 100             # responses large enough for gzip (gzip_min_length 512)


class Seen:
    """(method, path, headers) of every request a stand-in received."""

    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()

    def add(self, method: str, path: str, headers: dict) -> None:
        with self.lock:
            self.requests.append((method, path, {k.lower(): v for k, v in headers.items()}))

    def ids(self) -> set[str]:
        return {h.get("x-test-id") for _m, _p, h in self.requests if h.get("x-test-id")}

    def paths(self) -> list[str]:
        return [p for _m, p, _h in self.requests]


class Healthy:
    """Answers every request: JSON by default, a large HTML page at /page, large JSON at /data."""

    def __init__(self, port: int):
        self.seen = Seen()
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                seen.add(self.command, self.path, dict(self.headers))
                if self.path.startswith("/page"):
                    body, kind = f"<!doctype html><title>t</title><p>{FILLER}</p>".encode(), "text/html; charset=utf-8"
                elif self.path.startswith("/data"):
                    body, kind = json.dumps({"text": FILLER}).encode(), "application/json"
                else:
                    body, kind = json.dumps({"port": port}).encode(), "application/json"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                if self.headers.get("X-Request-ID"):          # as the portal does
                    self.send_header("X-Request-ID", self.headers["X-Request-ID"])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Crashing:
    """Receives a request, records it, then resets the connection (a replica dying mid-request)."""

    def __init__(self, port: int):
        self.seen = Seen()
        self.sock = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._crash, args=(conn,), daemon=True).start()

    def _crash(self, conn: socket.socket) -> None:
        data = b""
        conn.settimeout(5)
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        if head and " " in head[0]:
            method, path = head[0].split(" ")[:2]
            headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
            self.seen.add(method, path, headers)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()

    def close(self) -> None:
        self.sock.close()
