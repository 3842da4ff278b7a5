"""Schemathesis hooks for the Parley conformance run (loaded through SCHEMATHESIS_HOOKS).

Reads PARLEY_CONF_STATE, a JSON file written by schemathesis_run.py:
  {"base_url", "account": [id, secret], "fixture_app", "keys_app", "stable_key",
   "markers": {"DeleteApp": id, "DeleteAppKey": id, "DeleteUser": id}, "waived": path}

1. Destructive operations never touch the fixtures. The config hands DeleteApp,
   DeleteAppKey and DeleteUser a *marker* id; before each call carrying it, a fresh
   resource is created and its id swapped in, so every call deletes something real.
2. CreateAppKey's keys are deleted again after each call, and the keys app is
   purged when it fills up, so the documented limit of 10 keys per app is not what
   the run ends up testing.
3. filter_failure waives "schema-valid request rejected" (ST202) only when the
   server answered 400 bad_request with one of the rules that the spec states in
   prose but cannot express in its schema (see EXCLUSIONS.md). Each waived failure
   is appended to the "waived" file so the runner can report it.
"""

from __future__ import annotations

import json
import os
import sys
import threading

import schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP  # noqa: E402

with open(os.environ["PARLEY_CONF_STATE"], encoding="utf-8") as _fh:
    STATE = json.load(_fh)

_http = HTTP(STATE["base_url"], *STATE["account"])
_lock = threading.Lock()
_counter = [0]

# ST202 waivers: (operationIds, phrase in the 400 error title, EXCLUSIONS.md anchor)
WAIVERS = (
    (("CreateApp", "UpdateApp"), "requires settings.multiConvoEnabled", "W1"),
    (("UpdateApp",), "cannot be disabled once enabled", "W2"),
    (("CreateApp", "UpdateApp", "CreateUser", "UpdateUser"), "limited to 4096 bytes", "W3"),
    (("ListApps",), "only one of page[after] or page[before]", "W4"),
    (("CreateAppKey",), "at most 10 keys", "W5"),
    (("CreateUser", "UpdateUser"), "signedUpAt must be an ISO 8601 datetime", "W6"),
)


def _operation_id(case) -> str:
    try:
        return case.operation.definition.raw.get("operationId", "")
    except AttributeError:
        return ""


def _fresh_name(prefix: str) -> str:
    with _lock:
        _counter[0] += 1
        return f"{prefix}-{_counter[0]}"


def _purge_keys() -> None:
    app = STATE["keys_app"]
    _, body = _http.request("GET", f"/v2/apps/{app}/keys")
    keys = [k["id"] for k in (body or {}).get("keys", []) if k["id"] != STATE["stable_key"]]
    if len(keys) >= 7:
        for key_id in keys:
            _http.request("DELETE", f"/v2/apps/{app}/keys/{key_id}")


@schemathesis.hook
def before_call(context, case, **kwargs):
    op = _operation_id(case)
    marker = STATE["markers"].get(op)
    if marker is None:
        return
    params = case.path_parameters or {}
    if op == "DeleteApp" and params.get("appId") == marker:
        params["appId"] = _http.create_app(_fresh_name("delete-me"))
    elif op == "DeleteAppKey" and params.get("keyId") == marker:
        _purge_keys()
        params["keyId"] = _http.create_key(STATE["keys_app"], _fresh_name("delete-me"))[0]
    elif op == "DeleteUser" and params.get("userIdOrExternalId") == marker:
        params["userIdOrExternalId"] = _http.create_user(
            STATE["fixture_app"], {"externalId": _fresh_name("delete-me")})


@schemathesis.hook
def after_call(context, case, response):
    if _operation_id(case) != "CreateAppKey" or response.status_code != 201:
        return
    try:
        key_id = json.loads(response.content)["key"]["id"]
    except (ValueError, KeyError, TypeError):
        return  # the checks report malformed bodies
    app = (case.path_parameters or {}).get("appId", STATE["keys_app"])
    _http.request("DELETE", f"/v2/apps/{app}/keys/{key_id}")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if getattr(failure, "code", "") != "ST202" or response is None or response.status_code != 400:
        return True
    try:
        errors = json.loads(response.content)["errors"]
        code, title = errors[0]["code"], errors[0]["title"]
    except (ValueError, KeyError, TypeError, IndexError):
        return True
    op = _operation_id(case)
    for ops, phrase, anchor in WAIVERS:
        if op in ops and code == "bad_request" and phrase in title:
            with _lock, open(STATE["waived"], "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"operation": op, "check": "ST202", "waiver": anchor,
                                     "title": title}) + "\n")
            return False
    return True
