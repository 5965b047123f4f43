/* The help center's support widget, part 2: the chat panel.

   Loaded by widget.js on first use and mounted in its shadow root. It talks only to the
   JSON API (/api/v1/conversations), with the conversation's token in the Authorization
   header. Everything the server sends is shown with textContent: replies are plain text.
   Every message carries a client id, so that a retry after a network error is applied
   once. */
(() => {
  'use strict';
  const TIMEOUT_MS = 20000;
  const MASK = '••••••••';
  const PHONE = '(max-width: 639.98px)';
  const TYPES = { email: 'email', phone: 'tel', password: 'password' };
  const MODES = { integer: 'numeric', decimal: 'decimal', phone: 'tel', email: 'email' };
  const TAGS = { warning: 'Warning', error: 'Problem', result: 'Done', end: 'Finished', handoff: 'Passed to a person' };
  const PERSON = { id: 'handoff', label: 'Talk to a person' };
  const SUGGEST = 'You might also ask:';
  const GREETING = 'Hi! Ask a question in your own words, and I will find the answer in our guides.';

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  };
  const attrs = (node, values) => {
    for (const name in values) node.setAttribute(name, values[name]);
    return node;
  };
  const uid = () => (crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)),
      (b) => b.toString(16).padStart(2, '0')).join(''));
  const list = (value) => (Array.isArray(value) ? value : []);

  // The options a reply offers as buttons: `options`, or the choices of a field.
  const optionsOf = (reply) => {
    const given = list(reply.options).filter((o) => o && o.id != null)
      .map((o) => ({ id: String(o.id), label: String(o.label || o.id) }));
    if (given.length || !reply.field) return given;
    if (reply.field.type === 'yesno') return [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }];
    return list(reply.field.choices).map((c) => ({ label: String(c), value: String(c) }));
  };

  const mount = (ctx) => {
    const { cfg, root, shadow, launcher, emit, store } = ctx;
    const phone = matchMedia(PHONE);
    const procedures = {};
    let conv = store.get();
    let busy = false;
    let field = null;
    let flow = null; // the procedure under way: {slug, progress, ended}
    let generation = 0; // bumped by "new conversation": late answers are dropped

    // -- the API ------------------------------------------------------------------------
    const call = async (method, path, body, token) => {
      const headers = {};
      if (body) headers['Content-Type'] = 'application/json';
      if (token) headers.Authorization = 'Bearer ' + token;
      const abort = new AbortController();
      const timeout = setTimeout(() => abort.abort(), TIMEOUT_MS);
      let response;
      try {
        response = await fetch(cfg.base + '/api/v1' + path, {
          method, headers, body: body ? JSON.stringify(body) : undefined,
          credentials: 'omit', cache: 'no-store', signal: abort.signal,
        });
      } catch (e) {
        if (navigator.onLine !== false) {
          console.warn('KBWidget: no answer from ' + cfg.base + '. If this lasts, check that ' +
            'its KB_ALLOWED_ORIGINS lists ' + location.origin + '.');
        }
        throw Object.assign(new Error('the help center could not be reached'), { retry: true });
      } finally {
        clearTimeout(timeout);
      }
      let data = null;
      try {
        data = await response.json();
      } catch (e) { /* not JSON: described by the status */ }
      if (response.ok && data) return data;
      const status = response.status;
      const message = status === 413 ? 'the file is too large'
        : status >= 500 || !data ? 'the help center had a problem'
          : String((data.error && data.error.message) || response.statusText);
      throw Object.assign(new Error(message), { status, retry: status >= 500 || [408, 409, 429].includes(status) });
    };
    const messagesPath = () => '/conversations/' + encodeURIComponent(conv.id) + '/messages';

    // -- the panel ------------------------------------------------------------------------
    const panel = attrs(el('div', 'panel'), { role: 'dialog', 'aria-label': cfg.title, tabindex: '-1' });
    const head = el('div', 'head');
    const title = el('h2', 'title', cfg.title);
    const fresh = attrs(el('button', 'tool', 'New chat'), { type: 'button' });
    const shut = attrs(el('button', 'tool close'), { type: 'button', 'aria-label': 'Close' });
    shut.append(attrs(el('span', null, '×'), { 'aria-hidden': 'true' }));
    // A person is always one click away (the server asks for an e-mail if it needs one).
    const person = attrs(el('button', 'tool', PERSON.label), { type: 'button' });
    head.append(title, person, fresh, shut);

    const bar = attrs(el('div', 'progress'), { role: 'group', 'aria-label': 'Guided procedure' });
    const barText = attrs(el('p'), { id: 'kbw-progress' });
    const meter = attrs(el('progress'), { 'aria-labelledby': 'kbw-progress' });
    const stop = attrs(el('button', 'tool', 'Stop'), { type: 'button', 'aria-label': 'Stop the procedure' });
    bar.append(barText, stop, meter);

    const log = attrs(el('ol', 'log'), { 'aria-label': 'Conversation', tabindex: '-1' });
    const live = attrs(el('div', 'sr'), { 'aria-live': 'polite' });
    const typing = el('li', 'msg typing');
    const dots = el('div', 'bubble');
    dots.append(el('span', 'sr', 'The assistant is typing…'));
    for (let i = 0; i < 3; i++) dots.append(attrs(el('span', 'dot'), { 'aria-hidden': 'true' }));
    typing.append(dots);

    const form = attrs(el('form', 'composer'), { novalidate: '' });
    const label = attrs(el('label', 'field-label'), { for: 'kbw-input' });
    const help = attrs(el('p', 'field-help'), { id: 'kbw-help' });
    const check = attrs(el('p', 'field-error'), { id: 'kbw-check', role: 'alert' });
    const row = el('div', 'row');
    const input = attrs(el('input', 'input'), { id: 'kbw-input', type: 'text', autocomplete: 'off' });
    const file = attrs(el('input', 'input file'), { id: 'kbw-file', type: 'file', accept: 'image/*' });
    const send = attrs(el('button', 'send', 'Send'), { type: 'submit' });
    row.append(input, file, send);
    form.append(label, help, check, row);
    panel.append(head, bar, log, live, form);
    root.insertBefore(panel, launcher);
    panel.hidden = true;

    const focused = () => shadow.activeElement;
    const inPanel = () => panel.contains(focused());
    const scrollDown = () => { log.scrollTop = log.scrollHeight; };
    const announce = (text) => {
      live.textContent = '';
      setTimeout(() => { live.textContent = text; }, 60);
    };
    const focusComposer = () => (field && field.type === 'image' ? file : input).focus();
    // A picture over the server's limit (the field's `max_bytes`) is refused here, before
    // a long upload, and the step stays where it was.
    // Rounded down: a file of the size said is always taken.
    const mb = (bytes) => (bytes < 1e6 ? Math.floor(bytes / 1000) + ' kB'
      : Math.floor(bytes / 1e5) / 10 + ' MB');
    const tooLarge = (chosen) => {
      const limit = field && Number(field.max_bytes);
      return chosen && limit > 0 && chosen.size > limit
        ? 'This file is too large: pictures up to ' + mb(limit) + ' can be uploaded. Please choose a smaller one.' : '';
    };
    const refuse = (said) => {
      check.textContent = said;
      check.hidden = !said;
      if (said) {
        file.setAttribute('aria-invalid', 'true');
        file.setAttribute('aria-describedby', 'kbw-check' + (help.hidden ? '' : ' kbw-help'));
      } else {
        file.removeAttribute('aria-invalid');
        if (help.hidden) file.removeAttribute('aria-describedby');
        else file.setAttribute('aria-describedby', 'kbw-help');
      }
    };
    file.addEventListener('change', () => refuse(tooLarge(file.files && file.files[0])));

    // -- messages ---------------------------------------------------------------------------
    const userItem = (text) => {
      const item = el('li', 'msg msg-user');
      const bubble = el('div', 'bubble');
      bubble.append(el('span', 'sr', 'You: '), text);
      item.append(bubble);
      log.append(item);
      return item;
    };
    const link = (url) => {
      try {
        const href = new URL(url, cfg.base + '/');
        return /^https?:$/.test(href.protocol) ? href.href : null;
      } catch (e) {
        return null;
      }
    };
    // A web address written out in a guide ("manager.infomaniak.com/2fa"): a host with at
    // least two dots, or a full http(s) URL; what ends a sentence around it is left out.
    // Not the domain of an email address (a@mail.example.com): that is no page to open.
    const ADDRESS = /(?<![@\w.-])(?:https?:\/\/[^\s<>"]+|(?:[a-z0-9-]+\.){2,}[a-z]{2,}(?:\/[^\s<>"]*)?)/gi;
    const addresses = (node, text) => {
      let last = 0;
      for (const m of text.matchAll(ADDRESS)) {
        const words = m[0].replace(/[.,;:!?)\]]+$/, '');
        const href = link(/^https?:/i.test(words) ? words : 'https://' + words);
        if (!href) continue;
        node.append(text.slice(last, m.index));
        node.append(attrs(el('a', 'passage-link', words), { href, target: '_blank', rel: 'noopener' }));
        last = m.index + words.length;
      }
      node.append(text.slice(last));
    };
    // Text with the passage's links as anchors (their text found in the line), all of it
    // set through textContent: a link's URL is used only if it is http(s).
    const linkify = (node, text, links) => {
      let rest = text;
      while (rest) {
        let at = -1;
        let found = null;
        for (const l of links) {
          const i = l && l.text ? rest.indexOf(String(l.text)) : -1;
          if (i >= 0 && (at < 0 || i < at)) { at = i; found = l; }
        }
        const href = found && link(String(found.url || ''));
        if (!found || !href) { addresses(node, rest); return; }
        addresses(node, rest.slice(0, at));
        node.append(attrs(el('a', 'passage-link', String(found.text)), { href, target: '_blank', rel: 'noopener' }));
        rest = rest.slice(at + String(found.text).length);
      }
    };
    // A passage: sentences as a paragraph, "1. …" lines as a numbered list, "- …" as bullets,
    // table rows as a table; indented bullets under a step are that step's choices, so
    // they sit inside its item.
    const passage = (bubble, part, links) => {
      const listItem = (text) => {
        const item = el('li');
        linkify(item, text, links);
        return item;
      };
      // A table's rows come as their cells joined by " | ", the first naming the columns
      // unless it holds a number; a "…" line stands for rows left out.
      const tableRow = (table, cells, head) => {
        const row = el('tr');
        for (const cell of cells) {
          const td = el(head ? 'th' : 'td');
          if (head) td.setAttribute('scope', 'col');
          linkify(td, cell, links);
          row.append(td);
        }
        table.append(row);
      };
      let block = null;
      for (const line of part.split('\n')) {
        const step = /^(\d+)\. (.*)$/.exec(line);
        const bullet = /^(\s*)- (.*)$/.exec(line);
        const cells = !step && !bullet && line.includes(' | ')
          ? line.split(' | ').map((c) => c.trim()) : null;
        const inTable = block && block.tagName.toLowerCase() === 'table';
        if (cells || (inTable && line.trim() === '…')) {
          if (!inTable) {
            block = el('table', 'passage-table');
            const scroll = attrs(el('div', 'passage-scroll'), { tabindex: '0', role: 'region', 'aria-label': 'Table' });
            scroll.append(block);
            bubble.append(scroll);
            tableRow(block, cells, !/\d/.test(line));
          } else if (cells) {
            tableRow(block, cells, false);
          } else {
            const gap = el('td', null, '…');
            gap.colSpan = block.rows[0] ? block.rows[0].cells.length : 1;
            const row = el('tr');
            row.append(gap);
            block.append(row);
          }
        } else if (bullet && bullet[1] && block && block.tagName.toLowerCase() === 'ol') {
          const under = block.lastElementChild;
          let choices = under.querySelector(':scope > ul');
          if (!choices) under.append(choices = el('ul', 'passage-list'));
          choices.append(listItem(bullet[2]));
        } else if (step || bullet) {
          const tag = step ? 'ol' : 'ul';
          if (!block || block.tagName.toLowerCase() !== tag) {
            block = el(tag, 'passage-list');
            if (step && step[1] !== '1') block.setAttribute('start', step[1]);
            bubble.append(block);
          }
          block.append(listItem(step ? step[2] : bullet[2]));
        } else if (line.trim()) {
          block = null;
          const p = el('p');
          linkify(p, line, links);
          bubble.append(p);
        }
      }
    };
    const botItem = (reply) => {
      const type = /^[a-z-]{1,20}$/.test(reply.type) ? reply.type : 'message';
      const item = el('li', 'msg msg-bot msg-' + type);
      const bubble = el('div', 'bubble');
      bubble.append(el('span', 'sr', 'Assistant: '));
      if (TAGS[type]) bubble.append(el('strong', 'tag', TAGS[type]));
      const href = reply.url && link(reply.url);
      let linked = false;
      for (const part of String(reply.text || '').split(/\n{2,}/)) {
        const source = /^\(From “(.+)”\.\)$/.exec(part.trim());
        if (source && href) {
          // "(From “Guide › Section”.)": the source itself links to the section.
          const p = el('p', 'source', '(From “');
          const a = attrs(el('a', 'guide-link', source[1]), { href, target: '_blank', rel: 'noopener' });
          a.append(el('span', 'sr', ' (opens in a new tab)'));
          p.append(a, '”.)');
          bubble.append(p);
          linked = true;
        } else if (part.trim()) {
          passage(bubble, part, list(reply.links));
        }
      }
      if (href && !linked) {
        const a = attrs(el('a', 'guide-link', 'Read the guide'), { href, target: '_blank', rel: 'noopener' });
        a.append(el('span', 'sr', ' (opens in a new tab)'));
        bubble.append(a);
      }
      item.append(bubble);
      const options = optionsOf(reply);
      if (options.length) {
        const group = attrs(el('div', 'choices'), { role: 'group', 'aria-label': 'Choices' });
        for (const option of options) {
          const button = attrs(el('button', 'choice', option.label), { type: 'button' });
          button.addEventListener('click', () => choose(option));
          group.append(button);
        }
        item.append(group);
      }
      log.append(item);
    };
    // Other questions the answering guide answers, under "Did that help?": pressing one
    // asks it, exactly as if it had been typed.
    const suggestionsOf = (replies) => replies.flatMap((r) => (r.type === 'answer' ? list(r.suggestions) : []))
      .filter((q) => typeof q === 'string' && q.trim()).slice(0, 3);
    const suggest = (questions) => {
      const items = log.querySelectorAll('.msg-bot');
      const item = items[items.length - 1];
      if (!questions.length || !item) return;
      const group = attrs(el('div', 'choices suggestions'), { role: 'group', 'aria-labelledby': 'kbw-more' });
      group.append(attrs(el('p', 'more', SUGGEST), { id: 'kbw-more' }));
      for (const question of questions) {
        const button = attrs(el('button', 'choice suggestion', question), { type: 'button' });
        button.addEventListener('click', () => {
          log.focus({ preventScroll: true });
          submit({ text: question, shown: question, via: 'button' });
        });
        group.append(button);
      }
      item.append(group);
    };
    const spoken = (replies) => replies.map((r) => {
      const options = optionsOf(r).map((o) => o.label);
      // A table row is read as its cells in a list, not with the bars between them.
      return [TAGS[r.type] ? TAGS[r.type] + ':' : '', String(r.text || '').split(' | ').join(', '),
        options.length ? 'Choices: ' + options.join('; ') + '.' : '',
        r.field ? 'Answer below: ' + (r.field.label || 'your answer') + '.' : ''].filter(Boolean).join(' ');
    }).concat(suggestionsOf(replies).length ? [SUGGEST + ' ' + suggestionsOf(replies).join('; ')] : []).join(' ');
    const greet = () => botItem({ type: 'greeting', text: cfg.greeting || GREETING });
    const note = (text) => botItem({ type: 'note', text });

    // -- the composer follows the last reply: a question, or the value a step asks for --
    const setField = (given) => {
      const had = focused() === input || focused() === file;
      const wasSecret = input.type === 'password';
      field = given && typeof given === 'object' ? given : null;
      const image = !!field && field.type === 'image';
      const type = field ? (field.secret ? 'password' : TYPES[field.type] || 'text') : 'text';
      input.hidden = image;
      file.hidden = !image;
      label.htmlFor = image ? 'kbw-file' : 'kbw-input';
      label.textContent = field ? String(field.label || 'Your answer') : 'Your question';
      label.classList.toggle('sr', !field);
      const stated = (field && field.help) || '';
      // The limit is said before a picture is chosen, unless the step's help says it.
      const limit = image && Number(field.max_bytes) > 0 && !/\b(MB|kB)\b/.test(stated)
        ? 'Pictures up to ' + mb(field.max_bytes) + '.' : '';
      help.textContent = [stated, limit].filter(Boolean).join(' ');
      help.hidden = !help.textContent;
      refuse('');
      for (const box of [input, file]) {
        if (help.hidden) box.removeAttribute('aria-describedby');
        else box.setAttribute('aria-describedby', 'kbw-help');
      }
      if (wasSecret && type !== 'password') input.value = '';
      input.type = type;
      input.autocomplete = field && field.secret ? 'current-password' : 'off';
      if (field && MODES[field.type]) input.inputMode = MODES[field.type];
      else input.removeAttribute('inputmode');
      input.maxLength = (field && field.max_length) || 2000;
      input.placeholder = field ? '' : 'Ask a question…';
      send.textContent = image ? 'Send picture' : 'Send';
      if (had) focusComposer();
    };

    // -- the procedure's progress: counted by the server, in each step reply ---------------
    const procedure = (slug) => {
      procedures[slug] = procedures[slug] ||
        call('GET', '/procedures/' + encodeURIComponent(slug)).catch(() => null);
      return procedures[slug];
    };
    const track = (replies) => {
      for (const r of replies) {
        if (!r.procedure) continue;
        if (!flow || flow.slug !== r.procedure) flow = { slug: r.procedure, progress: null };
        flow.ended = r.type === 'end';
        if (r.type === 'step' && r.progress) flow.progress = r.progress;
      }
      if (flow && flow.ended) flow = null;
    };
    const drawBar = async () => {
      const now = flow;
      if (!now || !now.progress) {
        bar.hidden = true;
        return;
      }
      // The count is shown at once; the procedure's title joins it once fetched.
      const label = () => {
        const done = Number(now.progress.done) || 0;
        const total = Math.max(done + (Number(now.progress.remaining) || 0), done + 1);
        barText.textContent = (now.title ? now.title + ' · ' : '') + 'Step ' + (done + 1) +
          (now.progress.exact ? ' of ' : ' of about ') + total;
        meter.max = total;
        meter.value = done + 1;
      };
      label();
      if (bar.hidden) {
        bar.hidden = false;
        scrollDown(); // the bar takes room from the conversation: keep its end in view
      }
      if (now.title) return;
      const info = await procedure(now.slug); // for its title only
      if (now !== flow || !info || !info.title) return;
      now.title = String(info.title);
      label(); // the step as it is now, should another have come meanwhile
    };

    const showTurn = (replies) => {
      for (const old of log.querySelectorAll('.choices')) old.remove();
      replies.forEach(botItem);
      suggest(suggestionsOf(replies));
      const last = replies[replies.length - 1];
      setField(last && last.field);
      track(replies);
    };

    // -- sending ------------------------------------------------------------------------
    const setBusy = (on) => {
      busy = on;
      log.setAttribute('aria-busy', String(on));
      send.setAttribute('aria-disabled', String(on));
      for (const button of log.querySelectorAll('.choice')) button.disabled = on;
      if (on) log.append(typing);
      else typing.remove();
      scrollDown();
    };
    const fail = (message, error) => {
      message.retry = null;
      if (message.item) message.item.classList.add('failed');
      const box = el('li', 'msg msg-failed');
      box.append(el('p', null, 'Not sent: ' + error.message + '.'));
      if (error.retry) {
        const again = attrs(el('button', 'retry', 'Retry'), { type: 'button' });
        again.addEventListener('click', () => {
          log.focus({ preventScroll: true });
          message.via = 'button';
          submit(message);
        });
        box.append(again);
        message.retry = again;
      } else if (message.typed && !input.value && !input.hidden) {
        input.value = message.typed; // nothing typed is lost
      }
      if (message.item) message.item.after(box);
      else log.append(box);
      message.failure = box;
      scrollDown();
      announce('Not sent: ' + error.message + '.' + (error.retry ? ' Choose Retry to send it again.' : ''));
    };
    // After an answer chosen with a button (which went away), the next choice or the
    // composer. After a typed message the focus simply stays in the composer.
    const follow = (message) => {
      if (message.via !== 'button') return;
      const next = log.querySelector('.choice');
      if (next) next.focus();
      else focusComposer();
    };

    const submit = async (message) => {
      if (busy) return false;
      busy = true; // at once: a second click while the history loads is refused
      const mine = generation;
      await loaded;
      if (!message.id) {
        message.id = uid();
        if (message.shown !== '') message.item = userItem(message.shown);
        emit('message', { text: message.shown, option: message.option || null });
      }
      if (message.failure) message.failure.remove();
      if (message.item) message.item.classList.remove('failed');
      setBusy(true);
      const body = { text: message.text, client_id: message.id };
      if (message.option) body.option = message.option;
      try {
        let data = null;
        for (let attempt = 0; !data; attempt++) {
          if (!conv) {
            // A signed identity (production) names the account; else a demo account.
            const made = await call('POST', '/conversations', cfg.identity ? { identity: cfg.identity }
              : cfg.account ? { account: cfg.account } : null);
            conv = { id: made.id, token: made.token };
            store.set(conv);
          }
          try {
            data = await call('POST', messagesPath(), body, conv.token);
          } catch (error) {
            if (error.status !== 404 || attempt) throw error;
            conv = null; // the conversation is gone: this message starts a new one
            store.set(null);
          }
        }
        if (mine !== generation) return false;
        setBusy(false);
        const replies = list(data.replies);
        showTurn(replies);
        drawBar();
        scrollDown();
        announce(spoken(replies));
        follow(message);
        for (const reply of replies) emit('reply', reply);
        return true;
      } catch (error) {
        if (mine !== generation) return false;
        setBusy(false);
        fail(message, error);
        if (message.via === 'button' && message.retry) message.retry.focus();
        else if (message.via === 'button') focusComposer();
        return false;
      }
    };
    const choose = (option) => {
      log.focus({ preventScroll: true }); // the buttons go away with the answer
      submit(option.id != null ? { text: option.label, option: option.id, shown: option.label, via: 'button' }
        : { text: option.value, shown: option.label, via: 'button' });
    };
    const readFile = (chosen) => new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(chosen);
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      if (field && field.type === 'image') {
        const chosen = file.files && file.files[0];
        if (!chosen) return announce('Choose a picture first.');
        const said = tooLarge(chosen);
        if (said) {
          refuse(said);
          return file.focus();
        }
        let data;
        try {
          data = await readFile(chosen);
        } catch (e) {
          return fail({}, { message: 'the picture could not be read' });
        }
        file.value = '';
        return submit({ text: data, shown: 'Picture: ' + chosen.name });
      }
      const text = input.value;
      if (!text.trim()) return input.focus();
      input.value = '';
      const secret = !!field && (field.secret || input.type === 'password');
      submit({ text, shown: secret ? MASK : text, typed: text });
    });

    // -- the conversation kept across page loads ----------------------------------------------
    const restore = async () => {
      if (!conv) return;
      const waiting = el('li', 'msg msg-note', 'Loading the conversation…');
      log.append(waiting);
      try {
        const data = await call('GET', messagesPath(), null, conv.token);
        waiting.remove();
        let asked = null; // what the previous turn asked for: a secret is never shown
        for (const m of list(data.messages)) {
          if (m.text) {
            const hidden = asked && (asked.secret || asked.type === 'image');
            userItem(hidden ? (asked.type === 'image' ? 'Picture sent' : MASK) : m.text);
          }
          const replies = list(m.replies);
          showTurn(replies);
          asked = replies.length ? replies[replies.length - 1].field : null;
        }
        if (!data.procedure) flow = null;
        drawBar();
      } catch (error) {
        waiting.remove();
        if (error.status === 404) {
          conv = null; // expired or deleted: a new conversation starts with the next message
          store.set(null);
        } else {
          note('The earlier conversation could not be loaded (' + error.message + ').');
        }
      }
      scrollDown();
    };

    const reset = (focus) => {
      generation++;
      conv = null;
      store.set(null);
      flow = null;
      setBusy(false);
      log.textContent = '';
      greet();
      setField(null);
      drawBar();
      announce('New conversation.');
      if (focus) input.focus();
    };

    // -- opening and closing -------------------------------------------------------------
    const modal = () => panel.setAttribute('aria-modal', String(phone.matches));
    const focusable = () => [...panel.querySelectorAll('button, input, a[href]')]
      .filter((n) => !n.disabled && n.getClientRects().length);
    const viewport = window.visualViewport;
    const fitted = ctx.sheet('');
    // On phones, the panel follows the visual viewport, so the keyboard never covers the input.
    const fit = () => fitted && fitted.replaceSync(viewport && !panel.hidden && phone.matches
      ? '.panel{top:' + Math.round(viewport.offsetTop) + 'px;height:' + Math.round(viewport.height) + 'px}' : '');
    if (viewport) {
      viewport.addEventListener('resize', fit);
      viewport.addEventListener('scroll', fit);
    }
    phone.addEventListener('change', () => { modal(); fit(); });

    const open = (focus) => {
      if (panel.hidden) {
        panel.hidden = false;
        modal();
        fit();
        ctx.changed(true);
        scrollDown();
      }
      if (focus) (phone.matches ? panel : field && field.type === 'image' ? file : input).focus();
    };
    const close = () => {
      if (panel.hidden) return;
      const inside = inPanel();
      panel.hidden = true;
      fit();
      ctx.changed(false);
      if (inside) launcher.focus(); // back where the user was; a page's own focus stays put
    };

    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !panel.hidden) {
        event.stopPropagation();
        close();
      } else if (event.key === 'Tab' && phone.matches && !panel.hidden && inPanel()) {
        // Full screen, the panel is modal: Tab goes round inside it.
        const items = focusable();
        const first = items[0];
        const last = items[items.length - 1];
        if (event.shiftKey && (focused() === first || focused() === panel)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && focused() === last) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    shut.addEventListener('click', close);
    fresh.addEventListener('click', () => reset(true));
    person.addEventListener('click', () => { if (!busy) choose(PERSON); });
    stop.addEventListener('click', () => submit({ text: 'cancel', shown: 'Stop', via: 'button' }));

    greet();
    setField(null);
    bar.hidden = true;
    const loaded = restore();

    return {
      open,
      close,
      send: (message) => submit({ shown: message.text, ...message }),
      reset: () => reset(inPanel()),
      configure() {
        title.textContent = cfg.title;
        panel.setAttribute('aria-label', cfg.title);
      },
    };
  };

  if (window.KBWidget && window.KBWidget._mount) window.KBWidget._mount(mount);
})();
