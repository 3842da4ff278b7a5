#!/usr/bin/env python3
"""Drive a live Parley server with the official Sunshine Conversations Python SDK.

Every implemented operation is called through `sunshine_conversations_client`
(pinned in conformance/requirements.txt). The SDK's pydantic models validate the
types of every response it parses, so a response the SDK cannot read fails the
check that made the call; on top of that each check asserts real values.

One line is printed per check ("PASS …" / "FAIL …: why"), then a summary. With
--record the results go to a JSON file that conformance/run and
conformance/generate_table.py read (which operationIds were exercised, and the
pass/fail counts).

Two SDK gaps are bridged with the SDK's own machinery, not by hand-made HTTP:
- SDK 17.0.1 serialises deepObject query parameters (`page`, `filter`) as
  `page=after%3DNone%20before%3DNone%20size%3D2`, so DeepObjectApiClient expands
  them into `page[size]=2` before the SDK's usual URL encoding.
- The SDK has no ListUsers method; list_users() below builds the request with
  ApiClient.param_serialize and parses it with the SDK's `User` model.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import traceback
import urllib.parse
from typing import Any, Callable

import jwt
import pydantic
import sunshine_conversations_client as sc
from sunshine_conversations_client.exceptions import ApiException

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import IMPLEMENTED, write_json  # noqa: E402

HEX24 = re.compile(r"^[0-9a-f]{24}$")
APP_KEY_ID = re.compile(r"^app_[0-9a-f]{24}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class Prerequisite(Exception):
    """A value an earlier (failed) check should have produced is missing."""


class DeepObjectApiClient(sc.ApiClient):
    """ApiClient that sends pydantic/dict query values as OpenAPI deepObject."""

    def parameters_to_url_query(self, params, collection_formats):
        flat: list[tuple[str, Any]] = []
        for key, value in params.items() if isinstance(params, dict) else params:
            if isinstance(value, pydantic.BaseModel):
                value = value.model_dump(by_alias=True, exclude_none=True, exclude_unset=True)
            if isinstance(value, dict):
                flat.extend((f"{key}[{sub}]", v) for sub, v in value.items() if v is not None)
            else:
                flat.append((key, value))
        return super().parameters_to_url_query(flat, collection_formats)


class Scenario:
    def __init__(self, base_url: str, key_id: str, secret: str):
        self.base_url = base_url.rstrip("/")
        self.results: list[dict] = []
        self.exercised: dict[str, int] = {}
        self.state: dict[str, Any] = {}
        self.account = self.client(username=key_id, password=secret)

    # -- plumbing ---------------------------------------------------------------
    def client(self, username: str | None = None, password: str | None = None,
               token: str | None = None) -> DeepObjectApiClient:
        cfg = sc.Configuration(host=self.base_url, username=username, password=password,
                               access_token=token)
        return DeepObjectApiClient(cfg)

    def need(self, name: str) -> Any:
        if self.state.get(name) is None:
            raise Prerequisite(f"not run: '{name}' was not produced by an earlier check")
        return self.state[name]

    def used(self, *ops: str) -> None:
        for op in ops:
            self.exercised[op] = self.exercised.get(op, 0) + 1

    def check(self, name: str, ops: tuple[str, ...], fn: Callable[[], Any]) -> Any:
        """Run one check; ops are the operationIds it calls through the SDK."""
        value, detail, ok = None, "", False
        try:
            value = fn()
            ok = True
        except AssertionError as exc:
            detail = str(exc) or "assertion failed"
        except Prerequisite as exc:
            detail = str(exc)
        except pydantic.ValidationError as exc:
            detail = f"SDK model {exc.title} rejected the data: " + " | ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        except ApiException as exc:
            detail = f"unexpected HTTP {exc.status}: {(exc.body or '').strip()[:300]}"
        except Exception as exc:  # anything else is a bug worth seeing in full
            detail = f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=3)
        self.results.append({"name": name, "operations": list(ops), "ok": ok, "detail": detail})
        if ok:
            print(f"PASS {name}" + (f" ({value})" if isinstance(value, str) else ""), flush=True)
        else:
            print(f"FAIL {name}: {detail}", flush=True)
        return value

    # -- reusable assertions ----------------------------------------------------
    @staticmethod
    def expect_error(call: Callable[[], Any], status: int, code: str | None = None) -> dict:
        """The call must raise ApiException with `status` and an errors envelope."""
        try:
            call()
        except ApiException as exc:
            assert exc.status == status, f"expected HTTP {status}, got {exc.status}: {exc.body}"
            try:
                body = json.loads(exc.body or "")
            except ValueError:
                raise AssertionError(f"error body is not JSON: {exc.body!r}") from None
            parsed = sc.ErrorResponse.from_dict(body)  # the SDK's own model must read it
            assert parsed is not None and parsed.errors, f"no errors[] in {body}"
            assert set(body) == {"errors"}, f"unexpected top-level keys in {body}"
            for err in parsed.errors:
                assert isinstance(err.code, str) and err.code, f"error without code: {body}"
                assert isinstance(err.title, str) and err.title, f"error without title: {body}"
            if code is not None:
                assert parsed.errors[0].code == code, \
                    f"expected error code {code!r}, got {parsed.errors[0].code!r}"
            return body
        raise AssertionError(f"expected HTTP {status}, but the call succeeded")

    @staticmethod
    def raw(resp: Any) -> dict:
        return json.loads(resp.raw_data or b"null")

    @staticmethod
    def status(resp: Any, expected: int) -> None:
        assert resp.status_code == expected, f"expected HTTP {expected}, got {resp.status_code}"
        assert resp.data is not None, "the SDK returned no data (response not parsed)"

    @staticmethod
    def empty_object(resp: Any) -> None:
        assert resp.status_code == 200, f"expected HTTP 200, got {resp.status_code}"
        body = json.loads(resp.raw_data or b"null")
        assert body == {}, f"expected an empty JSON object, got {body!r}"

    # -- ListUsers: not in SDK 17.0.1, built with the SDK's ApiClient -----------
    @staticmethod
    def list_users(client: sc.ApiClient, app_id: str, email: str) -> Any:
        params = client.param_serialize(
            method="GET", resource_path="/v2/apps/{appId}/users",
            path_params={"appId": app_id},
            query_params=[("filter", {"identities.email": email})],
            header_params={"Accept": "application/json"},
            auth_settings=["basicAuth", "bearerAuth"])
        response = client.call_api(*params)
        response.read()
        return client.response_deserialize(
            response_data=response, response_types_map={"200": "Dict[str, List[User]]"})

    # -- the scenario -------------------------------------------------------------
    def run(self) -> None:
        apps = sc.AppsApi(self.account)
        keys = sc.AppKeysApi(self.account)
        users = sc.UsersApi(self.account)
        tag = secrets.token_hex(3)
        s = self.state

        # Apps -------------------------------------------------------------------
        def create_app():
            body = sc.AppCreateBody(
                display_name=f"Conformance {tag}",
                settings=sc.AppSettings(mask_credit_card_numbers=True, use_animal_names=False),
                metadata={"suite": "sdk", "seats": 3, "vip": True})
            resp = apps.create_app_with_http_info(body)
            self.status(resp, 201)
            app = resp.data.app
            assert HEX24.match(app.id or ""), f"app id {app.id!r} is not 24 hex"
            assert app.display_name == f"Conformance {tag}", app.display_name
            assert app.metadata == {"suite": "sdk", "seats": 3, "vip": True}, app.metadata
            assert app.settings is not None and app.settings.mask_credit_card_numbers is True
            assert app.settings.use_animal_names is False, app.settings
            assert set(self.raw(resp)) == {"app"}, self.raw(resp)
            s["app_id"] = app.id
            self.used("CreateApp")
        self.check("CreateApp returns 201 {app} with a 24-hex id, settings and metadata",
                   ("CreateApp",), create_app)

        def create_more_apps():
            ids = []
            for n in range(3):
                resp = apps.create_app_with_http_info(
                    sc.AppCreateBody(display_name=f"Paging {tag} {n}"))
                self.status(resp, 201)
                ids.append(resp.data.app.id)
            s["paging_ids"] = ids
            self.used("CreateApp")
        self.check("CreateApp three more apps for paging", ("CreateApp",), create_more_apps)

        def list_apps_paged():
            wanted = [self.need("app_id")] + self.need("paging_ids")
            seen: list[str] = []
            after = None
            pages = 0
            while True:
                page = sc.Page(size=2) if after is None else sc.Page(size=2, after=after)
                resp = apps.list_apps_with_http_info(page=page)
                self.status(resp, 200)
                self.used("ListApps")
                pages += 1
                body = resp.data
                assert body.apps is not None and body.meta is not None, self.raw(resp)
                assert len(body.apps) <= 2, f"page[size]=2 returned {len(body.apps)} apps"
                seen.extend(a.id for a in body.apps)
                if not body.meta.has_more:
                    assert body.meta.after_cursor is None, "last page still has afterCursor"
                    assert body.links is None or body.links.next is None, "last page has links.next"
                    break
                cursor = body.meta.after_cursor
                assert cursor and HEX24.match(cursor), f"afterCursor {cursor!r} is not a record id"
                nxt = body.links.next if body.links else None
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(nxt or "").query)
                assert query.get("page[after]") == [cursor], \
                    f"links.next {nxt!r} does not carry page[after]={cursor}"
                after = cursor
                assert pages < 5000, "paging does not terminate after 5000 pages"
            assert len(seen) == len(set(seen)), f"paging returned duplicates: {seen}"
            missing = [a for a in wanted if a not in seen]
            assert not missing, f"apps missing from the paged listing: {missing}"
            assert pages >= 2, f"expected at least two pages of 2, got {pages}"
            return f"{len(seen)} apps over {pages} pages"
        self.check("ListApps pages with page[size]=2 and follows meta.afterCursor to the end",
                   ("ListApps",), list_apps_paged)

        def list_apps_before():
            first = apps.list_apps_with_http_info(page=sc.Page(size=2)).data
            second = apps.list_apps_with_http_info(
                page=sc.Page(size=2, after=first.meta.after_cursor)).data
            self.used("ListApps")
            before = second.meta.before_cursor
            assert before and HEX24.match(before), f"page 2 has no beforeCursor: {second.meta}"
            back = apps.list_apps_with_http_info(page=sc.Page(size=2, before=before)).data
            assert [a.id for a in back.apps] == [a.id for a in first.apps], \
                "page[before] of page 2 does not return page 1"
        self.check("ListApps page[before]=meta.beforeCursor of page 2 gives page 1 back",
                   ("ListApps",), list_apps_before)

        def get_app():
            resp = apps.get_app_with_http_info(self.need("app_id"))
            self.status(resp, 200)
            app = resp.data.app
            assert app.id == s["app_id"] and app.display_name == f"Conformance {tag}"
            assert app.metadata == {"suite": "sdk", "seats": 3, "vip": True}, app.metadata
            self.used("GetApp")
        self.check("GetApp returns the created app", ("GetApp",), get_app)

        def update_app():
            body = sc.AppUpdateBody(display_name=f"Renamed {tag}",
                                    settings=sc.AppSettings(echo_postback=True),
                                    metadata={"suite": "sdk-updated"})
            resp = apps.update_app_with_http_info(self.need("app_id"), body)
            self.status(resp, 200)
            app = resp.data.app
            assert app.id == s["app_id"], app.id
            assert app.display_name == f"Renamed {tag}", app.display_name
            assert app.settings.echo_postback is True, app.settings
            assert app.settings.mask_credit_card_numbers is True, \
                f"settings not merged: maskCreditCardNumbers lost ({app.settings})"
            assert app.metadata == {"suite": "sdk-updated"}, app.metadata
            again = apps.get_app(s["app_id"]).app
            assert again.display_name == f"Renamed {tag}", "GetApp does not show the update"
            self.used("UpdateApp", "GetApp")
        self.check("UpdateApp renames, merges settings, replaces metadata; GetApp agrees",
                   ("UpdateApp", "GetApp"), update_app)

        self.check("GetApp of an unknown app is 404 app_not_found", ("GetApp",),
                   lambda: (self.expect_error(lambda: apps.get_app("0" * 24), 404, "app_not_found"),
                            self.used("GetApp")))

        # App keys ---------------------------------------------------------------
        def create_key():
            resp = keys.create_app_key_with_http_info(
                self.need("app_id"), sc.AppKeyCreateBody(display_name=f"Key {tag}"))
            self.status(resp, 201)
            key = resp.data.key
            assert APP_KEY_ID.match(key.id or ""), f"key id {key.id!r} is not app_<24 hex>"
            assert key.display_name == f"Key {tag}", key.display_name
            assert isinstance(key.secret, str) and len(key.secret) >= 24, "secret missing or short"
            s["key_id"], s["key_secret"] = key.id, key.secret
            self.used("CreateAppKey")
        self.check("CreateAppKey returns 201 {key} with id app_<24 hex> and a secret",
                   ("CreateAppKey",), create_key)

        def list_keys():
            resp = keys.list_app_keys_with_http_info(self.need("app_id"))
            self.status(resp, 200)
            listed = {k.id: k for k in resp.data.keys}
            assert self.need("key_id") in listed, f"{s['key_id']} not in {list(listed)}"
            assert listed[s["key_id"]].display_name == f"Key {tag}"
            assert set(self.raw(resp)) == {"keys"}, self.raw(resp)
            self.used("ListAppKeys")
        self.check("ListAppKeys lists the new key", ("ListAppKeys",), list_keys)

        def get_key():
            resp = keys.get_app_key_with_http_info(self.need("app_id"), self.need("key_id"))
            self.status(resp, 200)
            key = resp.data.key
            assert key.id == s["key_id"] and key.display_name == f"Key {tag}"
            assert key.secret == s["key_secret"], "GetAppKey does not return the key's secret"
            self.used("GetAppKey")
        self.check("GetAppKey returns the key with its secret", ("GetAppKey",), get_key)

        def app_key_basic():
            client = self.client(username=self.need("key_id"), password=self.need("key_secret"))
            app = sc.AppsApi(client).get_app(s["app_id"]).app
            assert app.id == s["app_id"]
            resp = sc.UsersApi(client).create_user_with_http_info(
                s["app_id"], sc.UserCreateBody(external_id=f"basic-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"basic-{tag}"
            self.used("GetApp", "CreateUser")
        self.check("App key over Basic auth: GetApp of its own app and CreateUser",
                   ("GetApp", "CreateUser"), app_key_basic)

        def app_key_jwt():
            token = jwt.encode({"scope": "app"}, self.need("key_secret"), algorithm="HS256",
                               headers={"kid": self.need("key_id")})
            client = self.client(token=token)
            app = sc.AppsApi(client).get_app(s["app_id"]).app
            assert app.id == s["app_id"]
            resp = sc.UsersApi(client).create_user_with_http_info(
                s["app_id"], sc.UserCreateBody(external_id=f"jwt-{tag}"))
            self.status(resp, 201)
            assert resp.data.user.external_id == f"jwt-{tag}"
            self.used("GetApp", "CreateUser")
        self.check("App key over a HS256 JWT (kid=key id, scope=app): GetApp and CreateUser",
                   ("GetApp", "CreateUser"), app_key_jwt)

        def app_key_limits():
            client = self.client(username=self.need("key_id"), password=self.need("key_secret"))
            self.expect_error(lambda: sc.AppsApi(client).list_apps(), 403, "forbidden")
            other = self.need("paging_ids")[0]
            self.expect_error(lambda: sc.AppsApi(client).get_app(other), 403, "forbidden")
            bad = self.client(username=s["key_id"], password="wrong-" + s["key_secret"])
            self.expect_error(lambda: sc.AppsApi(bad).get_app(s["app_id"]), 401, "unauthorized")
            forged = jwt.encode({"scope": "app"}, "not-the-secret-" + "x" * 32, algorithm="HS256",
                                headers={"kid": s["key_id"]})
            self.expect_error(lambda: sc.AppsApi(self.client(token=forged)).get_app(s["app_id"]),
                              401, "unauthorized")
            self.used("ListApps", "GetApp")
        self.check("App key is refused account routes (403), other apps (403); bad secret/JWT 401",
                   ("ListApps", "GetApp"), app_key_limits)

        def delete_key():
            app_id = self.need("app_id")
            key = keys.create_app_key(app_id, sc.AppKeyCreateBody(display_name="disposable")).key
            resp = keys.delete_app_key_with_http_info(app_id, key.id)
            self.empty_object(resp)
            self.expect_error(lambda: keys.get_app_key(app_id, key.id), 404)
            self.expect_error(lambda: keys.delete_app_key(app_id, key.id), 404)
            gone = self.client(username=key.id, password=key.secret)
            self.expect_error(lambda: sc.AppsApi(gone).get_app(app_id), 401, "unauthorized")
            listed = [k.id for k in keys.list_app_keys(app_id).keys]
            assert key.id not in listed, "deleted key still listed"
            self.used("CreateAppKey", "DeleteAppKey", "GetAppKey", "ListAppKeys", "GetApp")
        self.check("DeleteAppKey returns 200 {}; the key is gone (404) and no longer authenticates",
                   ("CreateAppKey", "DeleteAppKey", "GetAppKey", "ListAppKeys", "GetApp"),
                   delete_key)

        # Users ------------------------------------------------------------------
        ext = f"user-{tag}"
        profile = {"given_name": "Ada", "surname": "Lovelace", "email": f"ada-{tag}@example.com",
                   "avatar_url": "https://example.com/ada.png", "locale": "en-GB"}

        def create_user():
            body = sc.UserCreateBody(external_id=ext, signed_up_at="2024-01-02T03:04:05.678Z",
                                     to_be_retained=True, profile=sc.Profile(**profile),
                                     metadata={"plan": "gold", "seats": 3, "vip": True})
            resp = users.create_user_with_http_info(self.need("app_id"), body)
            self.status(resp, 201)
            u = resp.data.user
            assert HEX24.match(u.id or ""), f"user id {u.id!r} is not 24 hex"
            assert u.external_id == ext, u.external_id
            assert u.signed_up_at == "2024-01-02T03:04:05.678Z", u.signed_up_at
            assert u.to_be_retained is True, u.to_be_retained
            got = u.profile.model_dump(exclude_none=True) if u.profile else {}
            assert got == profile, f"profile {got} != {profile}"
            assert u.metadata == {"plan": "gold", "seats": 3, "vip": True}, u.metadata
            assert u.identities == [], f"identities {u.identities!r} != []"
            assert isinstance(u.authenticated, bool), "authenticated is not a boolean"
            assert set(self.raw(resp)) == {"user"}, self.raw(resp)
            s["user_id"] = u.id
            self.used("CreateUser")
        self.check("CreateUser returns 201 {user} with profile, metadata, signedUpAt as sent",
                   ("CreateUser",), create_user)

        def create_user_defaults():
            # The SDK's UserCreateBody requires externalId, so this is the smallest body it sends.
            resp = users.create_user_with_http_info(
                self.need("app_id"), sc.UserCreateBody(external_id=f"plain-{tag}"))
            self.status(resp, 201)
            u = resp.data.user
            assert HEX24.match(u.id or ""), u.id
            assert u.signed_up_at and DATETIME.match(u.signed_up_at), \
                f"signedUpAt {u.signed_up_at!r} is not YYYY-MM-DDThh:mm:ss.SSSZ"
            assert u.metadata == {}, f"metadata {u.metadata!r} is not {{}} (the spec makes it non-null)"
            assert u.to_be_retained is False, f"toBeRetained {u.to_be_retained!r} is not false"
            s["plain_id"] = u.id
            self.used("CreateUser")
        self.check("CreateUser with only externalId gets a server-set signedUpAt (.SSSZ) and {} metadata",
                   ("CreateUser",), create_user_defaults)

        self.check("CreateUser with a duplicate externalId is 409 conflict (ApiException)",
                   ("CreateUser",),
                   lambda: (self.expect_error(lambda: users.create_user(
                       self.need("app_id"), sc.UserCreateBody(external_id=ext)), 409, "conflict"),
                       self.used("CreateUser")))

        def get_user_both_ways():
            by_id = users.get_user_with_http_info(self.need("app_id"), self.need("user_id"))
            self.status(by_id, 200)
            by_ext = users.get_user_with_http_info(s["app_id"], ext)
            self.status(by_ext, 200)
            assert by_id.data.user.id == by_ext.data.user.id == s["user_id"]
            assert by_ext.data.user.profile.given_name == "Ada"
            assert self.raw(by_id) == self.raw(by_ext), "id and externalId lookups differ"
            self.used("GetUser")
        self.check("GetUser by id and by externalId return the same user",
                   ("GetUser",), get_user_both_ways)

        def update_user():
            body = sc.UserUpdateBody(profile=sc.Profile(given_name="Augusta"),
                                     metadata={"plan": "platinum"}, to_be_retained=False)
            resp = users.update_user_with_http_info(self.need("app_id"), ext, body)
            self.status(resp, 200)
            u = resp.data.user
            assert u.id == self.need("user_id") and u.external_id == ext
            assert u.profile.given_name == "Augusta", u.profile
            assert u.profile.surname == "Lovelace", f"profile not merged: surname lost ({u.profile})"
            assert u.to_be_retained is False, u.to_be_retained
            assert u.metadata.get("plan") == "platinum", u.metadata
            again = users.get_user(s["app_id"], s["user_id"]).user
            assert again.profile.given_name == "Augusta", "GetUser does not show the update"
            self.used("UpdateUser", "GetUser")
        self.check("UpdateUser (by externalId) changes givenName and keeps the rest of the profile",
                   ("UpdateUser", "GetUser"), update_user)

        def signed_up_at_round_trip():
            # A valid ISO 8601 UTC timestamp must come back unchanged, whatever the year.
            for value in ("1000-01-01T00:00:00.000Z", "1582-10-04T12:00:00.000Z",
                          "9999-12-31T23:59:59.999Z"):
                u = users.update_user(self.need("app_id"), ext,
                                      sc.UserUpdateBody(signed_up_at=value)).user
                assert u.signed_up_at == value, f"signedUpAt {value} came back as {u.signed_up_at}"
            self.used("UpdateUser")
        self.check("UpdateUser keeps signedUpAt exactly as sent (years 1000, 1582, 9999)",
                   ("UpdateUser",), signed_up_at_round_trip)

        def signed_up_at_invalid_date():
            for value in ("2020-02-30T00:00:00.000Z", "2020-05-21T25:00:00.000Z"):
                self.expect_error(lambda: users.update_user(
                    self.need("app_id"), ext, sc.UserUpdateBody(signed_up_at=value)),
                    400, "bad_request")
            self.used("UpdateUser")
        self.check("UpdateUser rejects impossible signedUpAt dates (Feb 30, hour 25) with 400",
                   ("UpdateUser",), signed_up_at_invalid_date)

        def list_users():
            resp = self.list_users(self.account, self.need("app_id"), profile["email"])
            self.status(resp, 200)
            assert self.raw(resp) == {"users": []}, \
                f"profile.email must not match filter[identities.email]: {self.raw(resp)}"
            assert resp.data == {"users": []}
            self.used("ListUsers")
        self.check("ListUsers filter[identities.email]=<profile email> is {users: []}",
                   ("ListUsers",), list_users)

        def delete_personal_information():
            resp = users.delete_user_personal_information_with_http_info(
                self.need("app_id"), self.need("user_id"))
            self.status(resp, 200)
            u = resp.data.user
            assert u.id == s["user_id"] and u.external_id == ext, "identity of the user changed"
            p = u.profile
            for field in ("given_name", "surname", "email", "avatar_url"):
                assert p is None or getattr(p, field) is None, f"profile.{field} was not cleared"
            assert not u.metadata, f"metadata (custom properties) not cleared: {u.metadata}"
            again = users.get_user(s["app_id"], s["user_id"]).user
            assert again.profile is None or again.profile.given_name is None, "GetUser still has PII"
            self.used("DeleteUserPersonalInformation", "GetUser")
        self.check("DeleteUserPersonalInformation returns {user} with profile and metadata cleared",
                   ("DeleteUserPersonalInformation", "GetUser"), delete_personal_information)

        def delete_user():
            resp = users.delete_user_with_http_info(self.need("app_id"), self.need("user_id"))
            self.empty_object(resp)
            self.expect_error(lambda: users.get_user(s["app_id"], s["user_id"]), 404,
                              "user_not_found")
            self.expect_error(lambda: users.get_user(s["app_id"], ext), 404, "user_not_found")
            self.expect_error(lambda: users.delete_user(s["app_id"], s["user_id"]), 404,
                              "user_not_found")
            self.used("DeleteUser", "GetUser")
        self.check("DeleteUser returns 200 {}; the user is 404 user_not_found by id and externalId",
                   ("DeleteUser", "GetUser"), delete_user)

        def user_not_found():
            app_id = self.need("app_id")
            self.expect_error(lambda: users.get_user(app_id, "f" * 24), 404, "user_not_found")
            self.expect_error(lambda: users.update_user(app_id, "nobody-" + tag,
                              sc.UserUpdateBody(to_be_retained=True)), 404, "user_not_found")
            self.expect_error(lambda: users.delete_user_personal_information(app_id, "f" * 24),
                              404, "user_not_found")
            self.used("GetUser", "UpdateUser", "DeleteUserPersonalInformation")
        self.check("Unknown users are 404 user_not_found on Get/Update/DeletePersonalInformation",
                   ("GetUser", "UpdateUser", "DeleteUserPersonalInformation"), user_not_found)

        # Teardown ---------------------------------------------------------------
        def delete_key_used():
            self.empty_object(keys.delete_app_key_with_http_info(self.need("app_id"),
                                                                 self.need("key_id")))
            self.used("DeleteAppKey")
        self.check("DeleteAppKey of the key used above", ("DeleteAppKey",), delete_key_used)

        def delete_apps():
            app_id = self.need("app_id")
            self.empty_object(apps.delete_app_with_http_info(app_id))
            self.expect_error(lambda: apps.get_app(app_id), 404, "app_not_found")
            self.expect_error(lambda: apps.delete_app(app_id), 404, "app_not_found")
            self.expect_error(lambda: users.get_user(app_id, s.get("plain_id") or "f" * 24), 404)
            for other in s.get("paging_ids") or []:
                self.empty_object(apps.delete_app_with_http_info(other))
            self.used("DeleteApp", "GetApp", "GetUser")
        self.check("DeleteApp returns 200 {}; the app is then 404 app_not_found",
                   ("DeleteApp", "GetApp", "GetUser"), delete_apps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080")
    parser.add_argument("--key-id", default=os.environ.get("PARLEY_ACCOUNT_KEY_ID"))
    parser.add_argument("--secret", default=os.environ.get("PARLEY_ACCOUNT_KEY_SECRET"))
    parser.add_argument("--record", help="write results as JSON to this file")
    args = parser.parse_args()
    if not args.key_id or not args.secret:
        parser.error("--key-id/--secret (or PARLEY_ACCOUNT_KEY_ID/SECRET) are required")

    print(f"SDK: sunshine-conversations-client {sc.__version__} against {args.base_url}")
    print("note: this SDK serialises deepObject query parameters (page, filter) wrongly and has no "
          "ListUsers method; both go through the SDK's ApiClient as described in this file's docstring")
    scenario = Scenario(args.base_url, args.key_id, args.secret)
    try:
        scenario.run()
    except Exception:  # a crash of the scenario itself still yields a record and a failure
        traceback.print_exc()
        scenario.results.append({"name": "scenario ran to the end", "operations": [],
                                 "ok": False, "detail": traceback.format_exc(limit=3)})

    def coverage():
        missing = [op for op in IMPLEMENTED if op not in scenario.exercised]
        assert not missing, f"not exercised: {missing}"
    scenario.check("every implemented operation was exercised through the SDK", (), coverage)

    passed = sum(1 for r in scenario.results if r["ok"])
    failed = len(scenario.results) - passed
    failed_ops = sorted({op for r in scenario.results if not r["ok"] for op in r["operations"]})
    if args.record:
        write_json(args.record, {
            "sdk": f"sunshine-conversations-client {sc.__version__}",
            "checks": scenario.results,
            "exercised": scenario.exercised,
            "failed_operations": failed_ops,
            "passed": passed,
            "failed": failed,
        })
    print(f"SDK scenario: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
