/*
 * The agent inbox at /inbox: sign in with an app key (exchanged once for a session kept in
 * sessionStorage), a live conversation list, and a thread to answer in. Uses the v2 API with the
 * session as a Bearer token, /inbox/conversations for the list and /inbox/socket for realtime, as
 * docs/MESSENGER.md describes. Rendering and the socket mechanics live in /assets/render.js.
 */
(function () {
  'use strict';

  const P = window.Parley;
  const R = P.render;
  const SESSION_KEY = 'parley.inbox.session';
  const PAGE_SIZE = 25;

  const $ = (id) => document.getElementById(id);
  const dom = {
    signinView: $('signin-view'), signinForm: $('signin-form'), keyId: $('key-id'), keySecret: $('key-secret'),
    agentName: $('agent-name'), signIn: $('sign-in'), signinError: $('signin-error'),
    inboxView: $('inbox-view'), appName: $('app-name'), status: $('status'), agentLabel: $('agent-label'), signOut: $('sign-out'),
    search: $('search'), conversations: $('conversations'), listEmpty: $('list-empty'), more: $('more-conversations'),
    threadEmpty: $('thread-empty'), threadMain: $('thread-main'), threadTitle: $('thread-title'), threadChannel: $('thread-channel'),
    switchboard: $('switchboard'), switchboardState: $('switchboard-state'), switchboardActions: $('switchboard-actions'),
    scroll: $('thread-scroll'), loadEarlier: $('load-earlier'), messages: $('messages'), typing: $('typing'),
    typingText: $('typing-text'), error: $('error'), form: $('composer-form'), attach: $('attach'), file: $('file'),
    composer: $('composer'), send: $('send')
  };

  /** {session, app: {id, displayName}, expiresAt, agentName} while signed in. */
  let auth = null;
  let socket = null;
  let expiryTimer = null;

  const listState = { rows: [], loaded: PAGE_SIZE, hasMore: false, search: '', token: 0 };
  const switchboard = { board: null, integrations: [] };

  /**
   * The open thread. lastSeq: highest event seq seen (the `after` of a resubscription);
   * synced: history was read after the subscription took effect, so lastSeq is a valid cursor.
   */
  let thread = null;

  const list = new P.MessageList(dom.messages, (message) => R.renderMessage(message, renderContext()));

  // -------------------------------------------------------------------------------------------
  // HTTP

  async function api(method, path, body) {
    const headers = {};
    if (auth) headers.Authorization = 'Bearer ' + auth.session;
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!response.ok) {
      const error = new Error(P.errorTitle(data, response.status));
      error.status = response.status;
      if (response.status === 401 && auth) signOut('Your session ended. Please sign in again.');
      throw error;
    }
    return data;
  }

  const appPath = (suffix) => '/v2/apps/' + encodeURIComponent(auth.app.id) + suffix;
  const conversationPath = (id, suffix) => appPath('/conversations/' + encodeURIComponent(id) + (suffix || ''));

  // -------------------------------------------------------------------------------------------
  // Sign in and out

  function restoreSession() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
      if (saved && saved.session && saved.app && (!saved.expiresAt || Date.parse(saved.expiresAt) > Date.now())) return saved;
    } catch (e) { /* unreadable: sign in again */ }
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }

  async function signIn(event) {
    event.preventDefault();
    const keyId = dom.keyId.value.trim();
    let secret = dom.keySecret.value;
    dom.keySecret.value = ''; // the secret is used once, for the exchange, and kept nowhere
    dom.signinError.hidden = true;
    if (!keyId || !secret) {
      showSigninError('Enter the key id and its secret.');
      return;
    }
    dom.signIn.disabled = true;
    try {
      const data = await api('POST', '/inbox/sessions', { keyId, secret });
      secret = null;
      auth = {
        session: data.session, app: data.app || {}, expiresAt: data.expiresAt || null,
        agentName: dom.agentName.value.trim() || 'Agent'
      };
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(auth));
      enterInbox();
    } catch (error) {
      showSigninError(error.status === 401 || error.status === 403 ? 'That key id and secret were not accepted.' : error.message);
      dom.keySecret.focus();
    } finally {
      secret = null;
      dom.signIn.disabled = false;
    }
  }

  function showSigninError(text) {
    dom.signinError.textContent = text;
    dom.signinError.hidden = false;
  }

  function signOut(reason) {
    auth = null;
    sessionStorage.removeItem(SESSION_KEY);
    clearTimeout(expiryTimer);
    if (socket) socket.stop();
    socket = null;
    closeThread();
    listState.rows = [];
    dom.conversations.textContent = '';
    dom.inboxView.hidden = true;
    dom.signinView.hidden = false;
    if (reason) showSigninError(reason);
    else dom.signinError.hidden = true;
    dom.keyId.focus();
  }

  function enterInbox() {
    dom.signinView.hidden = true;
    dom.inboxView.hidden = false;
    dom.appName.textContent = auth.app.displayName || auth.app.id || '';
    dom.agentLabel.textContent = auth.agentName;
    document.title = (auth.app.displayName ? auth.app.displayName + ' · ' : '') + 'Parley inbox';
    if (auth.expiresAt) {
      const left = Date.parse(auth.expiresAt) - Date.now();
      // setTimeout cannot wait longer than ~24.8 days; sessions last 12 hours.
      if (left > 0 && left < 2147483647) expiryTimer = setTimeout(() => signOut('Your session expired. Please sign in again.'), left);
    }
    startSocket();
    refreshList();
    loadSwitchboard();
    dom.search.focus();
  }

  // -------------------------------------------------------------------------------------------
  // Realtime: app-wide notices for the list, the open conversation's events for the thread

  function startSocket() {
    socket = new P.Realtime({
      url: P.Realtime.urlFor('/inbox/socket'),
      authFrame: () => ({ type: 'auth', session: auth.session }),
      onReady: () => {
        socket.send({ type: 'subscribe', scope: 'app' });
        subscribeThread();
        refreshListSoon(); // notices missed while away
      },
      onFrame: handleFrame,
      onState: setStatus,
      onAuthError: () => signOut('Your session ended. Please sign in again.')
    });
    setStatus(socket.state);
    socket.start();
  }

  function setStatus(status) {
    dom.status.dataset.state = status;
    dom.status.textContent = status === 'open' ? 'Live' : status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  }

  function handleFrame(frame) {
    switch (frame.type) {
      case 'notice':
        // The open conversation's own subscription carries its events; the list still refreshes.
        refreshListSoon();
        break;
      case 'subscribed':
        if (thread && frame.conversationId === thread.id) onSubscribed(frame.seq);
        break;
      case 'event':
        if (thread && frame.conversationId === thread.id) {
          if (typeof frame.seq === 'number' && frame.seq > thread.lastSeq) thread.lastSeq = frame.seq;
          if (frame.event) handleEvent(frame.event);
        }
        break;
      case 'error':
        console.warn('Parley socket:', frame.code, frame.title);
        break;
      default:
        break;
    }
  }

  /**
   * Subscribes the open thread. Once synced, from lastSeq (the missed events replay); before that,
   * live only, and the history is (re)read when `subscribed` confirms, so nothing falls between.
   */
  function subscribeThread() {
    if (!thread || !socket) return false;
    if (thread.synced) {
      // Events before `subscribed` replay what was missed: their typing is already stale.
      thread.replaying = socket.send({ type: 'subscribe', conversationId: thread.id, after: thread.lastSeq });
      return thread.replaying;
    }
    const sent = socket.send({ type: 'subscribe', conversationId: thread.id });
    if (sent) {
      const current = thread;
      clearTimeout(current.syncTimer);
      // A server that never confirms still gets its history read.
      current.syncTimer = setTimeout(() => { if (thread === current && !current.synced) onSubscribed(0); }, 3000);
    }
    return sent;
  }

  function onSubscribed(seq) {
    const current = thread;
    clearTimeout(current.syncTimer);
    current.replaying = false;
    if (typeof seq === 'number' && seq > current.lastSeq) current.lastSeq = seq;
    if (current.synced) return;
    loadLatest(current).then(() => { if (thread === current) current.synced = true; }, (error) => showError(error.message));
  }

  function handleEvent(event) {
    const payload = event.payload || {};
    switch (event.type) {
      case 'conversation:message': {
        const message = payload.message;
        if (!message) return;
        const stick = thread.stickToBottom;
        if (!list.addAndLock(message)) return;
        if (message.author && message.author.type === 'user') {
          hideTyping();
          markRead();
        }
        afterChange(stick || (message.author && message.author.type === 'business'));
        break;
      }
      case 'conversation:typing': {
        const activity = payload.activity || {};
        if (!activity.author || activity.author.type !== 'user') return;
        if (activity.type === 'typing:start' && !thread.replaying) showTyping();
        else hideTyping();
        break;
      }
      case 'conversation:read': {
        const activity = payload.activity || {};
        if (activity.author && activity.author.type === 'user') {
          thread.userLastRead = Date.parse(event.createdAt) || Date.now();
          renderSeen();
        }
        break;
      }
      case 'conversation:remove':
        closeThread();
        refreshListSoon();
        break;
      default:
        if (/^switchboard:/.test(event.type)) loadConversationDetails(thread);
        break;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Conversation list

  const refreshListSoon = P.debounce(() => refreshList(), 300);

  /** Reads again every page shown so far (newest activity first) and redraws the list. */
  async function refreshList() {
    if (!auth) return;
    const token = ++listState.token;
    const rows = [];
    let hasMore = false;
    try {
      for (let offset = 0; offset < listState.loaded; offset += PAGE_SIZE) {
        const query = '?search=' + encodeURIComponent(listState.search) + '&offset=' + offset;
        const data = await api('GET', '/inbox/conversations' + query);
        (data.conversations || []).forEach((row) => rows.push(row));
        hasMore = !!(data.meta && data.meta.hasMore);
        if (!hasMore) break;
      }
    } catch (error) {
      if (auth) showError('Could not load the conversations: ' + error.message);
      return;
    }
    if (token !== listState.token) return; // a newer refresh is on its way
    listState.rows = rows;
    listState.hasMore = hasMore;
    renderList();
  }

  function userName(user) {
    const u = user || {};
    const profile = u.profile || {};
    const name = [profile.givenName, profile.surname].filter(Boolean).join(' ');
    return name || u.externalId || u.id || 'Unknown user';
  }

  function renderList() {
    const focusedId = document.activeElement && document.activeElement.classList.contains('conversation')
      ? document.activeElement.dataset.conversationId : null;
    dom.conversations.textContent = '';
    listState.rows.forEach((row) => dom.conversations.appendChild(R.el('li', null, renderRow(row))));
    dom.listEmpty.hidden = listState.rows.length > 0;
    dom.more.hidden = !listState.hasMore;
    if (focusedId) {
      const again = rowButton(focusedId);
      if (again) again.focus(); // a refresh must not throw a keyboard user out of the list
    }
  }

  function renderRow(row) {
    const conversation = row.conversation || {};
    const open = thread && thread.id === conversation.id;
    // The open thread is being read (markRead follows each of its user messages), but the list
    // refresh a new message causes can race that read and count the message: no badge on it.
    const unread = open && document.visibilityState === 'visible' ? 0 : row.unreadCount || 0;
    const button = R.el('button', {
      type: 'button', className: 'conversation' + (unread ? ' conversation--unread' : ''),
      dataset: { conversationId: conversation.id }, 'aria-current': open ? 'true' : null
    }, [
      R.el('span', { className: 'conversation__top' }, [
        R.el('span', { className: 'conversation__name', text: userName(row.user) }),
        R.el('span', { className: 'badge', text: row.channel || 'api' }),
        R.el('time', { className: 'conversation__time', datetime: row.lastActivityAt, text: R.relativeTime(row.lastActivityAt) })
      ]),
      R.el('span', { className: 'conversation__bottom' }, [
        R.el('span', { className: 'conversation__preview', text: row.lastMessage ? previewLine(row.lastMessage) : 'No messages yet' }),
        unread ? R.el('span', { className: 'unread', text: String(unread), 'aria-label': unread + ' unread' }) : null
      ])
    ]);
    button.addEventListener('click', () => openThread(row));
    return button;
  }

  function previewLine(message) {
    const who = message.author && message.author.type === 'business' ? 'You: ' : '';
    return who + R.preview(message).replace(/\s+/g, ' ');
  }

  function rowButton(id) {
    return Array.prototype.find.call(dom.conversations.querySelectorAll('.conversation'), (b) => b.dataset.conversationId === id) || null;
  }

  /** Arrow keys, Home and End move between rows (Tab still walks them one by one). */
  function onListKey(event) {
    const rows = Array.prototype.slice.call(dom.conversations.querySelectorAll('.conversation'));
    const index = rows.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === 'ArrowDown') next = rows[index + 1];
    else if (event.key === 'ArrowUp') next = rows[index - 1];
    else if (event.key === 'Home') next = rows[0];
    else if (event.key === 'End') next = rows[rows.length - 1];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  // -------------------------------------------------------------------------------------------
  // The thread

  function closeThread() {
    if (thread) {
      clearTimeout(thread.syncTimer);
      if (socket) socket.send({ type: 'unsubscribe', conversationId: thread.id });
    }
    stopTyping();
    hideTyping();
    thread = null;
    list.clear();
    dom.threadMain.hidden = true;
    dom.threadEmpty.hidden = false;
  }

  function openThread(row) {
    const conversation = row.conversation || {};
    if (thread && thread.id === conversation.id) {
      dom.composer.focus();
      return;
    }
    closeThread();
    thread = {
      id: conversation.id, user: row.user, channel: row.channel, lastSeq: 0, synced: false, syncTimer: null,
      hasMore: false, before: null, prevLink: null, pagedBack: false, userLastRead: 0, stickToBottom: true, details: null,
      replaying: false
    };
    dom.threadEmpty.hidden = true;
    dom.threadMain.hidden = false;
    dom.threadTitle.textContent = userName(row.user);
    dom.threadChannel.textContent = row.channel || 'api';
    dom.switchboard.hidden = true;
    renderList(); // aria-current moves to this row, and its unread badge goes: it is being read
    afterChange(true);
    // Subscribe first, then read the history when the subscription is confirmed; with no socket,
    // read it now (it is read again after the subscription once the socket is back).
    if (!subscribeThread()) loadLatest(thread).catch((error) => showError(error.message));
    loadConversationDetails(thread);
    markRead();
    dom.composer.focus();
  }

  /** The newest page of messages, merged into what is shown (ids de-duplicate). */
  async function loadLatest(current) {
    const data = await api('GET', conversationPath(current.id, '/messages'));
    if (thread !== current) return;
    (data.messages || []).forEach((message) => list.addAndLock(message));
    if (!current.pagedBack) setCursor(current, data);
    afterChange(true);
  }

  function setCursor(current, data) {
    current.hasMore = !!(data.meta && data.meta.hasMore);
    current.before = (data.meta && data.meta.beforeCursor) || null;
    current.prevLink = (data.links && data.links.prev) || null;
  }

  /** ListMessages pages backwards: follow links.prev (its path, on this origin) or page[before]. */
  async function loadEarlier() {
    const current = thread;
    if (!current || !current.hasMore || dom.loadEarlier.disabled) return;
    let path = null;
    if (current.prevLink) {
      try {
        const url = new URL(current.prevLink, location.href);
        path = url.pathname + url.search;
      } catch (e) { path = null; }
    }
    if (!path && current.before) path = conversationPath(current.id, '/messages?page[before]=' + encodeURIComponent(current.before));
    if (!path) return;
    dom.loadEarlier.disabled = true;
    const fromBottom = dom.scroll.scrollHeight - dom.scroll.scrollTop;
    try {
      const data = await api('GET', path);
      if (thread !== current) return;
      (data.messages || []).forEach((message) => list.addAndLock(message));
      current.pagedBack = true;
      setCursor(current, data);
      dom.scroll.scrollTop = dom.scroll.scrollHeight - fromBottom;
    } catch (error) {
      showError(error.message);
    } finally {
      dom.loadEarlier.disabled = false;
      afterChange(false);
    }
  }

  function afterChange(scroll) {
    if (!thread) return;
    dom.loadEarlier.hidden = !thread.hasMore;
    renderSeen();
    if (scroll || thread.stickToBottom) scrollToBottom();
  }

  function scrollToBottom() {
    dom.scroll.scrollTop = dom.scroll.scrollHeight;
    if (thread) thread.stickToBottom = true;
  }

  /** "Seen" under the agents' last message once the user read it. */
  function renderSeen() {
    dom.messages.querySelectorAll('.seen').forEach((node) => node.remove());
    if (!thread || !thread.userLastRead) return;
    const ours = list.messages.filter((m) => m.author && m.author.type === 'business');
    const last = ours[ours.length - 1];
    if (!last || (Date.parse(last.received) || 0) > thread.userLastRead) return;
    const meta = list.nodes.get(last.id) && list.nodes.get(last.id).querySelector('.message__meta');
    if (meta) meta.appendChild(R.el('span', { className: 'seen', text: 'Seen' }));
  }

  function renderContext() {
    return {
      ownType: 'business',
      interactive: false, // the user's buttons and forms are shown, not pressed, by the agent
      repliesAsChips: false,
      formAnswer: (id) => list.formAnswer(id),
      businessName: auth ? auth.app.displayName || 'Business' : 'Business',
      userName: thread ? userName(thread.user) : 'User'
    };
  }

  // -------------------------------------------------------------------------------------------
  // Switchboard

  async function loadSwitchboard() {
    try {
      const data = await api('GET', appPath('/switchboards'));
      switchboard.board = (data.switchboards || [])[0] || null;
      if (!switchboard.board) return;
      const integrations = await api('GET', appPath('/switchboards/' + encodeURIComponent(switchboard.board.id) + '/switchboardIntegrations'));
      switchboard.integrations = integrations.switchboardIntegrations || [];
      if (thread) loadConversationDetails(thread);
    } catch (error) {
      switchboard.board = null; // no switchboard (or not allowed to see it): nothing to show
    }
  }

  async function loadConversationDetails(current) {
    if (!current || !switchboard.board) return;
    try {
      const data = await api('GET', conversationPath(current.id));
      if (thread !== current) return;
      current.details = data.conversation || {};
      renderSwitchboard(current);
    } catch (error) {
      showError(error.message);
    }
  }

  function renderSwitchboard(current) {
    const conversation = current.details || {};
    const active = conversation.activeSwitchboardIntegration;
    const pending = conversation.pendingSwitchboardIntegration;
    const label = (si) => (si && (si.name || si.integrationType)) || 'nobody';
    dom.switchboardState.textContent = 'In control: ' + label(active) + (pending ? ' · offered to ' + label(pending) : '');
    dom.switchboardActions.textContent = '';
    switchboard.integrations
      .filter((si) => !active || si.id !== active.id)
      .forEach((si) => {
        const button = R.el('button', { type: 'button', className: 'button button--small', text: 'Pass to ' + si.name });
        button.addEventListener('click', () => control(current, 'passControl', { switchboardIntegration: si.name }, button));
        dom.switchboardActions.appendChild(button);
      });
    const accept = R.el('button', {
      type: 'button', className: 'button button--small', text: 'Accept',
      title: pending ? 'Accept the control offered to ' + label(pending) : 'No offer of control is pending'
    });
    accept.disabled = !pending;
    accept.addEventListener('click', () => control(current, 'acceptControl', {}, accept));
    dom.switchboardActions.appendChild(accept);
    dom.switchboard.hidden = false;
  }

  async function control(current, operation, body, button) {
    button.disabled = true;
    try {
      await api('POST', conversationPath(current.id, '/' + operation), body);
      await loadConversationDetails(current);
    } catch (error) {
      showError(error.message);
      button.disabled = false;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Composing

  function author() {
    return { type: 'business', subtypes: ['agent'], displayName: auth.agentName };
  }

  async function postContent(content) {
    const current = thread;
    const data = await api('POST', conversationPath(current.id, '/messages'), { author: author(), content });
    if (thread === current) {
      ((data && data.messages) || []).forEach((message) => list.addAndLock(message));
      afterChange(true);
    }
  }

  async function sendText() {
    const text = dom.composer.value.trim();
    if (!text || !thread) return;
    dom.composer.value = '';
    stopTyping();
    try {
      await postContent({ type: 'text', text });
    } catch (error) {
      if (!dom.composer.value) dom.composer.value = text;
      showError('Not sent: ' + error.message);
    }
  }

  async function upload(file) {
    const current = thread;
    if (!current) return;
    dom.attach.disabled = true;
    try {
      const form = new FormData();
      form.append('source', file, file.name);
      const query = '?access=public&for=message&conversationId=' + encodeURIComponent(current.id);
      const data = await api('POST', appPath('/attachments' + query), form);
      const attachment = (data && data.attachment) || {};
      const mediaType = attachment.mediaType || file.type || '';
      await postContent({
        type: mediaType.indexOf('image/') === 0 ? 'image' : 'file', mediaUrl: attachment.mediaUrl, altText: file.name.slice(0, 128)
      });
    } catch (error) {
      showError('Not sent: ' + error.message);
    } finally {
      dom.attach.disabled = false;
    }
  }

  // Typing: typing:start at most every 3 s while typing, typing:stop after 5 s idle or on send.
  const typing = { active: false, startedAt: 0, idle: null, hide: null, conversationId: null };

  function activity(conversationId, type) {
    return api('POST', conversationPath(conversationId, '/activity'), { author: { type: 'business' }, type }).catch(() => {});
  }

  function onComposerInput() {
    if (!thread) return;
    if (!dom.composer.value.trim()) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - typing.startedAt >= 3000 || typing.conversationId !== thread.id) {
      typing.startedAt = now;
      typing.active = true;
      typing.conversationId = thread.id;
      activity(thread.id, 'typing:start');
    }
    clearTimeout(typing.idle);
    typing.idle = setTimeout(stopTyping, 5000);
  }

  function stopTyping() {
    clearTimeout(typing.idle);
    if (!typing.active || !auth) return;
    typing.active = false;
    typing.startedAt = 0;
    activity(typing.conversationId, 'typing:stop');
  }

  function showTyping() {
    dom.typingText.textContent = (thread ? userName(thread.user) : 'The user') + ' is typing…';
    const stick = thread && thread.stickToBottom;
    dom.typing.hidden = false;
    if (stick) scrollToBottom();
    clearTimeout(typing.hide);
    typing.hide = setTimeout(hideTyping, 10000);
  }

  function hideTyping() {
    clearTimeout(typing.hide);
    dom.typing.hidden = true;
  }

  // Read: when a thread opens, and when a user message arrives while it is open and visible.
  // A business's read is stored but is no event (conversation:read is a user's), so no notice
  // follows it: the list is read again once it is stored, or a refresh that raced it (the one a new
  // message causes) would keep counting the message as unread.
  const postRead = P.debounce((conversationId) => {
    if (!auth) return;
    activity(conversationId, 'conversation:read').then(refreshListSoon);
    const row = listState.rows.find((r) => r.conversation && r.conversation.id === conversationId);
    if (row && row.unreadCount) {
      row.unreadCount = 0;
      renderList();
    }
  }, 300);

  let readPending = false;
  function markRead() {
    if (!thread) return;
    if (document.visibilityState !== 'visible') {
      readPending = true;
      return;
    }
    readPending = false;
    postRead(thread.id);
  }

  // -------------------------------------------------------------------------------------------
  // Errors and wiring

  let errorTimer = null;
  function showError(text) {
    dom.error.textContent = text;
    dom.error.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => { dom.error.hidden = true; }, 6000);
  }

  function bindUi() {
    dom.signinForm.addEventListener('submit', signIn);
    dom.signOut.addEventListener('click', () => signOut());
    dom.search.addEventListener('input', P.debounce(() => {
      listState.search = dom.search.value.trim();
      listState.loaded = PAGE_SIZE;
      refreshList();
    }, 300));
    dom.more.addEventListener('click', () => {
      listState.loaded += PAGE_SIZE;
      refreshList();
    });
    dom.conversations.addEventListener('keydown', onListKey);
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
    dom.scroll.addEventListener('scroll', () => {
      if (!thread) return;
      const s = dom.scroll;
      thread.stickToBottom = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
    });
    dom.scroll.addEventListener('load', () => { if (thread && thread.stickToBottom) scrollToBottom(); }, true);
    document.addEventListener('visibilitychange', () => { if (readPending) markRead(); });
    // Relative times age.
    setInterval(() => { if (auth && listState.rows.length) renderList(); }, 60000);
  }

  bindUi();
  auth = restoreSession();
  if (auth) enterInbox();
  else dom.keyId.focus();
})();
