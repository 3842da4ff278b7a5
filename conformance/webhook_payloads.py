#!/usr/bin/env python3
"""Webhook payloads against the spec's own schemas (its `x-webhooks` section).

Starts a local HTTP receiver, subscribes a custom integration's webhook to every trigger Parley
fires today, causes each of them through the API, and validates every delivered envelope and
event against the schema the spec gives for that event type (`conversationMessageEvent`, …),
translated from OpenAPI 3.0 (nullable, $ref) to JSON Schema for `jsonschema_rs`.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema_rs  # comes with schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP, load_spec, write_json  # noqa: E402

TRIGGERS = ["conversation:create", "conversation:message", "conversation:join", "conversation:leave",
            "conversation:remove", "conversation:read", "user:remove", "client:add", "client:remove"]


def to_json_schema(node, schemas: dict, depth: int = 0):
    """OpenAPI 3.0 schema → JSON Schema: inline $refs (bounded depth) and turn `nullable` into a type union."""
    if depth > 12:
        return {}
    if isinstance(node, list):
        return [to_json_schema(n, schemas, depth) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return to_json_schema(schemas[node["$ref"].split("/")[-1]], schemas, depth + 1)
    out = {}
    for key, value in node.items():
        if key in ("example", "examples", "description", "discriminator", "readOnly", "writeOnly",
                   "deprecated", "xml", "externalDocs", "x-resourceId", "nullable"):
            continue
        out[key] = to_json_schema(value, schemas, depth) if isinstance(value, (dict, list)) else value
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


class Receiver(BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length", 0))
        Receiver.bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--record", required=True)
    args = parser.parse_args()
    http = HTTP(args.base_url, os.environ["PARLEY_ACCOUNT_KEY_ID"], os.environ["PARLEY_ACCOUNT_KEY_SECRET"])
    spec = load_spec(args.spec)
    schemas = spec["components"]["schemas"]
    envelope = spec["x-webhooks"]["Webhook Event"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    by_type = {}
    for ref in envelope["properties"]["events"]["items"]["anyOf"]:
        schema = schemas[ref["$ref"].split("/")[-1]]
        by_type[schema.get("title")] = to_json_schema(schema, schemas)
    envelope_schema = to_json_schema({**envelope, "properties": {
        k: v for k, v in envelope["properties"].items() if k != "events"}}, schemas)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{server.server_address[1]}/hook"

    app = http.create_app("webhook payloads")
    http.create_integration(app, {"type": "custom", "webhooks": [
        {"target": target, "triggers": TRIGGERS, "includeFullUser": True}]})
    mailgun = http.create_integration(app, {"type": "mailgun", "apiKey": "k", "domain": "mg.example.com",
                                            "incomingAddress": "in@mg.example.com"})["id"]
    ann = http.create_user(app, {"externalId": "ann", "profile": {"givenName": "Ann"}})
    bob = http.create_user(app, {"externalId": "bob"})
    personal = http.create_conversation(app, {"type": "personal", "participants": [{"userId": ann}]})
    group = http.create_conversation(app, {"type": "sdkGroup", "metadata": {"team": "a"}})
    base = f"/v2/apps/{app}"
    http.expect("POST", f"{base}/conversations/{group}/join", {"userId": bob}, 201)
    http.expect("POST", f"{base}/conversations/{personal}/messages", {
        "author": {"type": "user", "userId": ann}, "content": {"type": "text", "text": "hi"}}, 201)
    http.expect("POST", f"{base}/conversations/{personal}/activity", {
        "author": {"type": "user", "userId": ann}, "type": "conversation:read"})
    client = http.expect("POST", f"{base}/users/{ann}/clients", {
        "matchCriteria": {"type": "mailgun", "integrationId": mailgun, "address": "ann@example.com"},
        "confirmation": {"type": "userActivity"}, "target": {"conversationId": personal}}, 201)["client"]["id"]
    http.expect("DELETE", f"{base}/users/{ann}/clients/{client}")
    http.expect("POST", f"{base}/conversations/{group}/leave", {"userId": bob})
    http.expect("DELETE", f"{base}/conversations/{group}")
    http.expect("DELETE", f"{base}/users/{bob}")

    deadline = time.time() + 30
    seen = set()
    while time.time() < deadline:
        seen = {e["type"] for b in Receiver.bodies for e in b.get("events", [])}
        if seen >= set(TRIGGERS):
            break
        time.sleep(0.2)
    server.shutdown()

    results = []

    def check(name, fn):
        try:
            fn()
            results.append({"name": name, "ok": True})
            print(f"PASS {name}")
        except Exception as error:  # a failed check is reported, not raised
            results.append({"name": name, "ok": False, "detail": str(error)[:800]})
            print(f"FAIL {name}: {str(error)[:800]}")

    def all_triggers_fired():
        missing = set(TRIGGERS) - seen
        assert not missing, f"never delivered: {sorted(missing)}"
    check("every trigger Parley fires today was delivered", all_triggers_fired)

    def envelopes_valid():
        for body in Receiver.bodies:
            jsonschema_rs.validate(envelope_schema, body)
            assert body["app"]["id"] == app and body["webhook"]["version"] == "v2", body
    check("every envelope matches the spec's EventWebhooks schema", envelopes_valid)

    for trigger in TRIGGERS:
        def one(trigger=trigger):
            events = [e for b in Receiver.bodies for e in b.get("events", []) if e["type"] == trigger]
            assert events, "none delivered"
            schema = by_type.get(trigger)
            assert schema is not None, f"the spec has no schema titled {trigger}"
            for event in events:
                jsonschema_rs.validate(schema, event)
        check(f"{trigger} events match the spec's schema", one)

    passed = sum(r["ok"] for r in results)
    write_json(args.record, {"checks": results, "passed": passed, "failed": len(results) - passed})
    print(f"webhook payloads: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
