"""Helpers shared by the conformance scripts (standard library + PyYAML only).

Nothing here knows about the SDK or schemathesis: it loads the spec, lists its
operations, and talks plain HTTP to a running Parley server.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The operations Parley is expected to implement today. The runner does not trust
# this list for the table (generate_table.py probes the live server); it is the
# selection handed to schemathesis and the set the SDK scenario must cover.
IMPLEMENTED = (
    "CreateApp", "ListApps", "GetApp", "UpdateApp", "DeleteApp",
    "CreateAppKey", "ListAppKeys", "GetAppKey", "DeleteAppKey",
    "CreateUser", "ListUsers", "GetUser", "UpdateUser", "DeleteUser",
    "DeleteUserPersonalInformation",
    "CreateConversation", "ListConversations", "GetConversation", "UpdateConversation",
    "DeleteConversation",
    "JoinConversation", "ListParticipants", "LeaveConversation",
    "PostMessage", "ListMessages", "DeleteAllMessages", "DeleteMessage",
    "PostActivity",
    "CreateIntegration", "ListIntegrations", "GetIntegration", "UpdateIntegration",
    "DeleteIntegration",
    "CreateCustomIntegrationKey", "ListCustomIntegrationKeys", "GetCustomIntegrationKey",
    "DeleteCustomIntegrationKey",
    "CreateWebhook", "ListWebhooks", "GetWebhook", "UpdateWebhook", "DeleteWebhook",
    "CreateClient", "ListClients", "RemoveClient", "ListDevices", "GetDevice",
    "CreateSwitchboard", "ListSwitchboards", "UpdateSwitchboard", "DeleteSwitchboard",
    "CreateSwitchboardIntegration", "ListSwitchboardIntegrations", "UpdateSwitchboardIntegration",
    "DeleteSwitchboardIntegration",
    "PassControl", "OfferControl", "AcceptControl", "ReleaseControl",
    "UploadAttachment", "DeleteAttachment",
)


def repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_spec_path() -> str:
    return os.path.normpath(os.path.join(repo_root(), "..", "shared", "spec", "openapi.yaml"))


def load_spec(path: str) -> dict:
    import yaml  # PyYAML comes with schemathesis; imported lazily for --help

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    tag: str


def operations(spec: dict) -> list[Operation]:
    """Every operation of the spec, in document order."""
    result = []
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict) and op.get("operationId"):
                tags = op.get("tags") or [""]
                result.append(Operation(op["operationId"], method.upper(), path, tags[0]))
    return result


class HTTP:
    """A tiny JSON-over-HTTP client for provisioning and probing (not under test)."""

    def __init__(self, base_url: str, username: str, password: str, timeout: float = 15.0):
        self.base_url = base_url.rstrip("/")
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.auth = f"Basic {token}"
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None
        headers = {"Authorization": self.auth, "Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace")
        return status, payload

    def expect(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        got, payload = self.request(method, path, body)
        if got != status:
            raise RuntimeError(f"{method} {path}: expected {status}, got {got}: {payload}")
        return payload

    def upload(self, app_id: str, file_name: str, data: bytes, media_type: str, query: str = "access=public") -> dict:
        """UploadAttachment with a multipart/form-data body of one `source` file part."""
        boundary = "parley-conformance-" + base64.b16encode(os.urandom(8)).decode().lower()
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="source"; filename="{file_name}"\r\n'
                f"Content-Type: {media_type}\r\n\r\n").encode()
        body = head + data + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(
            f"{self.base_url}/v2/apps/{app_id}/attachments?{query}", data=body, method="POST",
            headers={"Authorization": self.auth, "Accept": "application/json",
                     "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        if status != 201:
            raise RuntimeError(f"POST /v2/apps/{app_id}/attachments: expected 201, got {status}: {raw[:300]!r}")
        return json.loads(raw)["attachment"]

    # Provisioning shortcuts -------------------------------------------------
    def create_app(self, name: str) -> str:
        return self.expect("POST", "/v2/apps", {"displayName": name}, 201)["app"]["id"]

    def create_key(self, app_id: str, name: str) -> tuple[str, str]:
        key = self.expect("POST", f"/v2/apps/{app_id}/keys", {"displayName": name}, 201)["key"]
        return key["id"], key["secret"]

    def create_user(self, app_id: str, body: dict) -> str:
        return self.expect("POST", f"/v2/apps/{app_id}/users", body, 201)["user"]["id"]

    def create_conversation(self, app_id: str, body: dict) -> str:
        return self.expect("POST", f"/v2/apps/{app_id}/conversations", body, 201)["conversation"]["id"]

    def post_text(self, app_id: str, conversation_id: str, text: str) -> str:
        body = {"author": {"type": "business"}, "content": {"type": "text", "text": text}}
        path = f"/v2/apps/{app_id}/conversations/{conversation_id}/messages"
        return self.expect("POST", path, body, 201)["messages"][0]["id"]

    def create_integration(self, app_id: str, body: dict) -> dict:
        return self.expect("POST", f"/v2/apps/{app_id}/integrations", body, 201)["integration"]

    def create_integration_key(self, app_id: str, integration_id: str, name: str) -> tuple[str, str]:
        path = f"/v2/apps/{app_id}/integrations/{integration_id}/keys"
        key = self.expect("POST", path, {"displayName": name}, 201)["key"]
        return key["id"], key["secret"]

    def create_webhook(self, app_id: str, integration_id: str, body: dict) -> str:
        path = f"/v2/apps/{app_id}/integrations/{integration_id}/webhooks"
        return self.expect("POST", path, body, 201)["webhook"]["id"]

    def create_client(self, app_id: str, user_id: str, body: dict) -> str:
        path = f"/v2/apps/{app_id}/users/{user_id}/clients"
        return self.expect("POST", path, body, 201)["client"]["id"]

    def participant_id(self, app_id: str, conversation_id: str, user_id: str) -> str:
        path = f"/v2/apps/{app_id}/conversations/{conversation_id}/participants"
        for p in self.expect("GET", path)["participants"]:
            if p["userId"] == user_id:
                return p["id"]
        raise RuntimeError(f"{user_id} is not a participant of {conversation_id}")


def write_json(path: str, payload: Any) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=2, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def read_json(path: str | None) -> Any:
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
