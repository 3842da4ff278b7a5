/*
 * The messenger app: /web/{integrationId} full page, or ?embedded=1 inside the iframe messenger.js
 * opens. Talks to Parley as docs/MESSENGER.md describes (HTTP under /web/{id}, one WebSocket).
 * Rendering and the socket mechanics are shared with the inbox in /assets/render.js.
 */
(function () {
  'use strict';

  const P = window.Parley;
  const R = P.render;

  const match = /^\/web\/([^/]+)/.exec(location.pathname);
  if (!match) {
    document.body.textContent = 'This address does not name a messenger.';
    return;
  }
  const integrationId = decodeURIComponent(match[1]);
  const base = '/web/' + encodeURIComponent(integrationId);
  const embedded = new URLSearchParams(location.search).get('embedded') === '1';
  const KEYS = { session: 'parley.' + integrationId + '.session', guid: 'parley.' + integrationId + '.guid' };
  const SDK_VERSION = 'parley-web-1';

  const $ = (id) => document.getElementById(id);
  const dom = {
    showList: $('show-list'), businessIcon: $('business-icon'), businessName: $('business-name'), close: $('close'),
    status: $('status'), listView: $('list-view'), conversationList: $('conversation-list'),
    newConversation: $('new-conversation'), thread: $('thread-view'), loadEarlier: $('load-earlier'),
    messages: $('messages'), empty: $('empty'), typing: $('typing'), typingText: $('typing-text'), replies: $('replies'),
    error: $('error'), form: $('composer-form'), attach: $('attach'), file: $('file'), composer: $('composer'), send: $('send')
  };

  const state = {
    config: {},
    businessName: 'Messenger',
    session: null,
    user: null,
    conversations: [],
    conversation: null,
    lastSeq: 0, // highest event seq seen for the open conversation: the `after` of every subscribe
    historyReady: false, // the first history page is in, so lastSeq is a valid cursor
    hasMore: false,
    loadingEarlier: false,
    openToken: 0, // bumps whenever another conversation opens, so late answers for the old one are dropped
    creating: null,
    stickToBottom: true,
    panelOpen: !embedded, // embedded: whether the host shows the panel (told by messenger.js)
    hostOrigin: null,
    hostInfo: null,
    pendingRead: false,
    unread: 0,
    lastAuthError: 0,
    recoveryQueued: false,
    replaying: false
  };

  let socket = null;
  const list = new P.MessageList(dom.messages, (message) => R.renderMessage(message, renderContext()));

  // -------------------------------------------------------------------------------------------
  // Storage: localStorage may be unavailable (blocked third-party storage); memory then.

  const memory = {};
  const storage = {
    get(key) {
      try { return localStorage.getItem(key); } catch (e) { return memory[key] || null; }
    },
    set(key, value) {
      try { localStorage.setItem(key, value); } catch (e) { memory[key] = value; }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch (e) { delete memory[key]; }
    }
  };

  function deviceGuid() {
    let guid = storage.get(KEYS.guid);
    if (!guid || !/^[0-9a-f]{32}$/.test(guid)) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      guid = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      storage.set(KEYS.guid, guid);
    }
    return guid;
  }

  /** device.info: the host page's address when embedded (messenger.js tells it), else this page's. */
  function deviceInfo() {
    const host = state.hostInfo || {};
    return {
      currentUrl: host.url || (embedded ? document.referrer : location.href) || location.href,
      currentTitle: host.title || document.title,
      browserLanguage: navigator.language,
      referrer: host.referrer !== undefined ? host.referrer : document.referrer,
      userAgent: navigator.userAgent,
      sdkVersion: SDK_VERSION
    };
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  async function request(method, path, body, token) {
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(base + path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!response.ok) {
      const error = new Error(P.errorTitle(data, response.status));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  /** An authenticated call. A 401 means the session is gone: start a fresh one, then report failure. */
  async function call(method, path, body) {
    const token = state.session;
    try {
      return await request(method, path, body, token);
    } catch (error) {
      if (error.status === 401) {
        sessionRefused(token);
        error.message = 'Your session ended. Please try again.';
      }
      throw error;
    }
  }

  const conversationPath = (suffix) => '/conversations/' + encodeURIComponent(state.conversation.id) + suffix;

  // Session changes (start, login, logout, recovery) run one after another.
  let chain = Promise.resolve();
  function enqueue(task) {
    chain = chain.then(task).catch((error) => showError(error.message || String(error)));
    return chain;
  }

  /** Retries a start-up step on network errors (backoff 1 s → 8 s); a 4xx is final. */
  async function retrying(step) {
    let delay = 1000;
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (error.status && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) throw error;
        showError('Cannot reach the messenger. Retrying…');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 8000);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Config and theme

  async function loadConfig() {
    const data = await request('GET', '/config');
    const c = (data && data.integration) || {};
    state.config = c;
    const brand = P.hexColor(c.brandColor, '#65758e');
    const bubble = P.hexColor(c.conversationColor, '#0099ff');
    const action = P.hexColor(c.actionColor, '#0099ff');
    const root = document.documentElement.style;
    root.setProperty('--brand', brand);
    root.setProperty('--brand-text', P.textOn(brand));
    root.setProperty('--conversation', bubble);
    root.setProperty('--conversation-text', P.textOn(bubble));
    root.setProperty('--action', action);
    root.setProperty('--action-text', P.textOn(action));
    state.businessName = c.businessName || (data.app && data.app.displayName) || c.displayName || 'Messenger';
    dom.businessName.textContent = state.businessName;
    document.title = state.businessName;
    const icon = R.safeMedia(c.businessIconUrl);
    if (icon) {
      dom.businessIcon.src = icon;
      dom.businessIcon.hidden = false;
    }
    const background = R.safeMedia(c.backgroundImageUrl);
    if (background) dom.thread.style.backgroundImage = 'url(' + JSON.stringify(background) + ')';
    // prechatCapture is not supported: the messenger starts the conversation without a pre-chat
    // form, and fixedIntroPane has no intro pane to pin.
    updateListButtons();
  }

  // -------------------------------------------------------------------------------------------
  // Session

  async function startSession() {
    const stored = storage.get(KEYS.session);
    if (stored) {
      try {
        const data = await request('GET', '/session', undefined, stored);
        adoptSession(stored, data);
        return;
      } catch (error) {
        if (error.status !== 401) throw error;
      }
    }
    await createSession();
  }

  async function createSession(jwt) {
    const body = { device: { guid: deviceGuid(), info: deviceInfo() } };
    if (jwt) body.jwt = jwt;
    const data = await request('POST', '/sessions', body);
    storage.set(KEYS.session, data.session);
    adoptSession(data.session, data);
  }

  function adoptSession(token, data) {
    state.session = token;
    state.user = (data && data.user) || null;
  }

  /** After login, logout or a refused session: everything shown belonged to the old user. */
  async function resetForNewSession() {
    closeConversation();
    state.conversations = [];
    if (socket) socket.restart();
    await loadConversations();
  }

  async function login(jwt) {
    if (typeof jwt !== 'string' || !jwt) return;
    await createSession(jwt);
    await resetForNewSession();
  }

  async function logout() {
    storage.remove(KEYS.session);
    state.session = null;
    await createSession();
    await resetForNewSession();
  }

  /** A refusal of `token` queues one recovery; refusals of a session already replaced are old news. */
  function sessionRefused(token) {
    if (state.recoveryQueued) return;
    state.recoveryQueued = true;
    enqueue(async () => {
      state.recoveryQueued = false;
      if (token === state.session) await recoverSession();
    });
  }

  /** The session was refused (HTTP 401 or socket close 4401): check it, replace it if it is gone. */
  async function recoverSession() {
    // Refusals can come in bursts (every pending call); a few seconds between checks.
    const wait = state.lastAuthError + 5000 - Date.now();
    state.lastAuthError = Date.now() + Math.max(0, wait);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      await request('GET', '/session', undefined, state.session);
      if (socket) socket.restart(); // the session is fine: the socket's refusal was transient
      return;
    } catch (error) {
      if (error.status !== 401) throw error;
    }
    storage.remove(KEYS.session);
    await createSession();
    await resetForNewSession();
  }

  // -------------------------------------------------------------------------------------------
  // Conversations

  async function loadConversations() {
    const data = await call('GET', '/conversations');
    state.conversations = (data && data.conversations) || [];
    updateListButtons();
    if (state.conversations.length) await openConversation(state.conversations[0]);
    else {
      closeConversation();
      afterChange();
    }
  }

  function closeConversation() {
    state.openToken += 1;
    if (state.conversation && socket) socket.send({ type: 'unsubscribe', conversationId: state.conversation.id });
    state.conversation = null;
    state.lastSeq = 0;
    state.historyReady = false;
    state.hasMore = false;
    list.clear();
    hideTyping();
    stopTyping();
  }

  async function openConversation(conversation) {
    closeConversation();
    const token = state.openToken;
    state.conversation = conversation;
    showThread();
    afterChange();
    const page = await call('GET', conversationPath('/messages'));
    if (token !== state.openToken) return;
    (page.messages || []).forEach((message) => list.addAndLock(message));
    state.lastSeq = Math.max(state.lastSeq, page.seq || 0);
    state.hasMore = !!(page.meta && page.meta.hasMore);
    state.historyReady = true;
    subscribe();
    state.stickToBottom = true;
    afterChange();
    markRead();
  }

  /** The first message creates the conversation; concurrent sends share one creation. */
  function ensureConversation() {
    if (state.conversation) return Promise.resolve(state.conversation);
    if (!state.creating) {
      state.creating = call('POST', '/conversations', {})
        .then((data) => {
          const conversation = data.conversation;
          state.conversations.unshift(conversation);
          closeConversation();
          state.conversation = conversation;
          state.historyReady = true; // nothing to load: every event of it is after seq 0
          subscribe();
          updateListButtons();
          return conversation;
        })
        .finally(() => { state.creating = null; });
    }
    return state.creating;
  }

  async function newConversation() {
    try {
      const data = await call('POST', '/conversations', {});
      state.conversations.unshift(data.conversation);
      updateListButtons();
      await openConversation(data.conversation);
      dom.composer.focus();
    } catch (error) {
      showError(error.status === 403 ? 'You cannot start another conversation.' : error.message);
    }
  }

  async function loadEarlier() {
    const oldest = list.messages[0];
    if (state.loadingEarlier || !state.hasMore || !oldest || !state.conversation) return;
    state.loadingEarlier = true;
    dom.loadEarlier.disabled = true;
    const token = state.openToken;
    const before = dom.thread.scrollHeight - dom.thread.scrollTop;
    try {
      const page = await earlierPage(oldest);
      if (token !== state.openToken) return;
      (page.messages || []).forEach((message) => list.addAndLock(message));
      state.hasMore = !!(page.meta && page.meta.hasMore);
      dom.thread.scrollTop = dom.thread.scrollHeight - before; // keep the reader where they were
    } catch (error) {
      showError(error.message);
    } finally {
      state.loadingEarlier = false;
      dom.loadEarlier.disabled = false;
      afterChange({ keepScroll: true });
    }
  }

  /**
   * The page before the oldest message shown. The cursor is the message's id (what Parley's
   * MessengerService reads); MESSENGER.md names an ISO time, so a 400 retries with `received`.
   */
  async function earlierPage(oldest) {
    try {
      return await call('GET', conversationPath('/messages?before=' + encodeURIComponent(oldest.id)));
    } catch (error) {
      if (error.status !== 400) throw error;
      return call('GET', conversationPath('/messages?before=' + encodeURIComponent(oldest.received)));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Realtime

  function startSocket() {
    socket = new P.Realtime({
      url: P.Realtime.urlFor(base + '/socket'),
      authFrame: () => ({ type: 'auth', session: state.session }),
      onReady: subscribe,
      onFrame: handleFrame,
      onState: setStatus,
      onAuthError: () => sessionRefused(state.session)
    });
    setStatus(socket.state);
    socket.start();
  }

  /** (Re)subscribes the open conversation from the last seq seen: missed events replay, in order. */
  function subscribe() {
    if (!socket || !state.conversation || !state.historyReady) return;
    // Events before `subscribed` are a replay of what was missed: its typing is already stale.
    state.replaying = socket.send({ type: 'subscribe', conversationId: state.conversation.id, after: state.lastSeq });
  }

  function handleFrame(frame) {
    const open = state.conversation;
    if (frame.type === 'error') {
      console.warn('Parley socket:', frame.code, frame.title);
      return;
    }
    if (!open || frame.conversationId !== open.id) return;
    if (typeof frame.seq === 'number' && frame.seq > state.lastSeq) state.lastSeq = frame.seq;
    if (frame.type === 'subscribed') state.replaying = false;
    if (frame.type === 'event' && frame.event) handleEvent(frame.event);
  }

  function handleEvent(event) {
    const payload = event.payload || {};
    switch (event.type) {
      case 'conversation:message': {
        const message = payload.message;
        if (!message) return;
        const business = message.author && message.author.type === 'business';
        const nearBottom = state.stickToBottom;
        if (!list.addAndLock(message)) return;
        if (business) {
          hideTyping();
          markRead();
          if (!isVisible()) noteUnread();
        }
        afterChange({ scroll: nearBottom || !business });
        break;
      }
      case 'conversation:typing': {
        const activity = payload.activity || {};
        if (!activity.author || activity.author.type !== 'business') return;
        if (activity.type === 'typing:start' && !state.replaying) showTyping(activity.author);
        else hideTyping();
        break;
      }
      case 'conversation:read': {
        const activity = payload.activity || {};
        if (activity.author && activity.author.type === 'business') {
          state.conversation.businessLastRead = event.createdAt;
          renderSeen();
        }
        break;
      }
      case 'conversation:remove':
        enqueue(loadConversations);
        break;
      default:
        break; // delivery events and anything newer: nothing to show
    }
  }

  function setStatus(status) {
    dom.status.dataset.state = status;
    dom.status.textContent = status === 'open' ? 'Connected' : status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
    dom.status.hidden = status === 'open';
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  async function sendContent(content) {
    const conversation = await ensureConversation();
    const data = await call('POST', '/conversations/' + encodeURIComponent(conversation.id) + '/messages', { content });
    if (state.conversation && state.conversation.id === conversation.id) {
      ((data && data.messages) || []).forEach((message) => list.addAndLock(message));
      afterChange({ scroll: true });
    }
    return data;
  }

  async function sendText() {
    const text = dom.composer.value.trim();
    if (!text) return;
    dom.composer.value = '';
    resizeComposer();
    stopTyping();
    try {
      await sendContent({ type: 'text', text });
    } catch (error) {
      if (!dom.composer.value) dom.composer.value = text; // give the words back
      resizeComposer();
      showError('Not sent: ' + error.message);
    }
  }

  async function sendReply(action, button) {
    button.disabled = true;
    try {
      const content = { type: 'text', text: action.text };
      if (action.payload !== undefined) content.payload = action.payload;
      await sendContent(content);
      dom.composer.focus();
    } catch (error) {
      button.disabled = false;
      showError('Not sent: ' + error.message);
    }
  }

  async function handleAction(action, message, button) {
    if (action.type === 'reply') return sendReply(action, button);
    if (action.type !== 'postback' || !state.conversation) return;
    button.disabled = true;
    try {
      await call('POST', conversationPath('/postback'), {
        actionId: action.id || action._id, payload: action.payload, metadata: action.metadata
      });
    } catch (error) {
      showError(error.message);
    } finally {
      setTimeout(() => { button.disabled = false; }, 1000); // a short pause against double taps
    }
  }

  async function sendFormResponse(message, content) {
    try {
      await sendContent(content);
    } catch (error) {
      showError('Not sent: ' + error.message);
      throw error;
    }
  }

  async function upload(file) {
    dom.attach.disabled = true;
    try {
      await ensureConversation();
      const form = new FormData();
      form.append('source', file, file.name);
      const data = await call('POST', '/attachments', form);
      const attachment = (data && data.attachment) || {};
      const mediaType = attachment.mediaType || file.type || '';
      await sendContent({
        type: mediaType.indexOf('image/') === 0 ? 'image' : 'file',
        mediaUrl: attachment.mediaUrl,
        mediaType: mediaType || undefined,
        altText: file.name.slice(0, 128)
      });
    } catch (error) {
      showError('Not sent: ' + error.message);
    } finally {
      dom.attach.disabled = false;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Typing and read

  const typing = { active: false, startedAt: 0, idle: null, hide: null };

  function activity(type) {
    if (!state.conversation) return Promise.resolve();
    return call('POST', conversationPath('/activity'), { type }).catch(() => {});
  }

  function onComposerInput() {
    resizeComposer();
    // No conversation yet: there is nobody to tell (it starts with the first message).
    if (!state.conversation) return;
    if (!dom.composer.value.trim()) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - typing.startedAt >= 3000) {
      typing.startedAt = now;
      typing.active = true;
      activity('typing:start');
    }
    clearTimeout(typing.idle);
    typing.idle = setTimeout(stopTyping, 5000);
  }

  function stopTyping() {
    clearTimeout(typing.idle);
    if (!typing.active) return;
    typing.active = false;
    typing.startedAt = 0;
    activity('typing:stop');
  }

  function showTyping(author) {
    dom.typingText.textContent = (author.displayName || state.businessName) + ' is typing…';
    const stick = state.stickToBottom;
    dom.typing.hidden = false;
    if (stick) scrollToBottom();
    clearTimeout(typing.hide);
    typing.hide = setTimeout(hideTyping, 10000); // a lost typing:stop must not leave it up
  }

  function hideTyping() {
    clearTimeout(typing.hide);
    dom.typing.hidden = true;
  }

  function isVisible() {
    return document.visibilityState === 'visible' && state.panelOpen;
  }

  const postRead = P.debounce(() => activity('conversation:read'), 300);

  function markRead() {
    if (!state.conversation || !list.messages.length) return;
    if (!isVisible()) {
      state.pendingRead = true;
      return;
    }
    state.pendingRead = false;
    postRead();
  }

  function becameVisible() {
    if (!isVisible()) return;
    if (state.pendingRead) markRead();
    if (state.unread) {
      state.unread = 0;
      postParent({ type: 'unread', count: 0 });
    }
  }

  function noteUnread() {
    state.unread += 1;
    postParent({ type: 'unread', count: state.unread });
  }

  // -------------------------------------------------------------------------------------------
  // Rendering around the list

  function renderContext() {
    return {
      ownType: 'user',
      interactive: true,
      repliesAsChips: true,
      onAction: handleAction,
      onFormSubmit: sendFormResponse,
      formAnswer: (id) => list.formAnswer(id),
      businessName: state.businessName,
      businessIconUrl: state.config.businessIconUrl,
      userName: 'You'
    };
  }

  /** Everything that depends on the list as a whole: called after each change. */
  function afterChange(options) {
    const opts = options || {};
    dom.empty.hidden = list.messages.length > 0 || !!(state.conversation && !state.historyReady);
    dom.loadEarlier.hidden = !state.hasMore;
    renderReplies();
    renderSeen();
    applyBlockChatInput();
    if (opts.scroll || (!opts.keepScroll && state.stickToBottom)) scrollToBottom();
  }

  /** Quick replies: the reply actions of the last message, if it is the business's. */
  function renderReplies() {
    dom.replies.textContent = '';
    const last = list.last();
    const content = (last && last.content) || {};
    const replies = last && last.author && last.author.type === 'business' && Array.isArray(content.actions)
      ? content.actions.filter((action) => action && action.type === 'reply') : [];
    replies.forEach((action) => {
      const icon = R.safeMedia(action.iconUrl);
      const chip = R.el('button', { type: 'button', className: 'chip' }, [
        icon ? R.el('img', { src: icon, alt: '', className: 'chip__icon' }) : null, action.text || ''
      ]);
      chip.addEventListener('click', () => sendReply(action, chip));
      dom.replies.appendChild(chip);
    });
    dom.replies.hidden = replies.length === 0;
  }

  /** "Seen" under the user's last message when the business read past it. */
  function renderSeen() {
    dom.messages.querySelectorAll('.seen').forEach((node) => node.remove());
    const read = state.conversation && Date.parse(state.conversation.businessLastRead);
    if (!read) return;
    const mine = list.messages.filter((m) => m.author && m.author.type === 'user');
    const last = mine[mine.length - 1];
    if (!last || Date.parse(last.received) > read) return;
    const node = list.nodes.get(last.id);
    const meta = node && node.querySelector('.message__meta');
    if (meta) meta.appendChild(R.el('span', { className: 'seen', text: 'Seen' }));
  }

  /** blockChatInput on the newest message closes the composer until something newer arrives. */
  function applyBlockChatInput() {
    const last = list.last();
    const blocked = !!(last && last.content && last.content.blockChatInput === true);
    dom.composer.disabled = blocked;
    dom.send.disabled = blocked;
    dom.attach.disabled = blocked;
    dom.composer.placeholder = blocked ? 'Choose an option above' : 'Type a message…';
  }

  function scrollToBottom() {
    dom.thread.scrollTop = dom.thread.scrollHeight;
    state.stickToBottom = true;
  }

  function resizeComposer() {
    dom.composer.style.height = 'auto';
    const height = dom.composer.scrollHeight + 2; // + the borders (border-box)
    dom.composer.style.height = Math.min(height, 140) + 'px';
    dom.composer.style.overflowY = height > 140 ? 'auto' : 'hidden'; // a scrollbar only when it is needed
  }

  let errorTimer = null;
  function showError(text) {
    dom.error.textContent = text;
    dom.error.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => { dom.error.hidden = true; }, 6000);
  }

  function clearError() {
    clearTimeout(errorTimer);
    dom.error.hidden = true;
  }

  // -------------------------------------------------------------------------------------------
  // Conversation list view (canUserSeeConversationList / canUserCreateMoreConversations)

  function updateListButtons() {
    const c = state.config;
    const many = state.conversations.length > 1 || c.canUserCreateMoreConversations === true;
    dom.showList.hidden = !(c.canUserSeeConversationList !== false && many);
    dom.newConversation.hidden = c.canUserCreateMoreConversations !== true;
  }

  async function showListView() {
    dom.listView.hidden = false;
    dom.thread.hidden = true;
    dom.form.hidden = true;
    dom.replies.hidden = true;
    dom.showList.setAttribute('aria-expanded', 'true');
    dom.showList.setAttribute('aria-label', 'Back to the conversation');
    try {
      const data = await call('GET', '/conversations');
      state.conversations = (data && data.conversations) || [];
      updateListButtons();
    } catch (error) {
      showError(error.message);
    }
    renderConversationList();
    const first = dom.conversationList.querySelector('button') || dom.newConversation;
    if (first && !first.hidden) first.focus();
  }

  function renderConversationList() {
    dom.conversationList.textContent = '';
    const count = state.conversations.length;
    state.conversations.forEach((conversation, index) => {
      const current = state.conversation && state.conversation.id === conversation.id;
      const button = R.el('button', { type: 'button', className: 'conversation-row', 'aria-current': current ? 'true' : null }, [
        R.el('span', { className: 'conversation-row__name', text: conversation.displayName || 'Conversation ' + (count - index) }),
        R.el('span', { className: 'conversation-row__time', text: R.formatTime(conversation.lastUpdatedAt || conversation.createdAt) })
      ]);
      button.addEventListener('click', () => {
        showThread();
        if (!current) openConversation(conversation).catch((error) => showError(error.message));
        dom.composer.focus();
      });
      dom.conversationList.appendChild(R.el('li', null, button));
    });
  }

  function showThread() {
    dom.listView.hidden = true;
    dom.thread.hidden = false;
    dom.form.hidden = false;
    dom.showList.setAttribute('aria-expanded', 'false');
    dom.showList.setAttribute('aria-label', 'Your conversations');
    renderReplies();
  }

  // -------------------------------------------------------------------------------------------
  // Embedded in messenger.js's iframe

  /** Messages to the host page carry nothing secret (ready, close, unread count): any origin. */
  function postParent(message) {
    if (!embedded || window.parent === window) return;
    window.parent.postMessage(Object.assign({ parley: 'messenger' }, message), '*');
  }

  let hostReady = null;
  function setupEmbedded() {
    document.documentElement.classList.add('embedded');
    dom.close.hidden = false;
    dom.close.addEventListener('click', () => postParent({ type: 'close' }));
    let resolveHost;
    hostReady = new Promise((resolve) => { resolveHost = resolve; });
    window.addEventListener('message', (event) => {
      if (event.source !== window.parent) return;
      const data = event.data;
      if (!data || data.parley !== 'host') return;
      // The first message fixes the host's origin; later ones must come from the same page.
      if (state.hostOrigin && event.origin !== state.hostOrigin) return;
      state.hostOrigin = event.origin;
      switch (data.type) {
        case 'init':
          state.hostInfo = { url: String(data.url || ''), title: String(data.title || ''), referrer: String(data.referrer || '') };
          setPanelOpen(!!data.open);
          resolveHost();
          break;
        case 'visibility':
          setPanelOpen(!!data.open);
          break;
        case 'focus':
          (dom.composer.disabled ? dom.close : dom.composer).focus();
          break;
        case 'login':
          enqueue(() => login(data.jwt));
          break;
        case 'logout':
          enqueue(logout);
          break;
        default:
          break;
      }
    });
    postParent({ type: 'ready' });
    // Waits briefly for the host's page address (for device.info); starts without it otherwise.
    return Promise.race([hostReady, new Promise((resolve) => setTimeout(resolve, 1500))]);
  }

  function setPanelOpen(open) {
    state.panelOpen = open;
    if (open) {
      if (state.stickToBottom) scrollToBottom();
      becameVisible();
    }
  }

  // -------------------------------------------------------------------------------------------
  // UI wiring

  function bindUi() {
    dom.form.addEventListener('submit', (event) => {
      event.preventDefault();
      sendText();
    });
    dom.composer.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendText();
      }
    });
    dom.composer.addEventListener('input', onComposerInput);
    dom.attach.addEventListener('click', () => dom.file.click());
    dom.file.addEventListener('change', () => {
      const file = dom.file.files && dom.file.files[0];
      dom.file.value = '';
      if (file) upload(file);
    });
    dom.loadEarlier.addEventListener('click', loadEarlier);
    dom.showList.addEventListener('click', () => {
      if (dom.listView.hidden) showListView();
      else {
        showThread();
        dom.composer.focus();
      }
    });
    dom.newConversation.addEventListener('click', () => { showThread(); newConversation(); });
    dom.thread.addEventListener('scroll', () => {
      const t = dom.thread;
      state.stickToBottom = t.scrollHeight - t.scrollTop - t.clientHeight < 80;
    });
    // Images load after they are placed: keep the newest message in view if the reader was there.
    dom.thread.addEventListener('load', () => { if (state.stickToBottom) scrollToBottom(); }, true);
    document.addEventListener('visibilitychange', becameVisible);
    window.addEventListener('focus', becameVisible);
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (!dom.listView.hidden) {
        showThread();
        dom.composer.focus();
      } else if (embedded) {
        postParent({ type: 'close' });
      }
    });
    dom.composer.addEventListener('focus', clearError);
  }

  async function start() {
    bindUi();
    if (embedded) await setupEmbedded();
    try {
      await retrying(loadConfig);
      await retrying(startSession);
      startSocket();
      await retrying(loadConversations);
      clearError();
    } catch (error) {
      if (error.status === 401) return; // the session was refused: recoverSession (queued) starts over
      showError(error.status === 404 ? 'This messenger is not available.' : error.message);
      dom.composer.disabled = true;
      dom.send.disabled = true;
    }
  }

  enqueue(start);
})();
