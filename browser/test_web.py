"""End-to-end browser test of the web messenger and the agent inbox against a running Parley.

Environment:
    PARLEY_URL                 a running Parley (e.g. http://127.0.0.1:8080, SQLite is fine)
    PARLEY_ACCOUNT_KEY_ID      an account key id ...
    PARLEY_ACCOUNT_KEY_SECRET  ... and its secret
    ARTIFACTS                  a directory for the screenshots (made if missing; default ./artifacts)
    PARLEY_LATENCY_LIMIT       optional: seconds the inbox may take to show a new message (default 1.0)

The server must allow webhooks to 127.0.0.1 (PARLEY_OUTBOUND_ALLOW=127.0.0.1): a receiver thread here
records the postbacks and messages the messenger's buttons cause.

Needs Debian's chromium + chromium-driver and selenium from PyPI; nothing is downloaded at run time.
Exits non-zero with a message naming the failed check. See README.md.
"""
import base64
import http.server
import struct
import json
import os
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib

os.environ.setdefault("SE_AVOID_STATS", "true")  # selenium: no usage statistics, no downloads

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proxy import Proxy  # noqa: E402

HELLO = "Hello from the browser"
ANSWER = "Hi, an agent here"
DURING_CUT = ["during cut 1", "during cut 2", "during cut 3"]
DURING_CUT_API = "during cut (API)"
KEYBOARD_TEXT = "Typed with the keyboard alone"
HANDOVER_TEXT = "Can I talk to a person?"
ONE_MORE_TEXT = "One more question"


class Failure(Exception):
    pass


class Run:
    """Counts checks so the last line reads 'N passed, N failed'."""

    def __init__(self):
        self.passed = 0
        self.failed = []  # soft checks that failed

    def check(self, condition, message):
        if not condition:
            raise Failure(message)
        self.passed += 1
        print("  ok:", message, flush=True)

    def soft(self, condition, message):
        """A check the rest of the run does not depend on: a failure is reported, and the run goes on."""
        if not condition:
            self.failed.append(message)
            print("  FAILED:", message, flush=True)
            return
        self.passed += 1
        print("  ok:", message, flush=True)


# ----------------------------------------------------------------------------------------------
# Parley's v2 API

def api(base, method, path, body, key_id, secret):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Basic " + base64.b64encode(("%s:%s" % (key_id, secret)).encode()).decode())
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            text = response.read().decode()
            return json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        raise Failure("%s %s answered %d: %s" % (method, path, error.code, error.read().decode(errors="replace")[:500]))


def upload(base, app_id, filename, media_type, data, key_id, secret):
    """UploadAttachment (public): multipart with one `source` part; returns the attachment."""
    boundary = uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"source\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n"
            % (boundary, filename, media_type)).encode() + data + ("\r\n--%s--\r\n" % boundary).encode()
    path = "/v2/apps/%s/attachments?access=public" % app_id
    request = urllib.request.Request(base + path, data=body, method="POST")
    request.add_header("Authorization", "Basic " + base64.b64encode(("%s:%s" % (key_id, secret)).encode()).decode())
    request.add_header("Content-Type", "multipart/form-data; boundary=" + boundary)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read().decode())["attachment"]
    except urllib.error.HTTPError as error:
        raise Failure("POST %s answered %d: %s" % (path, error.code, error.read().decode(errors="replace")[:500]))


def png(width, height, rgb):
    """A valid PNG of one colour (no imaging library needed)."""
    row = b"\x00" + bytes(rgb) * width
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


class WebhookReceiver:
    """A local HTTP target for custom integrations' webhooks: records every event it is sent."""

    def __init__(self):
        self.events = []  # (path, event)
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                with receiver.lock:
                    for event in body.get("events") or []:
                        receiver.events.append((self.path, event))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def find(self, predicate, path=None):
        with self.lock:
            return [e for p, e in self.events if (path is None or p == path) and predicate(e)]

    def close(self):
        self.server.shutdown()


# ----------------------------------------------------------------------------------------------
# Browser helpers

def make_driver(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=%d,%d" % (width, height), "--lang=en-US", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def wait_for(condition, timeout, what, interval=0.05):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the page is changing under us: try again
            last_error = error
        time.sleep(interval)
    raise Failure("timed out after %.1f s waiting for %s%s" % (timeout, what, " (%s)" % last_error if last_error else ""))


MESSAGES_JS = """
return Array.from(document.querySelectorAll('#messages .message[data-message-id]')).map(function (e) {
  var bubble = e.querySelector('.bubble');
  return {id: e.getAttribute('data-message-id'), author: e.getAttribute('data-author-type'),
          text: (bubble ? bubble.textContent : '').trim()};
});
"""


def messages(driver):
    return driver.execute_script(MESSAGES_JS)


def texts(driver):
    return [m["text"] for m in messages(driver)]


def state_of(driver):
    return driver.execute_script("var s = document.getElementById('status'); return s && s.getAttribute('data-state');")


def typing_shown(driver):
    return driver.execute_script("var t = document.getElementById('typing'); return !!t && !t.hidden;")


def type_into(driver, element_id, text, enter=False):
    element = driver.find_element(By.ID, element_id)
    element.send_keys(text)
    if enter:
        element.send_keys(Keys.ENTER)
    return element


def open_row(inbox, conversation_id, timeout=5):
    """Clicks a conversation's row; the list is redrawn whenever it refreshes, so a row found may be
    replaced before the click: find it again and retry."""
    css = '#conversations .conversation[data-conversation-id="%s"]' % conversation_id
    wait_for(lambda: inbox.find_element(By.CSS_SELECTOR, css).click() or True, timeout, "a click on the row of %s" % conversation_id)


def row_js(text):
    return """
var rows = Array.from(document.querySelectorAll('#conversations .conversation'));
var row = rows.find(function (r) { return r.textContent.indexOf(%s) >= 0; });
if (!row) return null;
var unread = row.querySelector('.unread');
return {id: row.getAttribute('data-conversation-id'), unread: unread ? unread.textContent.trim() : null};
""" % json.dumps(text)


class Shots:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def take(self, driver, name):
        path = os.path.join(self.directory, name + ".png")
        try:
            driver.save_screenshot(path)
            print("  screenshot:", path, flush=True)
        except Exception as error:  # a screenshot must not hide the real failure
            print("  screenshot failed:", name, error, flush=True)


def assert_exactly_once(run, driver, wanted, where):
    found = messages(driver)
    ids = [m["id"] for m in found]
    run.check(len(ids) == len(set(ids)), "%s: message ids are unique (%d messages)" % (where, len(ids)))
    shown = [m["text"] for m in found]
    for text in wanted:
        run.check(shown.count(text) == 1, "%s: %r shown exactly once (shown %d times)" % (where, text, shown.count(text)))
    positions = [shown.index(text) for text in wanted]
    run.check(positions == sorted(positions), "%s: messages in the order they were sent: %s" % (where, shown))
    return found


# ----------------------------------------------------------------------------------------------
# The scenario

def note_stale_assets(base):
    """The pages are compiled into the binary: say so when it serves other ones than this checkout has."""
    directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "ParleyWeb", "Assets")
    stale = []
    for name in ("render.js", "messenger-app.js", "messenger.js", "inbox.js", "messenger.css", "inbox.css"):
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            continue
        try:
            with urllib.request.urlopen(base + "/assets/" + name, timeout=10) as response:
                served = response.read()
        except Exception:
            continue
        with open(path, "rb") as f:
            if f.read() != served:
                stale.append(name)
    if stale:
        print("note: the server's pages are not this checkout's (%s differ from Sources/ParleyWeb/Assets): "
              "a binary built before the last page change?" % ", ".join(stale), flush=True)


def scenario(run, shots, base, key_id, key_secret, latency_limit):
    stamp = time.strftime("%Y%m%d-%H%M%S")
    note_stale_assets(base)
    print("setting up an app, an app key and a web integration", flush=True)
    app = api(base, "POST", "/v2/apps", {"displayName": "Browser test " + stamp}, key_id, key_secret)["app"]
    app_key = api(base, "POST", "/v2/apps/%s/keys" % app["id"], {"displayName": "inbox"}, key_id, key_secret)["key"]
    integration = api(base, "POST", "/v2/apps/%s/integrations" % app["id"], {
        "type": "web", "displayName": "Website", "brandColor": "2a6f97", "businessName": "Parley Test Shop",
    }, key_id, key_secret)["integration"]
    run.check(bool(app.get("id") and app_key.get("secret") and integration.get("id")), "app, app key and web integration created")
    # A custom integration whose webhook records what the messenger's buttons cause (postbacks, messages).
    # Parley must be allowed to call 127.0.0.1 (PARLEY_OUTBOUND_ALLOW; browser/run sets it).
    receiver = WebhookReceiver()
    api(base, "POST", "/v2/apps/%s/integrations" % app["id"], {
        "type": "custom", "displayName": "Recorder",
        "webhooks": [{"target": receiver.url + "/recorder", "triggers": ["conversation:postback", "conversation:message"]}],
    }, key_id, key_secret)
    ctx = {"base": base, "app": app, "key": (app_key["id"], app_key["secret"]), "account": (key_id, key_secret),
           "integration": integration, "receiver": receiver}

    target = urllib.parse.urlsplit(base)
    proxy = Proxy(target.hostname, target.port or (443 if target.scheme == "https" else 80)).start()
    print("proxy", proxy.url, "→", base, flush=True)

    messenger = make_driver(420, 760)
    inbox = make_driver(1280, 860)
    drivers = {"messenger": messenger, "inbox": inbox}
    try:
        ctx["conversation"] = _conversation(run, shots, base, proxy, messenger, inbox, app, app_key, integration, latency_limit)
        _keyboard_and_typing(run, shots, ctx, messenger, inbox)
        _content_types(run, shots, ctx, messenger, inbox)
        _actions(run, shots, ctx, messenger, inbox)
        _send_image(run, shots, ctx, messenger, inbox)
        _inbox_list(run, shots, ctx, messenger, inbox)
        _switchboard(run, shots, ctx, messenger, inbox)
        _embed(run, shots, base, messenger, integration)
    except BaseException:
        for name, driver in drivers.items():
            shots.take(driver, name + "-failure")
        raise
    finally:
        for driver in drivers.values():
            try:
                driver.quit()
            except Exception:
                pass
        proxy.close()
        receiver.close()


def _conversation(run, shots, base, proxy, messenger, inbox, app, app_key, integration, latency_limit):
    # Window A: the messenger, through the proxy.
    messenger.get("%s/web/%s" % (proxy.url, integration["id"]))
    wait_for(lambda: state_of(messenger) == "open", 15, "the messenger's socket to be open")
    run.check(True, "messenger loaded and connected")
    shots.take(messenger, "messenger-1-open")

    # Window B: the inbox, straight to Parley.
    inbox.get(base + "/inbox")
    wait_for(lambda: inbox.find_element(By.ID, "key-id").is_displayed(), 10, "the inbox sign-in form")
    type_into(inbox, "key-id", app_key["id"])
    type_into(inbox, "key-secret", app_key["secret"])
    type_into(inbox, "agent-name", "Ada (agent)")
    inbox.find_element(By.ID, "sign-in").click()
    wait_for(lambda: inbox.find_element(By.ID, "conversations").is_displayed(), 10, "the inbox after sign-in")
    run.check(inbox.find_element(By.ID, "key-secret").get_attribute("value") == "", "the secret field is cleared after sign-in")
    wait_for(lambda: state_of(inbox) == "open", 15, "the inbox's socket to be open")
    shots.take(inbox, "inbox-1-signed-in")

    # The user writes; the inbox shows it within the latency limit.
    type_into(messenger, "composer", HELLO)
    sent_at = time.monotonic()
    messenger.find_element(By.ID, "composer").send_keys(Keys.ENTER)
    row = wait_for(lambda: inbox.execute_script(row_js(HELLO)), 10, "the conversation with %r in the inbox" % HELLO, interval=0.02)
    latency = time.monotonic() - sent_at
    print("  inbox showed the new message %.3f s after it was sent" % latency, flush=True)
    run.check(latency <= latency_limit, "inbox shows the new conversation and message within %.1f s (took %.3f s)" % (latency_limit, latency))
    run.check(row["unread"] == "1", "the conversation row shows 1 unread (shows %r)" % row["unread"])
    wait_for(lambda: HELLO in texts(messenger), 5, "the messenger to show its own message")
    conversation_id = row["id"]

    # The agent opens it and reads it.
    open_row(inbox, conversation_id)
    wait_for(lambda: HELLO in texts(inbox), 10, "the thread to show the user's message")
    author = [m["author"] for m in messages(inbox) if m["text"] == HELLO]
    run.check(author == ["user"], "the inbox shows the message as the user's")
    wait_for(lambda: (inbox.execute_script(row_js(HELLO)) or {}).get("unread") is None, 5, "the unread badge to clear after opening")
    run.check(True, "opening the thread marks it read (unread badge gone)")
    shots.take(inbox, "inbox-2-thread")

    # Typing: the agent types, the messenger shows it; sending hides it.
    type_into(inbox, "composer", ANSWER)
    wait_for(lambda: typing_shown(messenger), 5, "the messenger's typing indicator")
    run.check(True, "agent typing shows #typing in the messenger")
    shots.take(messenger, "messenger-2-typing")
    inbox.find_element(By.ID, "composer").send_keys(Keys.ENTER)
    wait_for(lambda: ANSWER in texts(messenger), 5, "the agent's answer in the messenger")
    author = [m["author"] for m in messages(messenger) if m["text"] == ANSWER]
    run.check(author == ["business"], "the messenger shows the answer as the business's")
    wait_for(lambda: not typing_shown(messenger), 5, "the typing indicator to hide after the answer")
    run.check(True, "the answer hides the typing indicator")
    shots.take(messenger, "messenger-3-answer")

    # The network goes away between the messenger and Parley.
    proxy.cut()
    wait_for(lambda: state_of(messenger) == "reconnecting", 10, "the messenger to notice the cut (status reconnecting)")
    run.check(True, "cut: the messenger's status is reconnecting")
    shots.take(messenger, "messenger-4-cut")
    for text in DURING_CUT:
        type_into(inbox, "composer", text, enter=True)
        wait_for(lambda: text in texts(inbox), 5, "the inbox to show %r" % text)
    api(base, "POST", "/v2/apps/%s/conversations/%s/messages" % (app["id"], conversation_id), {
        "author": {"type": "business", "displayName": "API"}, "content": {"type": "text", "text": DURING_CUT_API},
    }, app_key["id"], app_key["secret"])
    wait_for(lambda: DURING_CUT_API in texts(inbox), 5, "the inbox to show the API's message")
    time.sleep(1.5)  # a few refused reconnection attempts
    shown = texts(messenger)
    run.check(not any(t in shown for t in DURING_CUT + [DURING_CUT_API]), "while cut, the messenger shows none of the new messages")
    run.check(state_of(messenger) == "reconnecting", "while cut, the messenger stays reconnecting")
    shots.take(inbox, "inbox-3-during-cut")

    # Back: everything missed arrives once, in order.
    proxy.restore()
    restored_at = time.monotonic()
    wait_for(lambda: state_of(messenger) == "open", 20, "the messenger to reconnect after restore")
    wanted = DURING_CUT + [DURING_CUT_API]
    wait_for(lambda: all(t in texts(messenger) for t in wanted), 10, "the messages sent during the cut in the messenger")
    print("  messenger caught up %.2f s after the network came back" % (time.monotonic() - restored_at), flush=True)
    time.sleep(1.5)  # late duplicates would show up by now
    everything = [HELLO, ANSWER] + wanted
    found = assert_exactly_once(run, messenger, everything, "messenger")
    run.check(len(found) == len(everything), "messenger shows %d messages, no more (shows %d)" % (len(everything), len(found)))
    shots.take(messenger, "messenger-5-restored")
    found = assert_exactly_once(run, inbox, everything, "inbox")
    run.check(len(found) == len(everything), "inbox shows %d messages, no more (shows %d)" % (len(everything), len(found)))
    shots.take(inbox, "inbox-4-final")
    return conversation_id


def _api(ctx, method, path, body=None):
    """The v2 API with the app key, under /v2/apps/{appId}."""
    return api(ctx["base"], method, "/v2/apps/%s%s" % (ctx["app"]["id"], path), body, *ctx["key"])


def _conversation_path(ctx, suffix=""):
    return "/conversations/%s%s" % (ctx["conversation"], suffix)


def _list_messages(ctx):
    return _api(ctx, "GET", _conversation_path(ctx, "/messages"))["messages"]


def _active_element(driver):
    return driver.execute_script("""
var a = document.activeElement;
if (!a || a === document.body) return 'body';
return a.id ? '#' + a.id : a.tagName.toLowerCase() + (a.className && typeof a.className === 'string' ? '.' + a.className.split(' ')[0] : '');
""")


def _press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def _keyboard_and_typing(run, shots, ctx, messenger, inbox):
    """The messenger, reloaded, with the keyboard alone: Tab to the composer, type (the inbox shows
    the user typing), Enter sends."""
    messenger.refresh()
    wait_for(lambda: state_of(messenger) == "open", 15, "the reloaded messenger's socket to be open")
    wait_for(lambda: HELLO in texts(messenger), 10, "the reloaded messenger to show the conversation again")
    run.check(_active_element(messenger) == "body", "after reloading, nothing in the messenger has focus (focus on %s)" % _active_element(messenger))
    path = []
    for _ in range(40):
        _press(messenger, Keys.TAB)
        path.append(_active_element(messenger))
        if path[-1] == "#composer":
            break
    run.check(path[-1] == "#composer",
              "keyboard: Tab from the page start reaches the composer in %d presses (%s)" % (len(path), " → ".join(path)))

    _press(messenger, KEYBOARD_TEXT)
    wait_for(lambda: typing_shown(inbox), 5, "the inbox's typing indicator while the user types")
    label = inbox.execute_script("return document.getElementById('typing-text').textContent")
    run.check("is typing" in label, "user typing in the messenger shows the inbox's typing indicator (%r)" % label)
    shots.take(inbox, "inbox-5-user-typing")
    _press(messenger, Keys.ENTER)
    wait_for(lambda: KEYBOARD_TEXT in texts(inbox), 5, "the inbox to show the message sent with Enter")
    run.check(messenger.execute_script("return document.getElementById('composer').value") == "",
              "keyboard: Enter sent the message (the composer is empty, the inbox shows %r)" % KEYBOARD_TEXT)
    wait_for(lambda: not typing_shown(inbox), 5, "the inbox's typing indicator to hide when the message arrives")
    run.check(True, "the user's message hides the inbox's typing indicator")


# One JS function that says what a message element contains, for every content type.
DESCRIBE_JS = """
var node = document.querySelector('#messages .message[data-message-id="' + arguments[0] + '"]');
if (!node) return null;
function all(sel, from) { return Array.prototype.slice.call((from || node).querySelectorAll(sel)); }
function txt(e) { return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null; }
function action(e) {
  return {tag: e.tagName.toLowerCase(), text: txt(e), href: e.getAttribute('href'), disabled: !!e.disabled};
}
function item(e) {
  return {title: txt(e.querySelector('.card__title')), description: txt(e.querySelector('.card__description')),
          image: e.querySelector('img') ? e.querySelector('img').src : null, actions: all('.action', e).map(action)};
}
var form = node.querySelector('form.form');
var bubble = node.querySelector('.bubble');
return {
  author: node.getAttribute('data-author-type'),
  text: txt(bubble),
  strong: all('.bubble strong').map(txt),
  links: all('.bubble a').map(action),
  images: all('.bubble img').map(function (i) {
    return {src: i.src, alt: i.alt, width: i.naturalWidth, loaded: i.complete && i.naturalWidth > 0};
  }),
  files: all('a.file').map(action),
  cards: all('.carousel .card').map(item),
  listItems: all('.item-list .list-item').map(item),
  maps: all('a.location__map').map(action),
  locationName: txt(node.querySelector('.location__name')),
  locationAddress: txt(node.querySelector('.location__address')),
  actions: all('.message__body > .actions .action').map(action),
  form: form ? {
    intro: txt(form.querySelector('.form__intro')),
    fields: all('.form__field', form).map(function (f) {
      var input = f.querySelector('input, select');
      return {label: txt(f.querySelector('label')), tag: input.tagName.toLowerCase(), name: input.name,
              type: input.type, disabled: input.disabled, value: input.value,
              labelled: f.querySelector('label').htmlFor === input.id,
              options: input.tagName === 'SELECT' ? Array.prototype.map.call(input.options, function (o) { return o.text; }) : null};
    }),
    submit: txt(form.querySelector('button[type=submit]')),
    submitDisabled: form.querySelector('button[type=submit]').disabled
  } : null,
  answer: all('dl.form-response dt').map(function (dt) { return [txt(dt), txt(dt.nextElementSibling)]; })
};
"""


def describe(driver, message_id):
    return driver.execute_script(DESCRIBE_JS, message_id)


REPLIES_JS = """
var r = document.getElementById('replies');
var chips = Array.prototype.slice.call(r.querySelectorAll('.chip'));
var last = document.querySelectorAll('#messages .message[data-message-id]');
last = last[last.length - 1];
return {hidden: r.hidden || r.offsetParent === null, chips: chips.map(function (c) { return c.textContent.trim(); }),
        top: chips.length ? chips[0].getBoundingClientRect().top : null,
        threadBottom: document.getElementById('thread-view').getBoundingClientRect().bottom,
        lastId: last ? last.getAttribute('data-message-id') : null};
"""


def _content_types(run, shots, ctx, messenger, inbox):
    """Every content type the API can send, posted as the business, rendered as what it is."""
    image = upload(ctx["base"], ctx["app"]["id"], "red-square.png", "image/png", png(96, 64, (200, 40, 40)), *ctx["key"])
    document = upload(ctx["base"], ctx["app"]["id"], "opening-hours.txt", "text/plain",
                      b"Mon-Fri 9:00-18:00\nSat 10:00-14:00\n", *ctx["key"])
    ctx["image_url"] = image["mediaUrl"]
    contents = [
        ("markdown", {"type": "text", "markdownText": "Our **opening hours** are on [the hours page](https://example.com/hours)."}),
        ("image", {"type": "image", "mediaUrl": image["mediaUrl"], "altText": "A red square"}),
        ("file", {"type": "file", "mediaUrl": document["mediaUrl"], "altText": "opening-hours.txt"}),
        ("carousel", {"type": "carousel", "items": [
            {"title": "Red widget", "description": "Our best seller", "mediaUrl": image["mediaUrl"], "altText": "Red widget",
             "actions": [{"type": "link", "text": "Details", "uri": "https://example.com/red"}]},
            {"title": "Blue widget", "description": "New this week",
             "actions": [{"type": "postback", "text": "Reserve blue", "payload": "RESERVE_BLUE"}]},
        ]}),
        ("list", {"type": "list", "items": [
            {"title": "Standard shipping", "description": "3 to 5 days",
             "actions": [{"type": "link", "text": "Rates", "uri": "https://example.com/rates"}]},
            {"title": "Express shipping", "description": "Next day",
             "actions": [{"type": "postback", "text": "Choose express", "payload": "EXPRESS"}]},
        ]}),
        ("location", {"type": "location", "coordinates": {"lat": 52.5163, "long": 13.3777},
                      "location": {"name": "Brandenburg Gate", "address": "Pariser Platz, Berlin"}}),
        ("form", {"type": "form", "text": "Book a callback", "fields": [
            {"type": "text", "name": "name", "label": "Your name", "placeholder": "Ada"},
            {"type": "select", "name": "time", "label": "Best time",
             "options": [{"name": "morning", "label": "Morning"}, {"name": "afternoon", "label": "Afternoon"}]},
        ]}),
        ("replies", {"type": "text", "text": "Anything else?", "actions": [
            {"type": "reply", "text": "Yes please", "payload": "YES"},
            {"type": "reply", "text": "No thanks", "payload": "NO"},
            {"type": "postback", "text": "Talk to sales", "payload": "TALK_TO_SALES"},
        ]}),
    ]
    ids = {}
    for name, content in contents:
        answer = _api(ctx, "POST", _conversation_path(ctx, "/messages"),
                      {"author": {"type": "business", "displayName": "Shop bot"}, "content": content})
        ids[name] = answer["messages"][0]["id"]
    ctx["ids"] = ids
    run.check(True, "PostMessage accepted markdown text, image, file, carousel, list, location, form and a text with actions")

    messenger.set_window_size(460, 1100)
    wait_for(lambda: all(describe(messenger, i) for i in ids.values()), 10, "the messenger to show the 8 new messages")
    wait_for(lambda: all(i["loaded"] for i in describe(messenger, ids["image"])["images"]), 10, "the image to load")
    seen = {name: describe(messenger, i) for name, i in ids.items()}

    m = seen["markdown"]
    run.check("opening hours" in m["strong"] and "**" not in m["text"],
              "markdown: **opening hours** is bold, no asterisks shown (%r)" % m["text"])
    run.check({"href": "https://example.com/hours", "text": "the hours page"} in [{"href": l["href"], "text": l["text"]} for l in m["links"]],
              "markdown: [the hours page](…) is a link to https://example.com/hours")

    m = seen["image"]
    run.check(len(m["images"]) == 1 and m["images"][0]["src"] == image["mediaUrl"] and m["images"][0]["width"] == 96,
              "image: an <img> of the uploaded attachment, loaded (96 px wide): %s" % m["images"])
    run.check(m["images"][0]["alt"] == "A red square", "image: its altText is the <img>'s alt")

    m = seen["file"]
    run.check(len(m["files"]) == 1 and m["files"][0]["href"] == document["mediaUrl"] and "opening-hours.txt" in m["files"][0]["text"],
              "file: a download link to the attachment named opening-hours.txt: %s" % m["files"])

    m = seen["carousel"]
    run.check([c["title"] for c in m["cards"]] == ["Red widget", "Blue widget"], "carousel: two cards, Red widget and Blue widget")
    run.check(m["cards"][0]["image"] == image["mediaUrl"] and m["cards"][0]["description"] == "Our best seller",
              "carousel: the first card shows its image and description")
    run.check(m["cards"][0]["actions"] == [{"tag": "a", "text": "Details", "href": "https://example.com/red", "disabled": False}]
              and [(a["tag"], a["text"], a["disabled"]) for a in m["cards"][1]["actions"]] == [("button", "Reserve blue", False)],
              "carousel: a link action (an <a>) and a postback action (an enabled <button>): %s" % [c["actions"] for c in m["cards"]])

    m = seen["list"]
    run.check([c["title"] for c in m["listItems"]] == ["Standard shipping", "Express shipping"]
              and m["listItems"][0]["actions"][0]["href"] == "https://example.com/rates"
              and m["listItems"][1]["actions"][0]["text"] == "Choose express",
              "list: two list items with their link and postback actions")

    m = seen["location"]
    run.check(m["locationName"] == "Brandenburg Gate" and m["locationAddress"] == "Pariser Platz, Berlin",
              "location: its name and address are shown")
    run.check(len(m["maps"]) == 1 and "mlat=52.5163" in m["maps"][0]["href"] and "mlon=13.3777" in m["maps"][0]["href"],
              "location: an 'Open map' link to the coordinates (%s)" % (m["maps"][0]["href"] if m["maps"] else None))

    m = seen["form"]
    fields = m["form"]["fields"] if m["form"] else []
    run.check(m["form"] is not None and m["form"]["intro"] == "Book a callback" and m["form"]["submit"] == "Send",
              "form: a <form> with its text and a Send button")
    run.check([(f["label"], f["tag"], f["name"]) for f in fields] == [("Your name", "input", "name"), ("Best time", "select", "time")]
              and all(f["labelled"] and not f["disabled"] for f in fields),
              "form: a labelled text input and a labelled select, both enabled: %s" % fields)
    run.check(fields[1]["options"][1:] == ["Morning", "Afternoon"], "form: the select offers Morning and Afternoon (%s)" % fields[1]["options"])

    m = seen["replies"]
    replies = messenger.execute_script(REPLIES_JS)
    run.check(not replies["hidden"] and replies["chips"] == ["Yes please", "No thanks"],
              "quick replies: two reply buttons shown (%s)" % replies["chips"])
    run.check(replies["lastId"] == ids["replies"] and replies["top"] >= replies["threadBottom"] - 1,
              "quick replies: below the thread, whose last message is the one that carries them")
    run.check([(a["tag"], a["text"]) for a in m["actions"]] == [("button", "Talk to sales")],
              "text with actions: the postback is a button in the bubble, the replies are not repeated there (%s)" % m["actions"])
    # The whole set, in two screenshots.
    messenger.execute_script("document.querySelector('#messages .message[data-message-id=\"%s\"]').scrollIntoView({block: 'start'})" % ids["markdown"])
    time.sleep(0.3)
    shots.take(messenger, "messenger-6-content-types-top")
    messenger.execute_script("var t = document.getElementById('thread-view'); t.scrollTop = t.scrollHeight;")
    time.sleep(0.3)
    shots.take(messenger, "messenger-7-content-types-bottom")

    # The inbox draws them with the same code; the agent cannot press the user's buttons.
    wait_for(lambda: all(describe(inbox, i) for i in ids.values()), 10, "the inbox to show the 8 new messages")
    wait_for(lambda: all(i["loaded"] for i in describe(inbox, ids["image"])["images"]), 10, "the image to load in the inbox")
    inbox_seen = {name: describe(inbox, i) for name, i in ids.items()}
    run.check(len(inbox_seen["carousel"]["cards"]) == 2 and len(inbox_seen["list"]["listItems"]) == 2
              and inbox_seen["location"]["maps"] and inbox_seen["file"]["files"],
              "inbox: the carousel, list, location and file are drawn as in the messenger")
    run.check(all(f["disabled"] for f in inbox_seen["form"]["form"]["fields"]) and inbox_seen["replies"]["actions"][0]["disabled"],
              "inbox: the form and the postback are shown disabled to the agent")
    inbox.execute_script("var s = document.getElementById('thread-scroll'); s.scrollTop = s.scrollHeight - s.clientHeight - 500;")
    time.sleep(0.3)
    shots.take(inbox, "inbox-6-content-types")


def _message_node(driver, message_id):
    return driver.find_element(By.CSS_SELECTOR, '#messages .message[data-message-id="%s"]' % message_id)


# Records every unread badge drawn on the row of the conversation open in the thread.
OPEN_BADGE_WATCH_JS = """
window.parleyOpenBadges = [];
var list = document.getElementById('conversations');
function look() {
  var badge = list.querySelector('.conversation[aria-current="true"] .unread');
  if (badge) window.parleyOpenBadges.push(badge.textContent);
}
new MutationObserver(look).observe(list, {childList: true, subtree: true});
"""


def _actions(run, shots, ctx, messenger, inbox):
    """Postbacks reach the webhook, a quick reply is the user's message, a form gets its formResponse."""
    receiver = ctx["receiver"]
    ids = ctx["ids"]
    # From here the user writes while the agent has the thread open: its row must never show unread.
    inbox.execute_script(OPEN_BADGE_WATCH_JS)

    def postback(payload):
        return receiver.find(lambda e: e.get("type") == "conversation:postback"
                             and ((e.get("payload") or {}).get("postback") or {}).get("payload") == payload)

    _message_node(messenger, ids["replies"]).find_element(By.CSS_SELECTOR, ".actions button.action").click()
    event = wait_for(lambda: postback("TALK_TO_SALES"), 10, "the webhook to receive the postback TALK_TO_SALES")[0]
    run.check(((event.get("payload") or {}).get("conversation") or {}).get("id") == ctx["conversation"],
              "postback button: the webhook received conversation:postback TALK_TO_SALES for this conversation")
    card = _message_node(messenger, ids["carousel"]).find_elements(By.CSS_SELECTOR, ".carousel .card")[1]
    card.find_element(By.CSS_SELECTOR, "button.action").click()
    wait_for(lambda: postback("RESERVE_BLUE"), 10, "the webhook to receive the carousel's postback RESERVE_BLUE")
    run.check(True, "carousel postback button: the webhook received conversation:postback RESERVE_BLUE")
    run.check("Talk to sales" not in texts(messenger) and "Reserve blue" not in texts(messenger),
              "a postback sends no message")

    # A quick reply: its text becomes the user's message (with its payload); the chips go away.
    messenger.find_element(By.XPATH, "//div[@id='replies']/button[normalize-space()='Yes please']").click()
    wait_for(lambda: "Yes please" in texts(inbox), 10, "the inbox to show the quick reply 'Yes please'")
    run.check([m["author"] for m in messages(inbox) if m["text"] == "Yes please"] == ["user"],
              "quick reply: 'Yes please' is shown in the inbox as the user's message")
    sent = [m for m in _list_messages(ctx) if (m.get("content") or {}).get("text") == "Yes please"]
    run.check(len(sent) == 1 and sent[0]["content"].get("payload") == "YES" and sent[0]["author"]["type"] == "user",
              "quick reply: ListMessages has it once, as the user's, with the payload YES (%s)" % [m.get("content") for m in sent])
    wait_for(lambda: messenger.execute_script(REPLIES_JS)["hidden"], 5, "the quick replies to go once answered")
    run.check(True, "quick replies disappear once the user's reply is the last message")

    # The form: fill it in, send it; a formResponse with a textFallback is stored.
    form = _message_node(messenger, ids["form"])
    form.find_element(By.CSS_SELECTOR, "input[name=name]").send_keys("Grace Hopper")
    Select(form.find_element(By.CSS_SELECTOR, "select[name=time]")).select_by_visible_text("Afternoon")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(lambda: (describe(messenger, ids["form"])["form"] or {}).get("submit") == "Submitted", 10, "the form to say Submitted")
    locked = describe(messenger, ids["form"])["form"]
    run.check(all(f["disabled"] for f in locked["fields"]) and locked["submitDisabled"],
              "form: after sending, the form is locked and says Submitted")

    def form_response():
        return [m for m in _list_messages(ctx) if (m.get("content") or {}).get("type") == "formResponse"]
    answer = wait_for(form_response, 10, "a formResponse in ListMessages")[0]
    content = answer["content"]
    fallback = content.get("textFallback") or ""
    run.check(answer["author"]["type"] == "user" and "Grace Hopper" in fallback and "Afternoon" in fallback,
              "form: ListMessages has a formResponse from the user with textFallback %r" % fallback)
    by_name = {f.get("name"): f for f in content.get("fields") or []}
    run.check(by_name.get("name", {}).get("text") == "Grace Hopper"
              and [o.get("name") for o in by_name.get("time", {}).get("select") or []] == ["afternoon"],
              "form: the formResponse's fields carry the text and the chosen option (%s)" % content.get("fields"))
    wait_for(lambda: describe(inbox, answer["id"]) is not None, 10, "the inbox to show the form's answer")
    shown = describe(inbox, answer["id"])["answer"]
    run.check(["Your name", "Grace Hopper"] in shown and ["Best time", "Afternoon"] in shown,
              "form: the inbox shows the answers (%s)" % shown)
    shots.take(messenger, "messenger-8-actions")
    inbox.execute_script("var s = document.getElementById('thread-scroll'); s.scrollTop = s.scrollHeight;")
    time.sleep(0.3)
    shots.take(inbox, "inbox-7-form-answer")


def _send_image(run, shots, ctx, messenger, inbox):
    """The messenger's file input: a PNG becomes an image message the inbox shows as an image."""
    directory = tempfile.mkdtemp(prefix="parley-upload-")
    path = os.path.join(directory, "from-the-browser.png")
    with open(path, "wb") as f:
        f.write(png(120, 80, (30, 110, 200)))
    before = set(m["id"] for m in messages(inbox))
    messenger.find_element(By.ID, "file").send_keys(path)

    def new_image():
        for m in messages(inbox):
            if m["id"] in before or m["author"] != "user":
                continue
            d = describe(inbox, m["id"])
            if d["images"]:
                return m["id"], d["images"][0]
        return None
    message_id, image = wait_for(new_image, 15, "the inbox to show the image the user sent")
    wait_for(lambda: describe(inbox, message_id)["images"][0]["loaded"], 10, "the inbox to load the user's image")
    image = describe(inbox, message_id)["images"][0]
    run.check(image["src"].endswith("/from-the-browser.png") and image["width"] == 120,
              "image upload: the inbox shows the user's PNG as an <img> (loaded, 120 px wide): %s" % image["src"])
    stored = [m for m in _list_messages(ctx) if m["id"] == message_id]
    run.check(stored and stored[0]["content"]["type"] == "image" and stored[0]["content"].get("mediaType") == "image/png",
              "image upload: ListMessages has an image message of type image/png (%s)" % (stored[0]["content"] if stored else None))
    wait_for(lambda: describe(messenger, message_id) is not None, 5, "the messenger to show its own image")
    run.check(describe(messenger, message_id)["author"] == "user", "image upload: the messenger shows the image as its own")
    inbox.execute_script("var s = document.getElementById('thread-scroll'); s.scrollTop = s.scrollHeight;")
    time.sleep(1.0)  # the list refreshes that follow the new messages
    badges = inbox.execute_script("return window.parleyOpenBadges")
    run.soft(badges == [], "inbox: while its thread is open, the conversation's row never showed an unread badge "
                           "(3 user messages arrived; badges drawn: %s)" % badges)
    shots.take(inbox, "inbox-8-user-image")
    shots.take(messenger, "messenger-9-image-sent")


ROWS_JS = """
return Array.from(document.querySelectorAll('#conversations .conversation')).map(function (r) {
  var u = r.querySelector('.unread');
  return {id: r.getAttribute('data-conversation-id'), name: r.querySelector('.conversation__name').textContent.trim(),
          unread: u ? u.textContent.trim() : null};
});
"""


def _set_search(inbox, text):
    search = inbox.find_element(By.ID, "search")
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACKSPACE)
    if text:
        search.send_keys(text)


def _inbox_list(run, shots, ctx, messenger, inbox):
    """Names from UpdateUser, the unread count of another conversation, search and back."""
    user_id = next(m["author"]["userId"] for m in _list_messages(ctx) if m["author"]["type"] == "user")
    _api(ctx, "PATCH", "/users/%s" % user_id, {"profile": {"givenName": "Grace", "surname": "Hopper", "email": "grace@example.com"}})
    _api(ctx, "POST", "/users", {"externalId": "alan-turing", "profile": {"givenName": "Alan", "surname": "Turing"}})
    other = _api(ctx, "POST", "/conversations", {"type": "personal", "participants": [{"userExternalId": "alan-turing"}]})["conversation"]["id"]
    for text in ("Hello from Alan", "Are you there?"):
        _api(ctx, "POST", "/conversations/%s/messages" % other,
             {"author": {"type": "user", "userExternalId": "alan-turing"}, "content": {"type": "text", "text": text}})

    def rows():
        return {r["id"]: r for r in inbox.execute_script(ROWS_JS)}
    wait_for(lambda: (rows().get(other) or {}).get("unread") == "2", 10, "Alan Turing's conversation with 2 unread")
    run.check(rows()[other]["name"] == "Alan Turing", "inbox: the new conversation is listed as Alan Turing with an unread badge of 2")
    wait_for(lambda: (rows().get(ctx["conversation"]) or {}).get("name") == "Grace Hopper", 10, "the profile name from UpdateUser in the list")
    run.check(True, "inbox: the messenger user's row shows the name set with UpdateUser (Grace Hopper)")
    shots.take(inbox, "inbox-9-unread")

    # The user writes while the agent has the thread open (the inbox marks it read), then the agent
    # moves on to Alan's conversation: Grace's row must not be left with a badge.
    type_into(messenger, "composer", ONE_MORE_TEXT, enter=True)
    wait_for(lambda: ONE_MORE_TEXT in texts(inbox), 10, "the inbox to show %r" % ONE_MORE_TEXT)
    time.sleep(1.0)  # the read and the list refreshes that follow the message
    open_row(inbox, other)
    wait_for(lambda: "Are you there?" in texts(inbox), 10, "Alan's thread")
    wait_for(lambda: rows()[other]["unread"] is None, 5, "Alan's unread badge to clear")
    run.check(True, "inbox: opening Alan's conversation clears its unread badge")
    time.sleep(0.5)
    run.soft(rows()[ctx["conversation"]]["unread"] is None,
             "inbox: Grace's conversation, read while open, shows no unread badge once the agent moves on (shows %r)"
             % rows()[ctx["conversation"]]["unread"])
    open_row(inbox, ctx["conversation"])
    wait_for(lambda: HELLO in texts(inbox), 10, "Grace's thread again")

    _set_search(inbox, "hopper")
    wait_for(lambda: list(rows()) == [ctx["conversation"]], 10, "the search 'hopper' to list only Grace Hopper's conversation")
    run.check(True, "inbox search: 'hopper' lists only Grace Hopper's conversation")
    shots.take(inbox, "inbox-10-search")
    _set_search(inbox, "alan-turing")
    wait_for(lambda: list(rows()) == [other], 10, "the search 'alan-turing' (an externalId) to list only Alan's conversation")
    run.check(rows()[other]["unread"] is None,
              "inbox search: the externalId 'alan-turing' lists only Alan's conversation, read (the server's count, not the page's)")
    _set_search(inbox, "")
    wait_for(lambda: set(rows()) == {other, ctx["conversation"]}, 10, "both conversations back after clearing the search")
    run.check(True, "inbox search cleared: both conversations are back")


def _switchboard(run, shots, ctx, messenger, inbox):
    """A switchboard of two custom integrations, bot (default) and agent: the inbox shows who is in
    control, passes control to the agent, and accepts an offer."""
    account = ctx["account"]
    base, app_id = ctx["base"], ctx["app"]["id"]
    created = {}
    for name in ("bot", "agent"):
        created[name] = api(base, "POST", "/v2/apps/%s/integrations" % app_id, {
            "type": "custom", "displayName": name,
            "webhooks": [{"target": ctx["receiver"].url + "/" + name, "triggers": ["conversation:message"]}],
        }, *account)["integration"]["id"]
    board = api(base, "POST", "/v2/apps/%s/switchboards" % app_id, {}, *account)["switchboard"]["id"]
    members = {}
    for name in ("bot", "agent"):
        members[name] = api(base, "POST", "/v2/apps/%s/switchboards/%s/switchboardIntegrations" % (app_id, board),
                            {"name": name, "integrationId": created[name], "deliverStandbyEvents": False}, *account)["switchboardIntegration"]["id"]
    api(base, "PATCH", "/v2/apps/%s/switchboards/%s" % (app_id, board),
        {"enabled": True, "defaultSwitchboardIntegrationId": members["bot"]}, *account)
    run.check(True, "switchboard created with bot (default) and agent, enabled")

    # The next message of the conversation puts it in the default integration's hands.
    type_into(messenger, "composer", HANDOVER_TEXT, enter=True)
    wait_for(lambda: HANDOVER_TEXT in texts(inbox), 10, "the inbox to show %r" % HANDOVER_TEXT)

    def active():
        conversation = _api(ctx, "GET", _conversation_path(ctx))["conversation"]
        return ((conversation.get("activeSwitchboardIntegration") or {}).get("name"),
                (conversation.get("pendingSwitchboardIntegration") or {}).get("name"))
    wait_for(lambda: active()[0] == "bot", 5, "GetConversation's activeSwitchboardIntegration to be bot")
    run.check(True, "GetConversation: activeSwitchboardIntegration.name is bot (the default)")

    # The inbox reads the switchboard when it starts: reload it (the session survives in sessionStorage).
    inbox.refresh()
    wait_for(lambda: inbox.find_element(By.ID, "conversations").is_displayed(), 10, "the inbox after a reload")
    run.check(not inbox.find_element(By.ID, "signin-view").is_displayed(), "inbox reload: still signed in (session in sessionStorage)")
    open_row(inbox, ctx["conversation"], timeout=10)

    def board_state():
        return inbox.execute_script("""
var b = document.getElementById('switchboard');
var buttons = Array.from(document.querySelectorAll('#switchboard-actions button'));
return {shown: !b.hidden && b.offsetParent !== null, state: document.getElementById('switchboard-state').textContent,
        buttons: buttons.map(function (x) { return [x.textContent.trim(), x.disabled]; })};""")
    wait_for(lambda: board_state()["state"].startswith("In control: bot"), 10, "the inbox to show 'In control: bot'")
    shown = board_state()
    run.check(shown["shown"] and shown["buttons"] == [["Pass to agent", False], ["Accept", True]],
              "inbox: 'In control: bot', a 'Pass to agent' button and a disabled Accept (%s)" % shown["buttons"])
    shots.take(inbox, "inbox-11-switchboard-bot")

    def click(label):  # the buttons are redrawn whenever the conversation is read again: retry a stale one
        xpath = "//span[@id='switchboard-actions']/button[normalize-space()=%s]" % json.dumps(label)
        wait_for(lambda: inbox.find_element(By.XPATH, xpath).click() or True, 5, "a click on %r" % label)

    click("Pass to agent")
    wait_for(lambda: active() == ("agent", None), 10, "GetConversation's activeSwitchboardIntegration to become agent")
    run.check(True, "inbox 'Pass to agent': GetConversation's activeSwitchboardIntegration.name is agent")
    wait_for(lambda: board_state()["state"] == "In control: agent", 10, "the inbox to show 'In control: agent'")
    run.check(board_state()["buttons"][0] == ["Pass to bot", False], "inbox: now 'In control: agent' with 'Pass to bot'")
    shots.take(inbox, "inbox-12-passed-to-agent")

    click("Pass to bot")
    wait_for(lambda: active() == ("bot", None), 10, "control back to bot")
    wait_for(lambda: board_state()["state"] == "In control: bot", 10, "the inbox to show 'In control: bot' again")
    # The bot offers control to the agent (offerControl through the API); the inbox shows the offer live.
    _api(ctx, "POST", _conversation_path(ctx, "/offerControl"), {"switchboardIntegration": "agent"})
    run.check(active() == ("bot", "agent"), "offerControl: GetConversation shows agent pending, bot still active")
    wait_for(lambda: "offered to agent" in board_state()["state"], 10, "the inbox to show the offer (a switchboard event)")
    run.check(["Accept", False] in board_state()["buttons"], "inbox: the offer shows live and Accept is enabled (%s)" % board_state()["state"])
    shots.take(inbox, "inbox-13-offered")
    click("Accept")
    wait_for(lambda: active() == ("agent", None), 10, "acceptControl to make agent active")
    run.check(True, "inbox Accept: GetConversation's activeSwitchboardIntegration.name is agent, nothing pending")
    wait_for(lambda: board_state()["state"] == "In control: agent", 10, "the inbox to show 'In control: agent' after Accept")
    run.check(True, "inbox: 'In control: agent' after Accept")
    shots.take(inbox, "inbox-14-accepted")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _embed(run, shots, base, driver, integration):
    """A host page on its own origin embeds messenger.js: launcher, panel, Escape back to the launcher."""
    directory = tempfile.mkdtemp(prefix="parley-host-")
    with open(os.path.join(directory, "host.html"), "w") as page:
        page.write("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A host page</title></head>
<body style="font-family: sans-serif; background: #fafafa; margin: 40px">
<h1>Acme Widgets</h1><p>This page embeds the Parley messenger.</p>
<script src="%s/messenger.js" data-integration-id="%s"></script>
</body></html>""" % (base, integration["id"]))
    handler = lambda *args, **kwargs: _QuietHandler(*args, directory=directory, **kwargs)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        driver.set_window_size(1100, 800)
        driver.get("http://127.0.0.1:%d/host.html" % server.server_address[1])
        launcher = wait_for(lambda: driver.find_element(By.ID, "parley-launcher"), 10, "the launcher button")
        run.check(launcher.tag_name == "button", "the launcher is a real <button>")
        # The host page reads /web/{id}/config cross-origin: without CORS the launcher keeps its default colour.
        colour = wait_for(lambda: launcher.value_of_css_property("background-color"), 5, "the launcher's colour")
        run.check(colour.replace(" ", "") in ("rgb(42,111,151)", "rgba(42,111,151,1)"),
                  "the launcher has the integration's brandColor 2a6f97 (has %s; is /web/{id}/config served with CORS?)" % colour)
        run.check(driver.execute_script("return typeof ParleyMessenger.open + typeof ParleyMessenger.login") == "functionfunction",
                  "window.ParleyMessenger has open and login")
        shots.take(driver, "messenger-embed-1-launcher")
        launcher.click()
        frame = wait_for(lambda: driver.find_element(By.ID, "parley-frame"), 10, "the messenger iframe")
        wait_for(lambda: frame.is_displayed(), 5, "the iframe to be shown")
        run.check(launcher.get_attribute("aria-expanded") == "true", "the launcher says the panel is expanded")
        driver.switch_to.frame(frame)
        wait_for(lambda: state_of(driver) == "open", 15, "the embedded messenger's socket to be open")
        run.check(driver.execute_script("return document.documentElement.classList.contains('embedded')"),
                  "the iframe runs the messenger in embedded mode")
        driver.switch_to.default_content()
        time.sleep(0.3)
        shots.take(driver, "messenger-embed-2-open")
        driver.switch_to.frame(frame)
        driver.find_element(By.ID, "composer").send_keys(Keys.ESCAPE)
        driver.switch_to.default_content()
        wait_for(lambda: not driver.find_element(By.ID, "parley-panel").is_displayed(), 5, "Escape to close the panel")
        focused = driver.execute_script("return document.activeElement && document.activeElement.id")
        run.check(focused == "parley-launcher", "Escape closes the panel and focus returns to the launcher (focus on %r)" % focused)

        # The keyboard alone: Enter, then Space, on the focused launcher opens the panel.
        for key, name in ((Keys.ENTER, "Enter"), (Keys.SPACE, "Space")):
            _press(driver, key)
            wait_for(lambda: driver.find_element(By.ID, "parley-panel").is_displayed(), 5, "%s on the launcher to open the panel" % name)
            run.check(launcher.get_attribute("aria-expanded") == "true", "%s on the launcher opens the panel" % name)
            wait_for(lambda: _active_element(driver) == "#parley-frame", 5, "focus to move into the messenger's iframe")
            driver.switch_to.frame(frame)
            inside = wait_for(lambda: _active_element(driver) == "#composer" and "#composer", 5, "focus on the embedded composer")
            run.check(inside == "#composer", "opened with %s, focus is on the messenger's composer" % name)
            if name == "Enter":
                driver.switch_to.default_content()
                time.sleep(0.3)
                shots.take(driver, "messenger-embed-3-keyboard-open")
                driver.switch_to.frame(frame)
            _press(driver, Keys.ESCAPE)
            driver.switch_to.default_content()
            wait_for(lambda: not driver.find_element(By.ID, "parley-panel").is_displayed(), 5, "Escape to close the panel")
            wait_for(lambda: _active_element(driver) == "#parley-launcher", 5, "focus back on the launcher")
    finally:
        server.shutdown()


def main():
    base = os.environ.get("PARLEY_URL", "").rstrip("/")
    key_id = os.environ.get("PARLEY_ACCOUNT_KEY_ID")
    key_secret = os.environ.get("PARLEY_ACCOUNT_KEY_SECRET")
    if not base or not key_id or not key_secret:
        print("set PARLEY_URL, PARLEY_ACCOUNT_KEY_ID and PARLEY_ACCOUNT_KEY_SECRET", file=sys.stderr)
        return 2
    shots = Shots(os.environ.get("ARTIFACTS") or os.path.join(os.getcwd(), "artifacts"))
    latency_limit = float(os.environ.get("PARLEY_LATENCY_LIMIT", "1.0"))
    run = Run()
    try:
        scenario(run, shots, base, key_id, key_secret, latency_limit)
    except Failure as failure:
        run.failed.append(str(failure))
    except Exception:
        traceback.print_exc()
        run.failed.append("unexpected error (above)")
    for message in run.failed:
        print("FAILED:", message, file=sys.stderr, flush=True)
    print("browser: %d passed, %d failed" % (run.passed, len(run.failed)), flush=True)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
