"""A small threaded TCP proxy for the browser test: it stands between the messenger and Parley so
the test can take the network away (cut: every open connection is closed and new ones are reset)
and give it back (restore), and check that the messenger resumes without gaps or duplicates.

    proxy = Proxy("127.0.0.1", 8080)   # forwards 127.0.0.1:proxy.port → 127.0.0.1:8080
    proxy.start(); ...; proxy.cut(); ...; proxy.restore(); ...; proxy.close()

Run alone (python3 proxy.py TARGET_HOST TARGET_PORT [LISTEN_PORT]) it reads "cut" / "restore"
lines on standard input.
"""
import selectors
import socket
import struct
import sys
import threading


def _reset(sock):
    """Closes with an RST (SO_LINGER 0): the peer sees a reset at once, not a polite close."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes the pump thread blocked on this socket
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Proxy:
    def __init__(self, target_host, target_port, listen_host="127.0.0.1", listen_port=0):
        self.target = (target_host, int(target_port))
        self.listener = socket.create_server((listen_host, listen_port), reuse_port=False)
        self.host = listen_host
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets = set()
        self._cut = False
        self._closed = False
        self.accepted = 0
        self.refused = 0

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def start(self):
        threading.Thread(target=self._accept_loop, name="proxy-accept", daemon=True).start()
        return self

    def cut(self):
        """Closes every current connection and refuses new ones until restore()."""
        with self._lock:
            self._cut = True
            sockets = list(self._sockets)
            self._sockets.clear()
        for sock in sockets:
            _reset(sock)

    def restore(self):
        with self._lock:
            self._cut = False

    def close(self):
        self._closed = True
        self.cut()
        try:
            self.listener.close()
        except OSError:
            pass

    def _accept_loop(self):
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                refused = self._cut
            if refused:
                self.refused += 1
                _reset(client)
                continue
            self.accepted += 1
            threading.Thread(target=self._serve, args=(client,), name="proxy-conn", daemon=True).start()

    def _serve(self, client):
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _reset(client)
            return
        with self._lock:
            if self._cut:  # cut while connecting
                _reset(client)
                _reset(upstream)
                return
            self._sockets.update((client, upstream))
        try:
            self._pump(client, upstream)
        finally:
            with self._lock:
                self._sockets.discard(client)
                self._sockets.discard(upstream)
            for sock in (client, upstream):
                try:
                    sock.close()
                except OSError:
                    pass

    @staticmethod
    def _pump(a, b):
        """Copies bytes both ways until either side closes (or cut() shuts them down)."""
        other = {a: b, b: a}
        with selectors.DefaultSelector() as selector:
            selector.register(a, selectors.EVENT_READ)
            selector.register(b, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select(timeout=1.0):
                    try:
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        other[key.fileobj].sendall(data)
                    except OSError:
                        return
                if a.fileno() < 0 or b.fileno() < 0:
                    return


def main(argv):
    if len(argv) < 3:
        print("usage: proxy.py TARGET_HOST TARGET_PORT [LISTEN_PORT]", file=sys.stderr)
        return 2
    proxy = Proxy(argv[1], int(argv[2]), listen_port=int(argv[3]) if len(argv) > 3 else 0).start()
    print("proxy listening on", proxy.url, flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "cut":
            proxy.cut()
        elif command == "restore":
            proxy.restore()
        print(command or "?", flush=True)
    proxy.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
