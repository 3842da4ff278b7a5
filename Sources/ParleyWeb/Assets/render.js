/*
 * Parley's shared browser code, loaded by the messenger (/web/{id}) and the agent inbox (/inbox):
 *   - Parley.render: how a message looks (both pages show every content type the same way), built
 *     with createElement/createTextNode only. Text goes through a small markdown renderer, htmlText
 *     through DOMParser and a whitelist copy: nothing a message carries ever reaches innerHTML.
 *   - Parley.Realtime: the WebSocket of docs/MESSENGER.md (auth, heartbeat, reconnect with backoff).
 * No dependencies, no build step.
 */
(function () {
  'use strict';

  var Parley = (window.Parley = window.Parley || {});

  // ---------------------------------------------------------------------------------------------
  // DOM helpers

  /** el('a', {className: 'x', text: 'hi', href: '…', dataset: {id: 1}}, [children]) */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
        else if (key === 'on') Object.keys(value).forEach(function (k) { node.addEventListener(k, value[k]); });
        else if (value === true) node.setAttribute(key, '');
        else node.setAttribute(key, String(value));
      });
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === undefined || children === null) return node;
    (Array.isArray(children) ? children : [children]).forEach(function (child) {
      if (child === undefined || child === null || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  // ---------------------------------------------------------------------------------------------
  // URLs: a message may carry any string where a URL belongs, so every href/src is checked here.

  /** An absolute http(s)/mailto URL for a link, or null. */
  function safeHref(value) {
    if (typeof value !== 'string' || !value) return null;
    try {
      var url = new URL(value.trim());
      return ['http:', 'https:', 'mailto:'].indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** An http(s) URL for an image or a download; relative ones are Parley's own (attachments). */
  function safeMedia(value) {
    if (typeof value !== 'string' || !value) return null;
    try {
      var url = new URL(value.trim(), location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function externalLink(href, children, className) {
    return el('a', { href: href, target: '_blank', rel: 'noopener noreferrer', className: className }, children);
  }

  // ---------------------------------------------------------------------------------------------
  // Markdown subset: **bold**, *italic* / _italic_, `code`, [text](url), autolinks, line breaks,
  // "- " / "* " bullet lists. Anything else stays literal text.

  var WORD_CHAR = /[A-Za-z0-9]/;
  var INLINE_RULES = [
    { re: /^`([^`\n]+)`/, make: function (m) { return el('code', { text: m[1] }); } },
    { re: /^\*\*(?=\S)([\s\S]*?\S)\*\*/, make: function (m) { return el('strong', null, inline(m[1])); } },
    { re: /^\*(?=[^\s*])([^*\n]*?[^\s*])\*/, make: function (m) { return el('em', null, inline(m[1])); } },
    {
      re: /^_(?=[^\s_])([^_\n]*?[^\s_])_(?![A-Za-z0-9])/,
      wordStart: true, // snake_case_words are not italics
      make: function (m) { return el('em', null, inline(m[1])); }
    },
    {
      re: /^\[([^\]\n]+)\]\(([^)\s]+)\)/,
      make: function (m) {
        var href = safeHref(m[2]);
        return href ? externalLink(href, inline(m[1])) : null; // an unsafe target stays text
      }
    },
    {
      re: /^(?:https?:\/\/|mailto:)[^\s<>]+/,
      wordStart: true,
      make: function (m) {
        // Trailing punctuation belongs to the sentence, not the URL.
        var raw = m[0].replace(/[.,:;!?'")\]]+$/, '');
        var href = safeHref(raw);
        if (!href) return null;
        return { node: externalLink(href, raw), length: raw.length };
      }
    }
  ];

  /** Inline markdown → array of nodes. */
  function inline(text) {
    var nodes = [];
    var plain = '';
    var i = 0;
    function flush() {
      if (plain) nodes.push(document.createTextNode(plain));
      plain = '';
    }
    outer: while (i < text.length) {
      var rest = text.slice(i);
      for (var r = 0; r < INLINE_RULES.length; r++) {
        var rule = INLINE_RULES[r];
        if (rule.wordStart && i > 0 && WORD_CHAR.test(text[i - 1])) continue;
        var m = rule.re.exec(rest);
        if (!m) continue;
        var made = rule.make(m);
        if (!made) continue;
        flush();
        if (made.node) {
          nodes.push(made.node);
          i += made.length;
        } else {
          nodes.push(made);
          i += m[0].length;
        }
        continue outer;
      }
      plain += text[i];
      i += 1;
    }
    flush();
    return nodes;
  }

  /** Markdown text → a DocumentFragment. */
  function markdown(text) {
    var fragment = document.createDocumentFragment();
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    var list = null;
    var needBreak = false;
    lines.forEach(function (line) {
      var bullet = /^\s*[-*]\s+(.*)$/.exec(line);
      if (bullet) {
        if (!list) {
          list = el('ul');
          fragment.appendChild(list);
        }
        list.appendChild(el('li', null, inline(bullet[1])));
        needBreak = false;
        return;
      }
      list = null;
      if (needBreak) fragment.appendChild(el('br'));
      append(fragment, inline(line));
      needBreak = true;
    });
    return fragment;
  }

  // ---------------------------------------------------------------------------------------------
  // htmlText (what markdownText becomes on the server): parsed in an inert document, then only
  // whitelisted elements are re-created; everything else is unwrapped to its text.

  var HTML_TAGS = {
    B: 'strong', STRONG: 'strong', I: 'em', EM: 'em', U: 'u', S: 's', DEL: 'del', CODE: 'code', PRE: 'pre',
    P: 'p', BR: 'br', UL: 'ul', OL: 'ol', LI: 'li', BLOCKQUOTE: 'blockquote', A: 'a',
    H1: 'strong', H2: 'strong', H3: 'strong', H4: 'strong', H5: 'strong', H6: 'strong'
  };
  var HTML_DROPPED = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, NOSCRIPT: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TITLE: 1, SVG: 1, MATH: 1 };

  function sanitizedHtml(html) {
    var doc = new DOMParser().parseFromString(String(html), 'text/html');
    var fragment = document.createDocumentFragment();
    copyAllowed(doc.body, fragment);
    return fragment;
  }

  function copyAllowed(from, into) {
    Array.prototype.forEach.call(from.childNodes, function (child) {
      if (child.nodeType === 3) {
        into.appendChild(document.createTextNode(child.nodeValue));
        return;
      }
      if (child.nodeType !== 1) return;
      var tag = child.tagName.toUpperCase();
      if (HTML_DROPPED[tag]) return;
      var name = HTML_TAGS[tag];
      var href = name === 'a' ? safeHref(child.getAttribute('href')) : null;
      if (!name || (name === 'a' && !href)) {
        copyAllowed(child, into);
        return;
      }
      var copy = name === 'a' ? externalLink(href) : document.createElement(name);
      copyAllowed(child, copy);
      into.appendChild(copy);
    });
  }

  /** A content's text as nodes: htmlText when the server made one, else `text` as markdown. */
  function richText(content) {
    if (typeof content.htmlText === 'string' && content.htmlText) return sanitizedHtml(content.htmlText);
    if (typeof content.text === 'string' && content.text) return markdown(content.text);
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Times

  function parseTime(iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? null : new Date(t);
  }

  /** "14:05" today, "3 Mar 14:05" otherwise. */
  function formatTime(iso) {
    var date = parseTime(iso);
    if (!date) return '';
    var time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (date.toDateString() === new Date().toDateString()) return time;
    return date.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' + time;
  }

  /** "now", "5m", "3h", "2d", then a date. */
  function relativeTime(iso, now) {
    var date = parseTime(iso);
    if (!date) return '';
    var seconds = Math.max(0, ((now || Date.now()) - date.getTime()) / 1000);
    if (seconds < 60) return 'now';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm';
    if (seconds < 86400) return Math.floor(seconds / 3600) + 'h';
    if (seconds < 7 * 86400) return Math.floor(seconds / 86400) + 'd';
    return date.toLocaleDateString([], { day: 'numeric', month: 'short' });
  }

  // ---------------------------------------------------------------------------------------------
  // Content

  /** One line a list or a notification can show for a message. */
  function preview(message) {
    var content = (message && message.content) || {};
    switch (content.type) {
      case 'text': return content.text || '';
      case 'image': return content.text || 'Image' + (content.altText ? ': ' + content.altText : '');
      case 'file': return content.text || 'File: ' + (content.altText || 'attachment');
      case 'location': return 'Location: ' + ((content.location && (content.location.name || content.location.address)) || 'shared');
      case 'carousel': case 'list': return (content.items && content.items[0] && content.items[0].title) || 'Cards';
      case 'form': return 'Form' + (content.text ? ': ' + content.text : '');
      case 'formResponse': return content.textFallback || 'Form answered';
      default: return content.text || 'Message';
    }
  }

  function fileName(url) {
    try {
      var path = new URL(url, location.href).pathname;
      return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || 'file';
    } catch (e) {
      return 'file';
    }
  }

  /**
   * An action as a control. ctx.interactive false (the inbox showing a user's view) renders
   * postbacks and replies as disabled buttons: the agent cannot press the user's buttons.
   */
  function renderAction(action, message, ctx) {
    var text = action.text || action.uri || action.type;
    switch (action.type) {
      case 'link':
      case 'webview': {
        var href = safeHref(action.uri) || safeHref(action.fallback);
        if (!href) return el('button', { type: 'button', className: 'action', disabled: true, text: text });
        return externalLink(href, text, 'action action--link');
      }
      case 'postback':
      case 'reply': {
        var button = el('button', { type: 'button', className: 'action', text: text });
        if (!ctx.interactive || !ctx.onAction) button.disabled = true;
        else button.addEventListener('click', function () { ctx.onAction(action, message, button); });
        return button;
      }
      case 'buy': {
        var price = typeof action.amount === 'number'
          ? ' · ' + (action.amount / 100).toFixed(2) + ' ' + String(action.currency || '').toUpperCase() : '';
        return el('button', {
          type: 'button', className: 'action', disabled: true, text: text + price,
          title: 'Payments are not available in this messenger'
        });
      }
      case 'locationRequest':
      case 'share':
      default:
        return el('button', {
          type: 'button', className: 'action', disabled: true, text: text,
          title: 'This action is not available in this messenger'
        });
    }
  }

  /** Actions of a bubble; replies are left out when the page shows them as quick-reply chips. */
  function renderActions(actions, message, ctx) {
    if (!Array.isArray(actions) || !actions.length) return null;
    var shown = actions.filter(function (a) { return a && (a.type !== 'reply' || !ctx.repliesAsChips); });
    if (!shown.length) return null;
    return el('div', { className: 'actions' }, shown.map(function (a) { return renderAction(a, message, ctx); }));
  }

  // Icons are drawn, not emoji: not every system has an emoji font.
  var ICONS = {
    clip: { stroke: 'M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.5 3.5 0 0 1 5 5l-8.6 8.6a2 2 0 0 1-2.8-2.8l7.9-7.9' },
    pin: { fill: 'M12 2a7 7 0 0 0-7 7c0 5.3 7 13 7 13s7-7.7 7-13a7 7 0 0 0-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z' }
  };

  function icon(shape, className) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', className);
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', shape.fill || shape.stroke);
    if (shape.fill) path.setAttribute('fill', 'currentColor');
    else {
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '2');
      path.setAttribute('stroke-linecap', 'round');
      path.setAttribute('stroke-linejoin', 'round');
    }
    svg.appendChild(path);
    return svg;
  }

  function bubble(children, extraClass) {
    return el('div', { className: 'bubble' + (extraClass ? ' ' + extraClass : '') }, children);
  }

  function renderImage(content) {
    var src = safeMedia(content.mediaUrl);
    var parts = [];
    if (src) {
      var img = el('img', { src: src, alt: content.altText || 'Image', loading: 'lazy' });
      parts.push(externalLink(src, img, 'media'));
    }
    var text = richText(content);
    if (text) parts.push(el('div', { className: 'media__caption' }, text));
    return bubble(parts, 'bubble--media');
  }

  function renderFile(content) {
    var href = safeMedia(content.mediaUrl);
    var name = content.altText || (content.mediaUrl ? fileName(content.mediaUrl) : 'file');
    var label = [icon(ICONS.clip, 'file__icon'), el('span', { text: name })];
    var parts = [href ? externalLink(href, label, 'file') : el('span', { className: 'file' }, label)];
    var text = richText(content);
    if (text) parts.push(el('div', { className: 'media__caption' }, text));
    return bubble(parts);
  }

  function renderLocation(content) {
    var c = content.coordinates || {};
    var lat = Number(c.lat);
    var long = Number(c.long);
    var loc = content.location || {};
    var parts = [icon(ICONS.pin, 'location__pin')];
    if (loc.name) parts.push(el('strong', { className: 'location__name', text: loc.name }));
    if (loc.address) parts.push(el('span', { className: 'location__address', text: loc.address }));
    if (isFinite(lat) && isFinite(long)) {
      parts.push(el('span', { className: 'location__coords', text: lat.toFixed(5) + ', ' + long.toFixed(5) }));
      var map = 'https://www.openstreetmap.org/?mlat=' + encodeURIComponent(lat) + '&mlon=' + encodeURIComponent(long) +
        '#map=16/' + encodeURIComponent(lat) + '/' + encodeURIComponent(long);
      parts.push(externalLink(map, 'Open map', 'location__map'));
    }
    return bubble(el('div', { className: 'location' }, parts));
  }

  function renderItem(item, message, ctx, className) {
    var parts = [];
    var src = safeMedia(item.mediaUrl);
    if (src) parts.push(el('img', { className: 'card__image', src: src, alt: item.altText || '', loading: 'lazy' }));
    var body = el('div', { className: 'card__body' }, [
      el('strong', { className: 'card__title', text: item.title || '' }),
      item.description ? el('p', { className: 'card__description', text: item.description }) : null
    ]);
    parts.push(body);
    parts.push(renderActions(item.actions, message, ctx));
    return el('div', { className: className, role: 'listitem' }, parts);
  }

  function renderCarousel(content, message, ctx) {
    var items = Array.isArray(content.items) ? content.items : [];
    var square = content.displaySettings && content.displaySettings.imageAspectRatio === 'square';
    // tabindex: a keyboard user can scroll the row even when the cards have no buttons.
    return el('div', {
      className: 'carousel' + (square ? ' carousel--square' : ''), role: 'list', tabindex: '0', 'aria-label': 'Cards'
    }, items.map(function (item) { return renderItem(item, message, ctx, 'card'); }));
  }

  function renderList(content, message, ctx) {
    var items = Array.isArray(content.items) ? content.items : [];
    return el('div', { className: 'item-list' }, [
      el('div', { role: 'list' }, items.map(function (item) { return renderItem(item, message, ctx, 'list-item'); })),
      renderActions(content.actions, message, ctx)
    ]);
  }

  /** A form; ctx.onFormSubmit(message, responseContent) → Promise posts the answer. */
  function renderForm(content, message, ctx) {
    var fields = Array.isArray(content.fields) ? content.fields : [];
    var answer = ctx.formAnswer ? ctx.formAnswer(message.id) : null; // the formResponse content, if shown
    var answered = content.submitted === true || !!answer;
    var locked = answered || !ctx.interactive || !ctx.onFormSubmit;
    var form = el('form', { className: 'form', novalidate: false });
    var idBase = 'f-' + String(message.id).replace(/[^A-Za-z0-9_-]/g, '') + '-';
    if (content.text) form.appendChild(el('p', { className: 'form__intro', text: content.text }));
    var inputs = fields.map(function (field, index) {
      var id = idBase + index;
      var input;
      if (field.type === 'select') {
        input = el('select', { id: id, name: field.name, required: true });
        input.appendChild(el('option', { value: '', text: field.placeholder || 'Choose…' }));
        (field.options || []).forEach(function (option) {
          input.appendChild(el('option', { value: option.name, text: option.label || option.name }));
        });
      } else {
        input = el('input', {
          id: id, name: field.name, required: true, type: field.type === 'email' ? 'email' : 'text',
          placeholder: field.placeholder, minlength: field.minSize, maxlength: field.maxSize,
          inputmode: field.format === 'integer' ? 'numeric' : field.format === 'decimal' ? 'decimal' : null,
          autocomplete: field.type === 'email' ? 'email' : 'off'
        });
      }
      if (answer) input.value = answeredValue(answer, field);
      if (locked) input.disabled = true;
      form.appendChild(el('div', { className: 'form__field' }, [el('label', { for: id, text: field.label || field.name }), input]));
      return { field: field, input: input };
    });
    var submit = el('button', {
      type: 'submit', className: 'action action--primary', text: answered ? 'Submitted' : locked ? 'Not answered yet' : 'Send'
    });
    if (locked) submit.disabled = true;
    form.appendChild(submit);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (locked || !form.reportValidity()) return;
      submit.disabled = true;
      var response = formResponse(message, inputs);
      Promise.resolve(ctx.onFormSubmit(message, response)).then(function () {
        locked = true;
        inputs.forEach(function (x) { x.input.disabled = true; });
        submit.textContent = 'Submitted';
      }, function () {
        submit.disabled = false;
      });
    });
    return bubble(form, 'bubble--form');
  }

  /** What a formResponse answered for one field of the form, as the input's value. */
  function answeredValue(answer, field) {
    var given = (answer.fields || []).filter(function (f) { return f.name === field.name; })[0];
    if (!given) return '';
    if (field.type === 'select') return (given.select && given.select[0] && given.select[0].name) || '';
    return given[field.type === 'email' ? 'email' : 'text'] || '';
  }

  /** The formResponse content for a form's inputs (the spec's field shapes). */
  function formResponse(message, inputs) {
    var lines = [];
    var fields = inputs.map(function (x) {
      var field = x.field;
      var answer = { type: field.type, name: field.name, label: field.label, quotedMessageId: message.id };
      if (field.type === 'select') {
        var option = (field.options || []).filter(function (o) { return o.name === x.input.value; })[0];
        answer.select = option ? [{ name: option.name, label: option.label }] : [];
        lines.push(field.label + ': ' + (option ? option.label : ''));
      } else {
        answer[field.type === 'email' ? 'email' : 'text'] = x.input.value;
        lines.push(field.label + ': ' + x.input.value);
      }
      return answer;
    });
    // quotedMessageId sits on each field in the spec's formResponseMessageField and on the content in
    // Parley's messenger contract; both are sent, a server keeps the one it knows.
    return { type: 'formResponse', fields: fields, textFallback: lines.join('\n'), quotedMessageId: message.id };
  }

  /** The id of the form a formResponse message answers (wherever the server put it), or null. */
  function quotedFormId(message) {
    var content = (message && message.content) || {};
    if (content.type !== 'formResponse') return null;
    if (message.quotedMessage && message.quotedMessage.message) return message.quotedMessage.message.id || null;
    if (content.quotedMessageId) return content.quotedMessageId;
    var field = (content.fields || [])[0];
    return (field && field.quotedMessageId) || null;
  }

  function renderFormResponse(content) {
    var fields = Array.isArray(content.fields) ? content.fields : [];
    var list = el('dl', { className: 'form-response' });
    fields.forEach(function (field) {
      var value = field.type === 'select'
        ? (field.select || []).map(function (o) { return o.label || o.name; }).join(', ')
        : field[field.type] || field.text || field.email || '';
      list.appendChild(el('dt', { text: field.label || field.name }));
      list.appendChild(el('dd', { text: value }));
    });
    if (!fields.length && content.textFallback) return bubble(markdown(content.textFallback));
    return bubble(list);
  }

  function renderContent(message, ctx) {
    var content = message.content || {};
    switch (content.type) {
      case 'text':
        return [bubble(richText(content) || ''), renderActions(content.actions, message, ctx)];
      case 'image':
        return [renderImage(content), renderActions(content.actions, message, ctx)];
      case 'file':
        return [renderFile(content)];
      case 'location':
        return [renderLocation(content)];
      case 'carousel':
        return [renderCarousel(content, message, ctx)];
      case 'list':
        return [renderList(content, message, ctx)];
      case 'form':
        return [renderForm(content, message, ctx)];
      case 'formResponse':
        return [renderFormResponse(content)];
      default:
        // template and anything newer: its fallback text, if the server gave one.
        return [bubble(content.text ? markdown(content.text) : 'Unsupported message (' + (content.type || 'unknown') + ')', 'bubble--muted')];
    }
  }

  function authorName(message, ctx) {
    var author = message.author || {};
    if (author.displayName) return author.displayName;
    if (author.type === 'business') return ctx.businessName || 'Business';
    return ctx.userName || 'User';
  }

  /**
   * One message element: class `message`, data-message-id, data-author-type. ctx:
   *   ownType ('user' in the messenger, 'business' in the inbox): which side is "me" (right-aligned)
   *   interactive, repliesAsChips, onAction(action, message, button), onFormSubmit, formAnswer(id),
   *   businessName, businessIconUrl, userName
   */
  function renderMessage(message, ctx) {
    var author = message.author || {};
    var own = author.type === ctx.ownType;
    var node = el('div', {
      className: 'message ' + (own ? 'message--own' : 'message--other'),
      dataset: { messageId: message.id, authorType: author.type === 'business' ? 'business' : 'user' }
    });
    if (!own) {
      var avatar = safeMedia(author.avatarUrl || (author.type === 'business' ? ctx.businessIconUrl : null));
      node.appendChild(avatar
        ? el('img', { className: 'message__avatar', src: avatar, alt: '' })
        : el('span', { className: 'message__avatar message__avatar--initial', 'aria-hidden': 'true', text: authorName(message, ctx).charAt(0).toUpperCase() }));
    }
    var body = el('div', { className: 'message__body' });
    body.appendChild(el('div', { className: 'message__author', text: authorName(message, ctx) }));
    append(body, renderContent(message, ctx));
    var meta = el('div', { className: 'message__meta' });
    if (message.received) meta.appendChild(el('time', { datetime: message.received, text: formatTime(message.received) }));
    body.appendChild(meta);
    node.appendChild(body);
    return node;
  }

  Parley.render = {
    el: el,
    append: append,
    safeHref: safeHref,
    safeMedia: safeMedia,
    markdown: markdown,
    sanitizedHtml: sanitizedHtml,
    richText: richText,
    formatTime: formatTime,
    relativeTime: relativeTime,
    preview: preview,
    renderMessage: renderMessage,
    renderAction: renderAction,
    quotedFormId: quotedFormId
  };

  // ---------------------------------------------------------------------------------------------
  // Ordered, de-duplicated message list shared by both pages: history pages, replayed events and
  // live events overlap, and a message must never show twice.

  function MessageList(container, render) {
    this.container = container;
    this.render = render; // (message) → element
    this.messages = [];
    this.byId = new Map();
    this.nodes = new Map();
  }

  MessageList.prototype.clear = function () {
    this.messages = [];
    this.byId.clear();
    this.nodes.clear();
    this.container.textContent = '';
  };

  MessageList.prototype.has = function (id) { return this.byId.has(id); };

  MessageList.prototype.last = function () { return this.messages[this.messages.length - 1] || null; };

  /** The content of the formResponse in the list that answers the form with this id, or null. */
  MessageList.prototype.formAnswer = function (id) {
    for (var i = 0; i < this.messages.length; i++) {
      if (quotedFormId(this.messages[i]) === id) return this.messages[i].content;
    }
    return null;
  };

  /** Adds like add(); an answer to a form shown re-draws that form as submitted. */
  MessageList.prototype.addAndLock = function (message) {
    if (!this.add(message)) return false;
    var formId = quotedFormId(message);
    if (formId && this.byId.has(formId)) this.rerender(formId);
    return true;
  };

  /** Adds a message in `received` order unless its id is known; returns whether it was new. */
  MessageList.prototype.add = function (message) {
    if (!message || !message.id || this.byId.has(message.id)) return false;
    var time = Date.parse(message.received) || Date.now();
    var index = this.messages.length;
    // Usually the newest: walk back from the end only as far as needed.
    while (index > 0 && (Date.parse(this.messages[index - 1].received) || 0) > time) index -= 1;
    this.messages.splice(index, 0, message);
    this.byId.set(message.id, message);
    var node = this.render(message);
    this.nodes.set(message.id, node);
    var next = this.messages[index + 1];
    this.container.insertBefore(node, next ? this.nodes.get(next.id) : null);
    this.markRun(index);
    this.markRun(index + 1);
    return true;
  };

  /** Replaces a message's element (e.g. when a form got answered). */
  MessageList.prototype.rerender = function (id) {
    var message = this.byId.get(id);
    var old = this.nodes.get(id);
    if (!message || !old) return;
    var node = this.render(message);
    old.replaceWith(node);
    this.nodes.set(id, node);
    this.markRun(this.messages.indexOf(message));
  };

  /** Consecutive messages of one author show the name and avatar once. */
  MessageList.prototype.markRun = function (index) {
    var message = this.messages[index];
    if (!message) return;
    var previous = this.messages[index - 1];
    var same = previous && sameAuthor(previous, message);
    this.nodes.get(message.id).classList.toggle('message--continued', !!same);
  };

  function sameAuthor(a, b) {
    var x = a.author || {};
    var y = b.author || {};
    return x.type === y.type && (x.displayName || '') === (y.displayName || '') && (x.userId || '') === (y.userId || '');
  }

  Parley.MessageList = MessageList;

  // ---------------------------------------------------------------------------------------------
  // Realtime: one WebSocket, as docs/MESSENGER.md describes it.
  //   - first frame `auth`; `ready` means usable (backoff resets, onReady resubscribes)
  //   - reconnect with backoff 500 ms doubling to 8 s; immediately on the window's `online` event
  //   - heartbeat: a `ping` every 20 s; no frame at all within 10 s after it → reconnect
  //   - close code 4401 (session refused) is not retried: onAuthError decides what to do
  // States (onState): 'connecting' until the first `ready`, 'open', 'reconnecting' after a loss.

  var BACKOFF_START = 500;
  var BACKOFF_MAX = 8000;
  var PING_EVERY = 20000;
  var PONG_WITHIN = 10000;
  var READY_WITHIN = 10000;

  function Realtime(options) {
    this.url = options.url; // absolute ws(s) URL
    this.authFrame = options.authFrame; // () → {type: 'auth', …}
    this.onReady = options.onReady || function () {};
    this.onFrame = options.onFrame || function () {};
    this.onState = options.onState || function () {};
    this.onAuthError = options.onAuthError || function () {};
    this.ws = null;
    this.ready = false;
    this.stopped = true;
    this.everReady = false;
    this.delay = BACKOFF_START;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.readyTimer = null;
    this.state = 'connecting';
    var self = this;
    this.handleOnline = function () {
      if (self.stopped) return;
      if (self.ready) self.probe(); // the socket may be dead without knowing it: ask now
      else self.reconnectNow();
    };
  }

  /** ws(s)://host/path matching the page's scheme. */
  Realtime.urlFor = function (path) {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
  };

  Realtime.prototype.start = function () {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.handleOnline);
    this.connect();
  };

  Realtime.prototype.stop = function () {
    this.stopped = true;
    window.removeEventListener('online', this.handleOnline);
    this.teardown();
    clearTimeout(this.retryTimer);
  };

  /** Drops the current socket and connects again at once (e.g. a new session to authenticate). */
  Realtime.prototype.restart = function () {
    this.stop();
    this.everReady = false;
    this.delay = BACKOFF_START;
    this.start();
  };

  Realtime.prototype.send = function (frame) {
    if (!this.ready || !this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  };

  Realtime.prototype.setState = function (state) {
    if (this.state === state) return;
    this.state = state;
    this.onState(state);
  };

  Realtime.prototype.connect = function () {
    var self = this;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.setState(this.everReady ? 'reconnecting' : 'connecting');
    var ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    // A connection that never becomes ready (a proxy holding it open) counts as lost.
    this.readyTimer = setTimeout(function () { self.lost(); }, READY_WITHIN);
    ws.onopen = function () {
      ws.send(JSON.stringify(self.authFrame()));
    };
    ws.onmessage = function (event) {
      clearTimeout(self.pongTimer);
      self.pongTimer = null;
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame.type === 'ready') {
        clearTimeout(self.readyTimer);
        self.ready = true;
        self.everReady = true;
        self.delay = BACKOFF_START;
        self.startHeartbeat();
        self.setState('open');
        self.onReady();
        return;
      }
      if (frame.type === 'pong') return;
      if (!self.ready && frame.type === 'error') {
        // The auth frame was refused (the close code 4401 follows, but may arrive as 1006).
        self.teardown();
        self.setState(self.everReady ? 'reconnecting' : 'connecting');
        self.onAuthError();
        return;
      }
      self.onFrame(frame);
    };
    ws.onclose = function (event) {
      if (ws !== self.ws) return;
      if (event.code === 4401) {
        self.teardown();
        self.setState(self.everReady ? 'reconnecting' : 'connecting');
        self.onAuthError();
        return;
      }
      self.lost();
    };
  };

  /** The socket is gone or unusable: clean up and try again after the backoff. */
  Realtime.prototype.lost = function () {
    this.teardown();
    if (!this.stopped) this.scheduleReconnect();
  };

  Realtime.prototype.scheduleReconnect = function () {
    var self = this;
    this.setState(this.everReady ? 'reconnecting' : 'connecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(function () { self.connect(); }, this.delay);
    this.delay = Math.min(this.delay * 2, BACKOFF_MAX);
  };

  Realtime.prototype.reconnectNow = function () {
    this.delay = BACKOFF_START;
    this.connect();
  };

  Realtime.prototype.teardown = function () {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.readyTimer);
    this.pingTimer = this.pongTimer = this.readyTimer = null;
    this.ready = false;
    var ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(); } catch (e) { /* already closed */ }
    }
  };

  Realtime.prototype.startHeartbeat = function () {
    var self = this;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(function () { self.probe(); }, PING_EVERY);
  };

  /** Sends a ping; any frame arriving within PONG_WITHIN clears the deadline. */
  Realtime.prototype.probe = function () {
    var self = this;
    if (!this.send({ type: 'ping' })) return;
    if (this.pongTimer) return;
    this.pongTimer = setTimeout(function () { self.lost(); }, PONG_WITHIN);
  };

  Parley.Realtime = Realtime;

  // ---------------------------------------------------------------------------------------------
  // Small shared utilities

  /** Runs fn at most once per `wait` ms after the last call. */
  Parley.debounce = function (fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  };

  /** The error title of the API's envelope, or a generic one. */
  Parley.errorTitle = function (data, status) {
    var first = data && data.errors && data.errors[0];
    return (first && (first.title || first.code)) || 'Request failed (' + status + ')';
  };

  /** A colour of the config ("6 hex digits without #") as CSS, or the fallback. */
  Parley.hexColor = function (value, fallback) {
    return typeof value === 'string' && /^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? '#' + value : fallback;
  };

  /** Black or white, whichever reads better on the colour. */
  Parley.textOn = function (color) {
    var hex = color.replace('#', '');
    if (hex.length === 3) hex = hex.replace(/(.)/g, '$1$1');
    var r = parseInt(hex.slice(0, 2), 16);
    var g = parseInt(hex.slice(2, 4), 16);
    var b = parseInt(hex.slice(4, 6), 16);
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255 > 0.6 ? '#111111' : '#ffffff';
  };
})();
