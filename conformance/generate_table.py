#!/usr/bin/env python3
"""Probe a live Parley server and write docs/CONFORMANCE.md.

One row per operation of the spec (read at run time), with:
- implemented: probed on the live server with the account key (and, where the
  account scope is refused, an app key, then a custom integration's key; GetToken
  as an OAuth client, with its id and secret and a made-up code; RevokeAccess with
  an OAuth access token): an HTTP 501 whose first error code is `not_implemented`
  means "no"; any other answer means "yes", except 401/403, which say the probe
  could not reach the operation ("unknown");
- SDK-tested: from the record written by sdk_scenario.py;
- schemathesis: from the record written by schemathesis_run.py.

Probes use real ids where the route needs one (a throwaway app, users and keys made
for the probe and deleted afterwards) so an "app not found" cannot hide a 501.

The output has no timestamps, so an unchanged server regenerates the same file.
It also prints PASS/FAIL lines for two consistency checks and exits non-zero if
either fails: every probed operation answered (no transport error, no 5xx other
than 501), and the implemented set equals the set the runner tests
(common.IMPLEMENTED), each SDK-tested and passing schemathesis.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import HTTP, IMPLEMENTED, default_spec_path, load_spec, operations, read_json, repo_root, write_json  # noqa: E402

ZERO_ID = "0" * 24


def probe(base_url: str, key_id: str, secret: str, ops) -> dict[str, dict]:
    account = HTTP(base_url, key_id, secret)
    app = account.create_app("conformance probe")
    doomed_app = account.create_app("conformance probe (DeleteApp)")
    user = account.create_user(app, {"externalId": "probe-user"})
    doomed_user = account.create_user(app, {"externalId": "probe-user-delete"})
    app_key = HTTP(base_url, *account.create_key(app, "probe"))
    # Routes of the integration scope only (RevokeAccess) need a custom integration's key.
    integration = account.create_integration(app, {"type": "custom", "webhooks": [
        {"target": "https://hooks.example.com/probe", "triggers": ["conversation:message"]}]})
    integration_key = HTTP(base_url, *account.create_integration_key(app, integration["id"], "probe"))
    doomed_key = account.create_key(app, "probe (DeleteAppKey)")[0]
    # The OAuth operations: GetToken authenticates an OAuth client in its body; RevokeAccess takes an access token.
    oauth_client = account.create_oauth_client("conformance probe", ["https://probe.example.com/callback"])
    special = {
        "GetToken": ([("OAuth client", HTTP.anonymous(base_url))],
                     {"grant_type": "authorization_code", "code": "probe", "client_id": oauth_client["id"],
                      "client_secret": oauth_client["secret"]}),
        "RevokeAccess": ([("access token", HTTP.bearer(base_url, account.oauth_token(oauth_client, app)))], None),
    }

    def path_for(op) -> str:
        values = {"appId": app, "userIdOrExternalId": user, "keyId": "app_" + ZERO_ID,
                  "zendeskId": "1"}
        if op.operation_id == "DeleteApp":
            values["appId"] = doomed_app
        if op.operation_id == "DeleteUser":
            values["userIdOrExternalId"] = doomed_user
        if op.operation_id == "DeleteAppKey":
            values["keyId"] = doomed_key
        path = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), ZERO_ID), op.path)
        if op.operation_id == "ListUsers":
            path += "?" + urllib.parse.urlencode({"filter[identities.email]": "probe@example.invalid"})
        return path

    results: dict[str, dict] = {}
    # Deletes last, so that nothing a later probe needs is gone.
    ordered = sorted(ops, key=lambda o: o.method == "DELETE")
    for op in ordered:
        body = {} if op.method in ("POST", "PATCH", "PUT") else None
        clients = [("account", account), ("app key", app_key), ("integration key", integration_key)]
        if op.operation_id in special:
            clients, body = special[op.operation_id]
        entry: dict = {}
        for name, client in clients:
            try:
                status, payload = client.request(op.method, path_for(op), body)
            except OSError as exc:
                status, payload = None, str(exc)
            code = None
            if isinstance(payload, dict) and isinstance(payload.get("errors"), list) and payload["errors"]:
                code = payload["errors"][0].get("code")
            entry = {"status": status, "code": code, "as": name}
            if status not in (401, 403):
                break
        if entry["status"] == 501 and entry["code"] == "not_implemented":
            entry["implemented"] = "no"
        elif entry["status"] in (401, 403) or entry["status"] is None:
            entry["implemented"] = "unknown"
        else:
            entry["implemented"] = "yes"
        results[op.operation_id] = entry
    account.request("DELETE", f"/v2/apps/{app}")
    account.request("DELETE", f"/admin/oauthClients/{oauth_client['id']}")
    if results.get("DeleteApp", {}).get("implemented") != "yes":
        account.request("DELETE", f"/v2/apps/{doomed_app}")
    return results


def sdk_cell(op_id: str, sdk: dict | None) -> str:
    if not sdk:
        return "not run"
    if op_id not in sdk.get("exercised", {}):
        return "no"
    failing = [c for c in sdk.get("checks", []) if not c["ok"] and op_id in c["operations"]]
    return "yes" if not failing else f"yes, {len(failing)} check(s) failed"


def st_cell(op_id: str, st: dict | None) -> str:
    if not st or op_id not in st.get("operations", {}):
        return "not run"
    r = st["operations"][op_id]
    if r["result"] == "failed":
        return "failed (" + ", ".join(r["failures"] + r["errors"]) + ")"
    return r["result"]


def render(spec: dict, ops, probed: dict, sdk: dict | None, st: dict | None) -> str:
    implemented = [o.operation_id for o in ops if probed[o.operation_id]["implemented"] == "yes"]
    unknown = [o.operation_id for o in ops if probed[o.operation_id]["implemented"] == "unknown"]
    sdk_tested = [o.operation_id for o in ops if sdk_cell(o.operation_id, sdk).startswith("yes")]
    sdk_failing = [o for o in sdk_tested if sdk_cell(o, sdk) != "yes"]
    st_ops = (st or {}).get("operations", {})
    st_passed = sum(1 for r in st_ops.values() if r["result"] == "passed")
    st_failed = sum(1 for r in st_ops.values() if r["result"] != "passed")
    version = spec.get("info", {}).get("version", "?")

    lines = [
        "# Conformance",
        "",
        f"**{len(implemented)} of {len(ops)} operations implemented; {len(sdk_tested)} SDK-tested"
        + (f" ({len(sdk_failing)} with failing checks)" if sdk_failing else "") + "; "
        f"schemathesis {st_passed} passed, {st_failed} failed.**",
        "",
        "Generated by `conformance/run` (do not edit by hand) against a live `parley serve` with a fresh "
        f"SQLite database, from the Sunshine Conversations spec v{version} ({len(ops)} operations).",
        "",
        "- *implemented*: probed on the live server; HTTP 501 with error code `not_implemented` means no.",
    ]
    if unknown:
        lines.append("  *unknown*: the probe's account, app and integration keys were refused (401/403), "
                     "so the route could not be reached.")
    lines.append("  GetToken is probed as an OAuth client (a made-up code), RevokeAccess with an OAuth access token.")
    lines.append("- *SDK-tested*: called through the official Python SDK by `conformance/sdk_scenario.py`"
                 + (f" ({sdk['sdk']}; {sdk['passed']} checks passed, {sdk['failed']} failed)." if sdk else "."))
    if st:
        lines.append(f"- *schemathesis*: `conformance/schemathesis_run.py`, phases {st['phases']}, "
                     f"at most {st['max_examples']} examples per operation, seed {st['seed']}, checks "
                     + ", ".join(f"`{c}`" for c in st["checks"]) + ".")
        lines.append("  It reads a copy of the spec with the corrections listed in "
                     "[conformance/EXCLUSIONS.md](../conformance/EXCLUSIONS.md)"
                     + (f" ({', '.join(st.get('spec_fixes', []))})" if st.get("spec_fixes") else "")
                     + "; failures waived by its W-rules this run: "
                     + (str(len(st.get("waived", []))) if st.get("waived") is not None else "0") + ".")
    else:
        lines.append("- *schemathesis*: not run.")
    lines += [
        "",
        "| operationId | method | path | implemented | SDK-tested | schemathesis |",
        "|---|---|---|---|---|---|",
    ]
    for o in ops:
        p = probed[o.operation_id]
        impl = p["implemented"]
        if impl == "unknown":
            impl = f"unknown ({p['status']} {p['code'] or ''})".replace(" )", ")")
        lines.append(f"| {o.operation_id} | {o.method} | `{o.path}` | {impl} | "
                     f"{sdk_cell(o.operation_id, sdk)} | {st_cell(o.operation_id, st)} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key-id", default=os.environ.get("PARLEY_ACCOUNT_KEY_ID"))
    parser.add_argument("--secret", default=os.environ.get("PARLEY_ACCOUNT_KEY_SECRET"))
    parser.add_argument("--spec", default=default_spec_path())
    parser.add_argument("--sdk-record")
    parser.add_argument("--schemathesis-record")
    parser.add_argument("--out", default=os.path.join(repo_root(), "docs", "CONFORMANCE.md"))
    parser.add_argument("--record", help="write the probe results and checks as JSON here")
    args = parser.parse_args()
    if not args.key_id or not args.secret:
        parser.error("--key-id/--secret (or PARLEY_ACCOUNT_KEY_ID/SECRET) are required")

    spec = load_spec(args.spec)
    ops = operations(spec)
    sdk = read_json(args.sdk_record)
    st = read_json(args.schemathesis_record)
    probed = probe(args.base_url, args.key_id, args.secret, ops)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(render(spec, ops, probed, sdk, st))
    implemented = {o for o, p in probed.items() if p["implemented"] == "yes"}
    print(f"table: wrote {os.path.relpath(args.out, repo_root())} "
          f"({len(implemented)} of {len(ops)} operations implemented)")

    checks = []
    broken = {o: p for o, p in probed.items()
              if p["status"] is None or (p["status"] >= 500 and p["status"] != 501)
              or (p["status"] == 501 and p["code"] != "not_implemented")}
    checks.append(("probe: every operation answers (501 not_implemented, or a non-5xx status)",
                   not broken, f"{broken}"))
    problems = []
    for op in sorted(implemented | set(IMPLEMENTED)):
        if op not in implemented:
            problems.append(f"{op} is tested by the runner but the server does not implement it")
        elif op not in IMPLEMENTED:
            problems.append(f"{op} is implemented but not covered by conformance/ (add it to "
                            "common.IMPLEMENTED, the SDK scenario and the fixtures)")
        else:
            if sdk_cell(op, sdk) != "yes":
                problems.append(f"{op}: SDK {sdk_cell(op, sdk)}")
            if st_cell(op, st) != "passed":
                problems.append(f"{op}: schemathesis {st_cell(op, st)}")
    checks.append(("table: every implemented operation is SDK-tested and passes schemathesis",
                   not problems, "; ".join(problems)))
    for name, ok, detail in checks:
        print(f"PASS {name}" if ok else f"FAIL {name}: {detail}")
    passed = sum(1 for _, ok, _ in checks if ok)
    if args.record:
        write_json(args.record, {"probe": probed,
                                 "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in checks],
                                 "passed": passed, "failed": len(checks) - passed})
    return 0 if passed == len(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
