/*
 * Parley's embed script for host pages:
 *   <script src="https://parley.example.com/messenger.js" data-integration-id="…"></script>
 * Draws a launcher (button or tab, per the integration's config) and opens the messenger,
 * /web/{id}?embedded=1, in an iframe panel. Everything runs in the host page, so it adds no
 * global but window.ParleyMessenger and styles its own elements through the CSSOM only (no
 * <style> element, no inline markup: a host's CSP for styles does not get in the way).
 *
 * Host ⇄ iframe messages (postMessage, objects with `parley: 'host'` / `parley: 'messenger'`):
 *   host → iframe: init {url, title, referrer, open}, visibility {open}, focus, login {jwt}, logout
 *   iframe → host: ready, close, unread {count}
 */
(function () {
  'use strict';

  if (window.ParleyMessenger && window.ParleyMessenger.version) return; // included twice

  var script = document.currentScript || findScript();
  if (!script || !script.getAttribute('data-integration-id')) {
    if (window.console) console.warn('Parley messenger: the script tag needs data-integration-id');
    return;
  }
  var integrationId = script.getAttribute('data-integration-id');
  var origin = new URL(script.src, location.href).origin;
  var frameUrl = origin + '/web/' + encodeURIComponent(integrationId) + '?embedded=1';
  var Z = 2147483000;

  var config = {};
  var launcher = null;
  var badge = null;
  var panel = null;
  var frame = null;
  var frameReady = false;
  var queue = []; // messages for the iframe until it says `ready`
  var isOpen = false;
  var narrow = window.matchMedia ? window.matchMedia('(max-width: 480px)') : null;

  function findScript() {
    var scripts = document.querySelectorAll('script[data-integration-id]');
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/messenger\.js(\?|#|$)/.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  function hex(value, fallback) {
    return typeof value === 'string' && /^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? '#' + value : fallback;
  }

  function textOn(color) {
    var h = color.slice(1);
    if (h.length === 3) h = h.replace(/(.)/g, '$1$1');
    var luma = 0.299 * parseInt(h.slice(0, 2), 16) + 0.587 * parseInt(h.slice(2, 4), 16) + 0.114 * parseInt(h.slice(4, 6), 16);
    return luma / 255 > 0.6 ? '#111111' : '#ffffff';
  }

  function httpUrl(value) {
    try {
      var url = new URL(value, origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function px(value, fallback) {
    var n = parseInt(value, 10);
    return (isFinite(n) && n >= 24 && n <= 200 ? n : fallback) + 'px';
  }

  function css(node, styles) {
    Object.keys(styles).forEach(function (key) { node.style[key] = styles[key]; });
    return node;
  }

  function svg(path) {
    var ns = 'http://www.w3.org/2000/svg';
    var icon = document.createElementNS(ns, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('width', '26');
    icon.setAttribute('height', '26');
    icon.setAttribute('aria-hidden', 'true');
    icon.setAttribute('focusable', 'false');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', path);
    p.setAttribute('fill', 'currentColor');
    icon.appendChild(p);
    return icon;
  }

  var CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  var CLOSE_ICON = 'M6.4 5L12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z';

  // ---------------------------------------------------------------------------------------------
  // Launcher

  function buildLauncher() {
    var brand = hex(config.brandColor, '#65758e');
    var tab = config.displayStyle === 'tab';
    launcher = document.createElement('button');
    launcher.type = 'button';
    launcher.id = 'parley-launcher';
    launcher.setAttribute('aria-label', 'Open messenger');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-controls', 'parley-panel');
    css(launcher, {
      position: 'fixed', right: '20px', zIndex: String(Z), display: 'inline-flex', alignItems: 'center',
      justifyContent: 'center', gap: '8px', border: '0', padding: '0', margin: '0', cursor: 'pointer',
      background: brand, color: textOn(brand), boxShadow: '0 4px 14px rgba(0,0,0,0.25)',
      font: '600 15px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', overflow: 'visible'
    });
    if (tab) {
      css(launcher, { bottom: '0', height: '44px', padding: '0 18px', borderRadius: '10px 10px 0 0' });
      launcher.appendChild(svg(CHAT_ICON));
      var label = document.createElement('span');
      label.textContent = config.businessName ? 'Chat with ' + config.businessName : 'Chat with us';
      launcher.appendChild(label);
    } else {
      css(launcher, {
        bottom: '20px', width: px(config.buttonWidth, 58), height: px(config.buttonHeight, 58), borderRadius: '50%'
      });
      var icon = httpUrl(config.buttonIconUrl || '');
      if (config.buttonIconUrl && icon) {
        var img = document.createElement('img');
        img.src = icon;
        img.alt = '';
        css(img, { width: '100%', height: '100%', borderRadius: '50%', objectFit: 'cover', display: 'block' });
        launcher.appendChild(img);
      } else {
        launcher.appendChild(svg(CHAT_ICON));
      }
    }
    badge = document.createElement('span');
    badge.hidden = true;
    css(badge, {
      position: 'absolute', top: '-4px', right: '-4px', minWidth: '20px', height: '20px', padding: '0 5px',
      borderRadius: '10px', background: '#d93025', color: '#fff', font: '700 12px/20px system-ui, sans-serif',
      textAlign: 'center', boxSizing: 'border-box'
    });
    launcher.appendChild(badge);
    launcher.addEventListener('click', toggle);
    document.body.appendChild(launcher);
  }

  function setUnread(count) {
    if (!badge) return;
    badge.hidden = !(count > 0) || isOpen;
    badge.textContent = count > 9 ? '9+' : String(count || '');
    launcher.setAttribute('aria-label', count > 0 && !isOpen ? 'Open messenger, ' + count + ' unread' : isOpen ? 'Close messenger' : 'Open messenger');
  }

  // ---------------------------------------------------------------------------------------------
  // Panel and iframe (made on first use: a page view that never opens the messenger costs nothing)

  function ensureFrame() {
    if (frame) return;
    panel = document.createElement('div');
    panel.id = 'parley-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', config.businessName || 'Messenger');
    panel.hidden = true;
    frame = document.createElement('iframe');
    frame.id = 'parley-frame';
    frame.title = config.businessName ? config.businessName + ' messenger' : 'Messenger';
    frame.src = frameUrl;
    frame.setAttribute('allow', 'clipboard-write');
    css(frame, { width: '100%', height: '100%', border: '0', display: 'block', colorScheme: 'normal' });
    panel.appendChild(frame);
    document.body.appendChild(panel);
    layoutPanel();
  }

  function layoutPanel() {
    if (!panel) return;
    var full = narrow && narrow.matches;
    var bottomGap = config.displayStyle === 'tab' ? 54 : (parseInt(px(config.buttonHeight, 58), 10) + 32);
    css(panel, {
      position: 'fixed', zIndex: String(Z + 1), background: '#fff', overflow: 'hidden',
      boxShadow: full ? 'none' : '0 10px 40px rgba(0,0,0,0.3)', borderRadius: full ? '0' : '14px',
      top: full ? '0' : 'auto', left: full ? '0' : 'auto', right: full ? '0' : '20px',
      bottom: full ? '0' : bottomGap + 'px', width: full ? '100%' : '380px',
      height: full ? '100%' : '600px', maxHeight: full ? 'none' : 'calc(100vh - ' + (bottomGap + 20) + 'px)',
      maxWidth: full ? 'none' : 'calc(100vw - 40px)'
    });
    panel.style.display = panel.hidden ? 'none' : 'block';
  }

  function post(message) {
    message.parley = 'host';
    if (!frameReady) {
      queue.push(message);
      return;
    }
    frame.contentWindow.postMessage(message, origin);
  }

  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data;
    if (!data || data.parley !== 'messenger') return;
    switch (data.type) {
      case 'ready':
        frameReady = true;
        // init first, then whatever the page asked for before the iframe was up.
        frame.contentWindow.postMessage({
          parley: 'host', type: 'init', url: location.href, title: document.title, referrer: document.referrer, open: isOpen
        }, origin);
        queue.splice(0).forEach(function (message) { frame.contentWindow.postMessage(message, origin); });
        if (isOpen) frame.contentWindow.postMessage({ parley: 'host', type: 'focus' }, origin);
        break;
      case 'close':
        close();
        break;
      case 'unread':
        setUnread(Number(data.count) || 0);
        break;
      default:
        break;
    }
  });

  // ---------------------------------------------------------------------------------------------
  // API

  function open() {
    whenReady(function () {
      ensureFrame();
      if (isOpen) return;
      isOpen = true;
      panel.hidden = false;
      layoutPanel();
      launcher.setAttribute('aria-expanded', 'true');
      launcher.replaceChild(svg(CLOSE_ICON), launcher.firstChild);
      setUnread(0);
      post({ type: 'visibility', open: true });
      frame.focus();
      post({ type: 'focus' });
    });
  }

  function close() {
    whenReady(function () {
      if (!isOpen) return;
      isOpen = false;
      panel.hidden = true;
      layoutPanel();
      launcher.setAttribute('aria-expanded', 'false');
      launcher.replaceChild(launcherIcon(), launcher.firstChild);
      setUnread(0);
      post({ type: 'visibility', open: false });
      launcher.focus(); // back to where the keyboard user started
    });
  }

  function launcherIcon() {
    var icon = httpUrl(config.buttonIconUrl || '');
    if (config.displayStyle === 'tab' || !config.buttonIconUrl || !icon) return svg(CHAT_ICON);
    var img = document.createElement('img');
    img.src = icon;
    img.alt = '';
    css(img, { width: '100%', height: '100%', borderRadius: '50%', objectFit: 'cover', display: 'block' });
    return img;
  }

  function toggle() {
    if (isOpen) close();
    else open();
  }

  /** Signs a person in with a JWT made by the host's server (see docs/MESSENGER.md). */
  function login(jwt) {
    whenReady(function () {
      ensureFrame();
      post({ type: 'login', jwt: String(jwt) });
    });
  }

  function logout() {
    whenReady(function () {
      ensureFrame();
      post({ type: 'logout' });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Start: the config styles the launcher; without it (network) a default launcher still works.

  var readyCallbacks = [];
  var started = false;

  function whenReady(fn) {
    if (started) fn();
    else readyCallbacks.push(fn);
  }

  function start() {
    buildLauncher();
    started = true;
    readyCallbacks.splice(0).forEach(function (fn) { fn(); });
  }

  function domReady(fn) {
    if (document.body) fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  fetch(origin + '/web/' + encodeURIComponent(integrationId) + '/config', { credentials: 'omit' })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .catch(function () { return {}; })
    .then(function (data) {
      config = (data && data.integration) || {};
      domReady(start);
    });

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && isOpen) close();
  });

  if (narrow) {
    var relayout = function () { layoutPanel(); };
    if (narrow.addEventListener) narrow.addEventListener('change', relayout);
    else if (narrow.addListener) narrow.addListener(relayout);
  }

  window.ParleyMessenger = { open: open, close: close, toggle: toggle, login: login, logout: logout, version: 'parley-web-1' };
})();
