"""Corrections applied, at run time, to a private copy of the spec that schemathesis reads.

The published spec is never edited: conformance/schemathesis_run.py loads it, applies
the fixes below and writes the result into the run's temporary folder. Every fix is
listed, with its reason, in conformance/EXCLUSIONS.md; keep the two in step.

Each fix only makes the schema say what the spec's own prose says, so the generated
"valid" data really is valid and the generated "invalid" data really is invalid.
None of them widens what a server response may look like: the response-side effect
of `flat-metadata` is stricter than the published schema, not looser.
"""

from __future__ import annotations

import copy
from typing import Callable

ERROR_400 = {
    "description": "Bad request (added by conformance/spec_fixes.py)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/errorResponse"}}},
}


def _operation(spec: dict, operation_id: str) -> dict:
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


def undocumented_400(spec: dict) -> None:
    """Operations that validate input but document no 400 get the API's usual 400 errorResponse."""
    for op_id in ("CreateAppKey", "CreateUser", "UpdateUser", "ListUsers"):
        responses = _operation(spec, op_id)["responses"]
        responses.setdefault("400", copy.deepcopy(ERROR_400))


def listusers_filter_required(spec: dict) -> None:
    """userFilterQuery puts `required: true` inside a property (invalid); make it a required key."""
    schema = spec["components"]["parameters"]["userFilterQuery"]["schema"]
    prop = schema["properties"]["identities.email"]
    prop.pop("required", None)
    schema["required"] = ["identities.email"]


def non_null_display_name(spec: dict) -> None:
    """`allOf: [displayName(nullable)]` + sibling `nullable: false` still admits null; inline it."""
    base = {k: v for k, v in spec["components"]["schemas"]["displayName"].items() if k != "nullable"}
    targets = [
        spec["components"]["schemas"]["appCreateBody"]["properties"],
        spec["components"]["schemas"]["appUpdateBody"]["properties"],
        _operation(spec, "CreateAppKey")["requestBody"]["content"]["application/json"]["schema"]["properties"],
    ]
    for props in targets:
        old = props["displayName"]
        props["displayName"] = {**base, **{k: old[k] for k in ("description", "example") if k in old}}


def flat_metadata(spec: dict) -> None:
    """metadata is documented as flat (string, number and boolean values only)."""
    spec["components"]["schemas"]["metadata"]["additionalProperties"] = {
        "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]
    }


def cursor_is_record_id(spec: dict) -> None:
    """page[after]/page[before] are record ids (24 hex); an invalid cursor is documented as 400."""
    props = spec["components"]["schemas"]["page"]["properties"]
    for name in ("after", "before"):
        props[name]["pattern"] = "^[0-9a-f]{24}$"


def signed_up_at_response_format(spec: dict) -> None:
    """signedUpAt "Must be ISO 8601 time format YYYY-MM-DDThh:mm:ss.sssZ"; hold responses to it.

    Only the `user` (response) schema gets the pattern. Request bodies keep the plain
    string: the server may accept more spellings than the documented one, and the
    rejection of non-datetime strings is waived as W6 instead (EXCLUSIONS.md).
    """
    props = spec["components"]["schemas"]["user"]["allOf"][1]["properties"]
    props["signedUpAt"] = {
        "allOf": [{"$ref": "#/components/schemas/signedUpAt"}],
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$",
    }


FIXES: dict[str, Callable[[dict], None]] = {
    "undocumented-400": undocumented_400,
    "listusers-filter-required": listusers_filter_required,
    "non-null-display-name": non_null_display_name,
    "flat-metadata": flat_metadata,
    "cursor-is-record-id": cursor_is_record_id,
    "signed-up-at-response-format": signed_up_at_response_format,
}


def apply(spec: dict) -> tuple[dict, list[str]]:
    fixed = copy.deepcopy(spec)
    for fix in FIXES.values():
        fix(fixed)
    return fixed, list(FIXES)
