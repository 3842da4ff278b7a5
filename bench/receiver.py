#!/usr/bin/env python3
"""A small, fast webhook receiver for bench/run (stdlib only: asyncio streams, HTTP/1.1 keep-alive).

POST anything   -> 200; counts the events in the body and the lag from each event's createdAt to receipt.
GET  /stats     -> JSON: events, unique ids, requests, first/last receipt (epoch s), lag percentiles (ms).
POST /reset     -> forgets everything.
GET  /sample    -> the last body received (to measure this receiver on its own with wrk).
"""
import asyncio
import json
import sys
import time
from datetime import datetime

state = {}


def reset():
    state.update(events=0, requests=0, ids=set(), first=None, last=None, lags=[], sample=b"{}")


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values))) - 1))
    return sorted_values[index]


def stats():
    lags = sorted(state["lags"])
    return {
        "events": state["events"], "unique": len(state["ids"]), "requests": state["requests"],
        "first": state["first"], "last": state["last"],
        "lag_ms": {"p50": percentile(lags, 50), "p99": percentile(lags, 99), "max": lags[-1] if lags else None},
    }


def record(body, now):
    state["requests"] += 1
    state["sample"] = body
    try:
        events = json.loads(body).get("events", [])
    except ValueError:
        return
    if state["first"] is None:
        state["first"] = now
    state["last"] = now
    for event in events:
        state["events"] += 1
        state["ids"].add(event.get("id"))
        created = event.get("createdAt")
        if created:
            state["lags"].append((now - datetime.fromisoformat(created).timestamp()) * 1000)


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            now = time.time()
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                if line[:15].lower() == "content-length:":
                    length = int(line[15:].strip())
            body = await reader.readexactly(length) if length else b""
            reply = b""
            if method == "GET" and path == "/stats":
                reply = json.dumps(stats()).encode()
            elif method == "GET" and path == "/sample":
                reply = state["sample"]
            elif method == "POST" and path == "/reset":
                reset()
            elif method == "POST":
                record(body, now)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(reply) + reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main(port):
    reset()
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print(f"receiver listening on {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8091))
