#!/usr/bin/env python3
"""bench/realtime.py: how many realtime sockets one Parley node holds, and how fast a business message reaches them.

Given a running Parley (its URL and the account key), it provisions an app with a `web` integration and C
conversations, each started by its own messenger session; opens S WebSockets to /web/{integrationId}/socket spread
evenly over them (several sockets share a conversation's session: one person with several tabs), signs each in and
subscribes it; reads the server's resident memory before and after (memory per idle socket); then posts M business
messages through PostMessage, each to a random conversation, paced, and times their arrival on every socket of that
conversation. Then the fan-out case: one more conversation followed by F sockets, M2 messages. Every socket must get
every message of its conversation exactly once. See bench/README.md; bench/run runs it as its `realtime` part.

Python 3 stdlib only: one asyncio loop and a WebSocket client of its own (RFC 6455) read in loop callbacks, so a frame
costs a callback and a substring search, not a coroutine and a JSON parse. A delivery is timed by the kernel's receive
time (SO_TIMESTAMPNS), so a busy client loop does not count against the server; the client's own CPU time and how
long frames waited for its loop are reported too.

Usage: bench/realtime.py --url http://127.0.0.1:8080 [--pid N] [--sockets 10000] [--conversations 1000] [--json PATH]
(the account key from PARLEY_ACCOUNT_KEY_ID / PARLEY_ACCOUNT_KEY_SECRET, or --key-id / --key-secret)
"""
import argparse
import asyncio
import base64
import gc
import hashlib
import json
import math
import os
import random
import resource
import secrets
import socket
import struct
import sys
import time
import urllib.parse

WEBSOCKET_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# Linux's SO_TIMESTAMPNS (also the control message's type; Python's socket module does not name it): the kernel's
# receive time, CLOCK_REALTIME, on every recvmsg.
SO_TIMESTAMPNS = 35
TIMESPEC = struct.Struct("qq")
# One buffer for every socket's reads (one thread): no allocation per read.
READ_BUFFER = bytearray(256 * 1024)
READ_VIEW = memoryview(READ_BUFFER)
clock = time.perf_counter


def log(*parts):
    print(f"[{time.strftime('%H:%M:%S')}]", *parts, flush=True)


# -- a minimal keep-alive HTTP/1.1 client -----------------------------------------------------------


class HTTPConnection:
    """One kept-alive connection; requests on it run one at a time."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method, path, auth=None, body=None):
        """Returns (status, decoded JSON or bytes, the time just before the request was written, the time at the
        answer's end)."""
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._exchange(method, path, auth, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise

    async def _exchange(self, method, path, auth, body):
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(data)}\r\n"
        if data:
            head += "Content-Type: application/json\r\n"
        if auth:
            head += f"Authorization: {auth}\r\n"
        sent = time.time()  # the wall clock, as the kernel's receive times on the sockets
        self.writer.write(head.encode() + b"\r\n" + data)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                payload += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        else:
            payload = await self.reader.readexactly(int(headers.get("content-length", 0)))
        answered = time.time()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, (json.loads(payload) if payload[:1] in (b"{", b"[") else payload), sent, answered

    def close(self):
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None


class HTTPPool:
    """A few kept-alive connections shared by concurrent requests."""

    def __init__(self, host, port, size):
        self.idle = asyncio.Queue()
        self.all = [HTTPConnection(host, port) for _ in range(size)]
        for connection in self.all:
            self.idle.put_nowait(connection)

    async def request(self, method, path, auth=None, body=None, expect=None):
        connection = await self.idle.get()
        try:
            status, answer, sent, answered = await connection.request(method, path, auth, body)
        finally:
            self.idle.put_nowait(connection)
        if expect and status != expect:
            raise RuntimeError(f"{method} {path}: {status} {str(answer)[:300]}")
        return status, answer, sent, answered

    def close(self):
        for connection in self.all:
            connection.close()


def basic(key_id, secret):
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


# -- the WebSocket client ---------------------------------------------------------------------------


class Socket:
    """One messenger socket on a non-blocking socket of its own, read in a loop callback with `recvmsg` so that each
    read comes with the kernel's receive time (SO_TIMESTAMPNS): a frame's latency then ends when the server's bytes
    reached this socket, not when this busy loop got round to it (both are kept). A text frame that carries the run's
    marker is recorded as (message number, kernel time, loop time) without being decoded; the few others (ready,
    subscribed, error) are decoded as JSON. The server's pings are answered at once: it closes a socket that misses
    them."""

    # Counters shared by every socket: marked frames (the wait for deliveries polls it) and the server's pings.
    received = 0
    pings = 0
    kernel_times = 0  # reads that came with the kernel's receive time

    def __init__(self, path, host, marker, conversation):
        self.path, self.host, self.marker, self.conversation = path, host, marker, conversation
        self.key = base64.b64encode(os.urandom(16)).decode()
        self.loop = asyncio.get_running_loop()
        self.sock = None
        self.buffer = bytearray()
        self.pending = None  # bytes the kernel would not take yet
        self.upgraded = self.loop.create_future()
        self.waiting = None  # (frame type, future): the answer a command is waiting for
        self.fragments = None
        self.arrivals = []  # (message number, kernel receive time, loop time)
        self.lost = False  # ended by the server (or the network), not by us
        self.close_code = None
        self.errors = []
        self.other_frames = 0

    async def open(self, host, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        except OSError:
            pass  # no kernel times here: the loop's own clock stands in
        try:
            await self.loop.sock_connect(self.sock, (host, port))
        except BaseException:
            self.sock.close()
            self.sock = None
            raise
        self.loop.add_reader(self.sock.fileno(), self._readable)
        self._write((f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: {self.key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())

    # reading

    def _readable(self):
        try:
            count, ancillary, _, _ = self.sock.recvmsg_into((READ_BUFFER,), 64)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            return self._lose(error)
        if not count:
            return self._lose(None)
        seen = time.time()
        kernel = seen
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
                seconds, nanoseconds = TIMESPEC.unpack_from(value)
                kernel = seconds + nanoseconds * 1e-9
                Socket.kernel_times += 1
        self._received(READ_VIEW[:count], kernel, seen)

    def _received(self, data, kernel, seen):
        buffer = self.buffer
        buffer += data
        if not self.upgraded.done() and not self._handshake():
            return
        position, size = 0, len(buffer)
        while size - position >= 2:
            first, second = buffer[position], buffer[position + 1]
            length, header = second & 0x7F, 2
            if length == 126:
                if size - position < 4:
                    break
                length, header = int.from_bytes(buffer[position + 2:position + 4], "big"), 4
            elif length == 127:
                if size - position < 10:
                    break
                length, header = int.from_bytes(buffer[position + 2:position + 10], "big"), 10
            mask = None
            if second & 0x80:  # servers must not mask, but read it right if one does
                mask = bytes(buffer[position + header:position + header + 4])
                header += 4
            if size - position < header + length:
                break
            payload = bytes(buffer[position + header:position + header + length])
            if mask:
                payload = unmask(payload, mask)
            position += header + length
            self._frame(first & 0x0F, first & 0x80, payload, kernel, seen)
        if position:
            del buffer[:position]

    def _handshake(self):
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        del self.buffer[:end + 4]
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:])}
        accept = base64.b64encode(hashlib.sha1(self.key.encode() + WEBSOCKET_GUID).digest()).decode()
        if " 101 " not in head[0] + " " or headers.get("sec-websocket-accept") != accept:
            self.upgraded.set_exception(ConnectionError(f"upgrade refused: {head[0]}"))
            self.close()
            return False
        self.upgraded.set_result(None)
        return True

    def _frame(self, opcode, final, payload, kernel, seen):
        if opcode == 0x0:  # continuation
            if self.fragments is None:
                return
            self.fragments.append(payload)
            if final:
                payload, self.fragments = b"".join(self.fragments), None
                self._text(payload, kernel, seen)
        elif opcode == 0x1:
            if final:
                self._text(payload, kernel, seen)
            else:
                self.fragments = [payload]
        elif opcode == 0x9:  # ping
            Socket.pings += 1
            self.send(0xA, payload)
        elif opcode == 0x8:  # close: answer it; the server then ends the connection
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
            self.send(0x8, payload[:2])

    def _text(self, payload, kernel, seen):
        # The hot path: an event carrying a message of this run. Its number sits right after the marker.
        at = payload.find(self.marker)
        if at >= 0:
            start = at + len(self.marker)
            self.arrivals.append((int(payload[start:start + 7]), kernel, seen))
            Socket.received += 1
            return
        frame = json.loads(payload)
        kind = frame.get("type")
        if kind == "error":
            self.errors.append(frame)
            self._fail(RuntimeError(f"error frame: {frame}"))
        elif self.waiting and self.waiting[0] == kind:
            waiting, self.waiting = self.waiting[1], None
            if not waiting.done():
                waiting.set_result(frame)
        else:
            self.other_frames += 1

    def _fail(self, problem):
        if self.waiting and not self.waiting[1].done():
            self.waiting[1].set_exception(problem)
        self.waiting = None

    def _lose(self, error):
        self.lost = True
        self.close()
        problem = ConnectionError(f"socket closed by the server (close code {self.close_code}, {error!r})")
        if not self.upgraded.done():
            self.upgraded.set_exception(problem)
        self._fail(problem)

    # writing

    def send(self, opcode, payload):
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = bytes((0x80 | opcode, 0x80 | length))
        elif length < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + length.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + length.to_bytes(8, "big")
        self._write(header + mask + unmask(payload, mask))

    def _write(self, data):
        if self.sock is None:
            return
        if self.pending:
            self.pending += data
            return
        try:
            sent = self.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError as error:
            return self._lose(error)
        if sent < len(data):
            self.pending = bytearray(data[sent:])
            self.loop.add_writer(self.sock.fileno(), self._writable)

    def _writable(self):
        try:
            sent = self.sock.send(self.pending)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            return self._lose(error)
        del self.pending[:sent]
        if not self.pending:
            self.pending = None
            self.loop.remove_writer(self.sock.fileno())

    async def command(self, frame, answer, timeout):
        """Sends a JSON frame and waits for the frame of type `answer`."""
        future = self.loop.create_future()
        self.waiting = (answer, future)
        self.send(0x1, json.dumps(frame).encode())
        return await asyncio.wait_for(future, timeout)

    def close(self):
        if self.sock is not None:
            self.loop.remove_reader(self.sock.fileno())
            if self.pending:
                self.loop.remove_writer(self.sock.fileno())
            self.sock.close()
            self.sock = None


def unmask(payload, mask):
    """XOR with the 4-byte mask, as one big-integer operation rather than a loop over bytes."""
    length = len(payload)
    if not length:
        return b""
    key = (mask * (length // 4 + 1))[:length]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")


# -- the server's process ---------------------------------------------------------------------------


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def find_pid(port):
    """The process listening on the TCP port: its socket's inode in /proc/net/tcp*, then the process holding it."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in list(f)[1:]:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                        inodes.add(fields[9])
        except OSError:
            pass
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


def raise_open_files(needed):
    """Sockets are files: lift our own soft limit to the hard one, and say so when even that is too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < needed:
        sys.exit(f"this run needs about {needed} open files and the hard limit is {target}: raise it "
                 "(`ulimit -Hn`, /etc/security/limits.conf, LimitNOFILE=) or ask for fewer --sockets")
    return target


# -- statistics -------------------------------------------------------------------------------------


def percentile(values, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary_ms(seconds):
    return {"count": len(seconds), **{name: (round(value * 1000, 2) if value is not None else None)
                                      for name, value in (("p50", percentile(seconds, 50)), ("p99", percentile(seconds, 99)),
                                                          ("max", max(seconds) if seconds else None))}}


class LoopLag:
    """How late the loop wakes a 10 ms timer: how busy the client is. Deliveries are timed by the kernel, so this
    does not count in their latency, but it is CPU the server did not get."""

    def __init__(self):
        self.lags = []
        self.task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self):
        while True:
            expected = clock() + 0.01
            await asyncio.sleep(0.01)
            self.lags.append(clock() - expected)

    def finish(self):
        self.task.cancel()
        return summary_ms(self.lags)


# -- the benchmark ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        url = urllib.parse.urlsplit(args.url)
        self.host, self.port = url.hostname, url.port or 80
        self.http = HTTPPool(self.host, self.port, args.http_connections)
        self.pid = args.pid or find_pid(self.port)
        # Every message's text carries this marker and a 7-digit number: sockets find it without decoding JSON.
        self.token = secrets.token_hex(6)
        self.marker = f"rtbench-{self.token}-".encode()
        self.next_number = 0
        self.sockets = []
        self.results = {"config": {k: v for k, v in vars(args).items() if k not in ("url", "pid", "key_id", "key_secret", "json")}}

    # provisioning

    async def provision(self):
        account = basic(self.args.key_id, self.args.key_secret)
        _, body, _, _ = await self.http.request("POST", "/v2/apps", account, {"displayName": "Realtime bench"}, expect=201)
        self.app = body["app"]["id"]
        _, body, _, _ = await self.http.request("POST", f"/v2/apps/{self.app}/keys", account, {"displayName": "bench"}, expect=201)
        self.auth = basic(body["key"]["id"], body["key"]["secret"])
        _, body, _, _ = await self.http.request("POST", f"/v2/apps/{self.app}/integrations", self.auth, {"type": "web"}, expect=201)
        self.integration = body["integration"]["id"]
        # The spread conversations, then one more for the fan-out case.
        self.conversations = await gather_limited(
            [self.messenger_conversation for _ in range(self.args.conversations + 1)], self.args.http_connections)

    async def messenger_conversation(self):
        """A visitor's first visit: a session for a new device, then their conversation. Returns (id, session)."""
        base = f"/web/{self.integration}"
        _, body, _, _ = await self.http.request("POST", f"{base}/sessions", None, {"device": {"guid": secrets.token_hex(16)}},
                                                expect=201)
        session = body["session"]
        _, body, _, _ = await self.http.request("POST", f"{base}/conversations", f"Bearer {session}", {}, expect=201)
        return body["conversation"]["id"], session

    # sockets

    async def open_socket(self, conversation):
        conversation_id, session = conversation
        ws = Socket(f"/web/{self.integration}/socket", f"{self.host}:{self.port}", self.marker, conversation_id)
        try:
            await ws.open(self.host, self.port)
            await asyncio.wait_for(ws.upgraded, self.args.timeout)
            await ws.command({"type": "auth", "session": session}, "ready", self.args.timeout)
            await ws.command({"type": "subscribe", "conversationId": conversation_id, "after": 0}, "subscribed",
                             self.args.timeout)
        except BaseException:
            ws.close()
            raise
        return ws

    async def open_sockets(self, conversations, count):
        """`count` sockets spread evenly over the conversations, `--connect-concurrency` handshakes at a time."""
        started, cpu = clock(), time.process_time()
        targets = [conversations[i % len(conversations)] for i in range(count)]
        opened = await gather_limited([lambda c=c: self.open_socket(c) for c in targets], self.args.connect_concurrency,
                                      return_exceptions=True)
        sockets = [s for s in opened if isinstance(s, Socket)]
        failures = [s for s in opened if not isinstance(s, Socket)]
        seconds = clock() - started
        if failures:
            log(f"   {len(failures)} sockets failed to open, e.g. {failures[0]!r} (the server's PARLEY_MAX_CONNECTIONS "
                "and open-files limit cap its connections)")
        log(f"   {len(sockets):,} sockets subscribed in {seconds:.1f} s ({len(sockets) / seconds:,.0f}/s)")
        return sockets, {"opened": len(sockets), "failed": len(failures), "seconds": round(seconds, 2),
                         "per_s": round(len(sockets) / seconds), "client_cpu_s": round(time.process_time() - cpu, 2),
                         "failure_example": repr(failures[0])[:300] if failures else None}

    async def idle(self, seconds):
        """Idle, the server only pings (every socket once per PARLEY_REALTIME_PING_SECONDS, 15 by default): its CPU
        over at least one such period is what holding the sockets costs it."""
        server_cpu, pings, started = cpu_seconds(self.pid), Socket.pings, clock()
        await asyncio.sleep(seconds)
        elapsed = clock() - started
        cpu, pinged = cpu_seconds(self.pid) - server_cpu, Socket.pings - pings
        result = {"seconds": seconds, "server_cpu_share": round(cpu / elapsed, 3), "pings_per_s": round(pinged / elapsed),
                  "server_cpu_per_ping_us": round(cpu / pinged * 1e6) if pinged else None}
        log(f"   idle {seconds:g} s: server CPU {result['server_cpu_share']:.1%} of a core, {result['pings_per_s']:,} pings/s "
            f"answered ({result['server_cpu_per_ping_us']} µs of server CPU each)")
        return result

    # latency

    async def post(self, conversation_id, number, posts):
        text = f"{self.marker.decode()}{number:07d} realtime bench"
        try:
            status, _, sent, answered = await self.http.request(
                "POST", f"/v2/apps/{self.app}/conversations/{conversation_id}/messages", self.auth,
                {"author": {"type": "business"}, "content": {"type": "text", "text": text}})
        except (OSError, asyncio.IncompleteReadError) as error:
            log(f"   POST {number} failed: {error!r}")
            status, sent, answered = None, time.time(), time.time()
        posts[number] = (conversation_id, sent, answered, status)

    async def latency(self, name, conversation_ids, messages, rate):
        """Posts `messages` at `rate`/s, each to a random one of `conversation_ids`, and times its arrival on every
        socket following that conversation. Every open socket is checked: one of another conversation that gets a
        message of this run counts as a stray."""
        followers = {}
        for ws in self.sockets:
            followers[ws.conversation] = followers.get(ws.conversation, 0) + 1
        following = sum(followers.get(c, 0) for c in conversation_ids)
        log(f"{name}: {messages} messages at {rate:g}/s over {len(conversation_ids):,} conversation(s) followed by "
            f"{following:,} sockets ({len(self.sockets):,} open)")
        # Fresh connections for the posts: a kept-alive one the server closed while idle would cost a retry.
        self.http.close()
        posts, tasks = {}, []
        first = self.next_number
        self.next_number += messages
        received_before = Socket.received
        expected = 0
        gc.collect()
        gc.disable()  # no collector pauses inside the measurement
        lag = LoopLag()
        cpu, server_cpu, started = time.process_time(), cpu_seconds(self.pid), clock()
        for k in range(messages):
            conversation_id = random.choice(conversation_ids)
            expected += followers.get(conversation_id, 0)
            await asyncio.sleep(max(0.0, started + k / rate - clock()))
            tasks.append(asyncio.create_task(self.post(conversation_id, first + k, posts)))
        await asyncio.gather(*tasks)
        # Wait for the deliveries (each is timed when it arrives, not when this loop notices), then a little
        # longer so that duplicates would show.
        deadline = clock() + self.args.deliver_timeout
        while Socket.received - received_before < expected and clock() < deadline:
            await asyncio.sleep(0.02)
        delivered_at = clock()
        window = delivered_at - started
        client_cpu, server_cpu = time.process_time() - cpu, cpu_seconds(self.pid) - server_cpu
        loop_lag = lag.finish()
        await asyncio.sleep(1)
        gc.enable()
        result = self.analyse(self.sockets, posts, range(first, first + messages))
        result.update(messages=messages, rate_per_s=rate, conversations=len(conversation_ids), sockets=following,
                      deliveries_expected=expected, window_s=round(window, 2), client_cpu_s=round(client_cpu, 2),
                      client_cpu_share=round(client_cpu / window, 2), server_cpu_s=round(server_cpu, 2),
                      server_cpu_share=round(server_cpu / window, 2), loop_lag_ms=loop_lag)
        self.print_latency(name, result)
        return result

    @staticmethod
    def analyse(sockets, posts, numbers):
        """Per (message, socket): latency from just before the POST was written to the frame's arrival; misses,
        duplicates and strays (a message of another conversation) per socket."""
        numbers = set(numbers)
        by_conversation = {}
        for number, (conversation_id, *_rest) in posts.items():
            by_conversation.setdefault(conversation_id, set()).add(number)
        latencies, loop_latencies, client_delays, misses, duplicates, strays = [], [], [], 0, 0, 0
        first_arrival, last_arrival = {}, {}
        for ws in sockets:
            expected = by_conversation.get(ws.conversation, set())
            got = set()
            for number, kernel, seen in ws.arrivals:
                if number not in numbers:
                    continue
                if number not in expected:
                    strays += 1
                elif number in got:
                    duplicates += 1
                else:
                    got.add(number)
                    latency = kernel - posts[number][1]
                    latencies.append(latency)
                    loop_latencies.append(seen - posts[number][1])
                    client_delays.append(seen - kernel)
                    first_arrival[number] = min(first_arrival.get(number, latency), latency)
                    last_arrival[number] = max(last_arrival.get(number, latency), latency)
            misses += len(expected - got)
        answers = [answered - sent for _, sent, answered, _ in posts.values()]
        return {"latency_ms": summary_ms(latencies), "misses": misses, "duplicates": duplicates, "strays": strays,
                "post_errors": sum(1 for *_rest, status in posts.values() if status != 201),
                # Stages: the POST's answer (the durable write), the first socket, the last socket of each message.
                "post_answer_ms": summary_ms(answers), "first_socket_ms": summary_ms(list(first_arrival.values())),
                "last_socket_ms": summary_ms(list(last_arrival.values())),
                # The same deliveries timed when the client's loop read them, and how long they waited for it.
                "loop_latency_ms": summary_ms(loop_latencies), "client_delay_ms": summary_ms(client_delays)}

    @staticmethod
    def print_latency(name, r):
        lat = r["latency_ms"]
        log(f"   {lat['count']:,} deliveries of {r['deliveries_expected']:,} expected: p50 {lat['p50']} ms, p99 {lat['p99']} ms, "
            f"max {lat['max']} ms; misses {r['misses']}, duplicates {r['duplicates']}, strays {r['strays']}, "
            f"post errors {r['post_errors']}")
        log(f"   stages p50/p99: POST answered {r['post_answer_ms']['p50']}/{r['post_answer_ms']['p99']} ms, first socket "
            f"{r['first_socket_ms']['p50']}/{r['first_socket_ms']['p99']} ms, last socket "
            f"{r['last_socket_ms']['p50']}/{r['last_socket_ms']['p99']} ms")
        log(f"   as the client's loop read them: p50 {r['loop_latency_ms']['p50']} ms, p99 {r['loop_latency_ms']['p99']} ms "
            f"(waiting for the loop: p50 {r['client_delay_ms']['p50']} ms, p99 {r['client_delay_ms']['p99']} ms)")
        log(f"   CPU over {r['window_s']} s: client {r['client_cpu_s']} s ({r['client_cpu_share']:.0%} of a core), server "
            f"{r['server_cpu_s']} s ({r['server_cpu_share']:.0%}); client loop lag p99 {r['loop_lag_ms']['p99']} ms, "
            f"max {r['loop_lag_ms']['max']} ms")

    # the whole run

    async def run(self):
        a = self.args
        if not self.pid:
            sys.exit(f"no process found listening on port {self.port}: pass --pid")
        self.results["open_files_limit"] = raise_open_files(a.sockets + a.fanout_sockets + 200)
        cpu_start, started = time.process_time(), clock()
        log(f"provisioning {a.conversations + 1:,} messenger conversations on {a.url} (server pid {self.pid})")
        await self.provision()
        spread, fanout = self.conversations[:-1], self.conversations[-1]
        await asyncio.sleep(1)
        before = rss_kib(self.pid)
        log(f"opening {a.sockets:,} sockets over {len(spread):,} conversations (server RSS {before / 1024:.1f} MiB)")
        sockets, opening = await self.open_sockets(spread, a.sockets)
        self.sockets += sockets
        gc.freeze()  # the sockets live to the end: keep them out of the collector's scans
        await asyncio.sleep(a.settle)
        after = rss_kib(self.pid)
        self.results["memory"] = {"rss_before_kib": before, "rss_idle_kib": after, "sockets": len(sockets),
                                  "bytes_per_socket": round((after - before) * 1024 / max(len(sockets), 1)),
                                  "settle_s": a.settle}
        log(f"   server RSS {after / 1024:.1f} MiB idle with {len(sockets):,} sockets: "
            f"{self.results['memory']['bytes_per_socket']:,} bytes per socket")
        self.results["idle"] = await self.idle(a.idle)
        self.results["open"] = opening
        self.results["spread"] = await self.latency("spread", [c for c, _ in spread], a.messages, a.rate)

        log(f"opening {a.fanout_sockets:,} sockets on one more conversation (the {len(sockets):,} stay open)")
        fan_sockets, fan_opening = await self.open_sockets([fanout], a.fanout_sockets)
        self.sockets += fan_sockets
        self.results["fanout_open"] = fan_opening
        await asyncio.sleep(1)
        self.results["fanout"] = await self.latency("fan-out", [fanout[0]], a.fanout_messages, a.fanout_rate)
        self.results["rss_end_kib"] = rss_kib(self.pid)
        self.results["closed_by_server"] = sum(1 for ws in self.sockets if ws.lost)
        self.results["error_frames"] = sum(len(s.errors) for s in self.sockets)
        self.results["pings_answered"] = Socket.pings
        self.results["kernel_receive_times"] = Socket.kernel_times > 0
        self.results["client_max_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.results["client_cpu_total_s"] = round(time.process_time() - cpu_start, 1)
        self.results["total_s"] = round(clock() - started, 1)
        for ws in self.sockets:
            ws.close()
        self.http.close()
        await asyncio.sleep(0.5)
        return self.results


async def gather_limited(factories, limit, return_exceptions=False):
    """Runs the coroutine factories with at most `limit` at a time; results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(factory):
        async with gate:
            return await factory()
    return await asyncio.gather(*(one(f) for f in factories), return_exceptions=return_exceptions)


def verdict(results, goal_ms):
    """Met when p99 of both cases is within the goal and every socket got every message exactly once."""
    cases = [results[name] for name in ("spread", "fanout")]
    exact = all(c["misses"] == 0 and c["duplicates"] == 0 and c["strays"] == 0 for c in cases)
    fast = all(c["latency_ms"]["p99"] is not None and c["latency_ms"]["p99"] <= goal_ms for c in cases)
    return exact and fast and results["open"]["failed"] == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the running Parley, e.g. http://127.0.0.1:8080")
    parser.add_argument("--pid", type=int, help="the server's process id (default: the one listening on the URL's port)")
    parser.add_argument("--key-id", default=os.environ.get("PARLEY_ACCOUNT_KEY_ID"))
    parser.add_argument("--key-secret", default=os.environ.get("PARLEY_ACCOUNT_KEY_SECRET"))
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=1_000)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50, help="messages per second in the spread case")
    parser.add_argument("--fanout-sockets", type=int, default=1_000)
    parser.add_argument("--fanout-messages", type=int, default=50)
    parser.add_argument("--fanout-rate", type=float, default=10, help="messages per second in the fan-out case")
    parser.add_argument("--connect-concurrency", type=int, default=100, help="socket handshakes in flight at once")
    parser.add_argument("--http-connections", type=int, default=8)
    parser.add_argument("--settle", type=float, default=5, help="seconds idle before memory is read")
    parser.add_argument("--idle", type=float, default=15, help="seconds idle for the server's CPU (one ping period)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a socket may take to open and subscribe")
    parser.add_argument("--deliver-timeout", type=float, default=30, help="seconds to wait for the last deliveries")
    parser.add_argument("--goal-ms", type=float, default=100, help="the p99 goal")
    parser.add_argument("--json", metavar="PATH", help="also write the results to this file")
    args = parser.parse_args()
    if not (args.key_id and args.key_secret):
        sys.exit("the account key: PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET, or --key-id and --key-secret")
    results = asyncio.run(Bench(args).run())
    results["goal_met"] = verdict(results, args.goal_ms)
    m, s, f = results["memory"], results["spread"], results["fanout"]
    print(f"\nsockets {m['sockets']:,} over {args.conversations:,} conversations; {m['bytes_per_socket']:,} bytes per idle socket "
          f"(RSS {m['rss_before_kib'] / 1024:.1f} → {m['rss_idle_kib'] / 1024:.1f} MiB)")
    for name, r in (("spread", s), ("fan-out", f)):
        lat = r["latency_ms"]
        print(f"{name}: {r['messages']} messages to {r['deliveries_expected']:,} socket deliveries: p50 {lat['p50']} ms, "
              f"p99 {lat['p99']} ms, max {lat['max']} ms; misses {r['misses']}, duplicates {r['duplicates']}; "
              f"client CPU {r['client_cpu_share']:.0%} of a core")
    print(f"goal (p99 ≤ {args.goal_ms:g} ms, every message exactly once): {'met' if results['goal_met'] else 'NOT met'}; "
          f"sockets closed by the server during the run: {results['closed_by_server']} "
          f"({results['pings_answered']:,} server pings answered); client CPU {results['client_cpu_total_s']} s in all")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
