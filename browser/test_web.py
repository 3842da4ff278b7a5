"""End-to-end browser test of the web messenger and the agent inbox against a running Parley.

Environment:
    PARLEY_URL                 a running Parley (e.g. http://127.0.0.1:8080, SQLite is fine)
    PARLEY_ACCOUNT_KEY_ID      an account key id ...
    PARLEY_ACCOUNT_KEY_SECRET  ... and its secret
    ARTIFACTS                  a directory for the screenshots (made if missing; default ./artifacts)
    PARLEY_LATENCY_LIMIT       optional: seconds the inbox may take to show a new message (default 1.0)

Needs Debian's chromium + chromium-driver and selenium from PyPI; nothing is downloaded at run time.
Exits non-zero with a message naming the failed check. See README.md.
"""
import base64
import http.server
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

os.environ.setdefault("SE_AVOID_STATS", "true")  # selenium: no usage statistics, no downloads

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proxy import Proxy  # noqa: E402

HELLO = "Hello from the browser"
ANSWER = "Hi, an agent here"
DURING_CUT = ["during cut 1", "during cut 2", "during cut 3"]
DURING_CUT_API = "during cut (API)"


class Failure(Exception):
    pass


class Run:
    """Counts checks so the last line reads 'N passed, N failed'."""

    def __init__(self):
        self.passed = 0

    def check(self, condition, message):
        if not condition:
            raise Failure(message)
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

def scenario(run, shots, base, key_id, key_secret, latency_limit):
    stamp = time.strftime("%Y%m%d-%H%M%S")
    print("setting up an app, an app key and a web integration", flush=True)
    app = api(base, "POST", "/v2/apps", {"displayName": "Browser test " + stamp}, key_id, key_secret)["app"]
    app_key = api(base, "POST", "/v2/apps/%s/keys" % app["id"], {"displayName": "inbox"}, key_id, key_secret)["key"]
    integration = api(base, "POST", "/v2/apps/%s/integrations" % app["id"], {
        "type": "web", "displayName": "Website", "brandColor": "2a6f97", "businessName": "Parley Test Shop",
    }, key_id, key_secret)["integration"]
    run.check(bool(app.get("id") and app_key.get("secret") and integration.get("id")), "app, app key and web integration created")

    target = urllib.parse.urlsplit(base)
    proxy = Proxy(target.hostname, target.port or (443 if target.scheme == "https" else 80)).start()
    print("proxy", proxy.url, "→", base, flush=True)

    messenger = make_driver(420, 760)
    inbox = make_driver(1280, 860)
    drivers = {"messenger": messenger, "inbox": inbox}
    try:
        _conversation(run, shots, base, proxy, messenger, inbox, app, app_key, integration, latency_limit)
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
    inbox.find_element(By.CSS_SELECTOR, '#conversations .conversation[data-conversation-id="%s"]' % conversation_id).click()
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
        print("FAILED:", failure, file=sys.stderr, flush=True)
        print("browser: %d passed, 1 failed" % run.passed, flush=True)
        return 1
    except Exception:
        traceback.print_exc()
        print("FAILED: unexpected error (above)", file=sys.stderr, flush=True)
        print("browser: %d passed, 1 failed" % run.passed, flush=True)
        return 1
    print("browser: %d passed, 0 failed" % run.passed, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
