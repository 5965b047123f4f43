/* The help center's support widget, part 1: the loader (a test keeps it under 4 KB
   gzipped).

   Embedded with one async <script> tag, it defines window.KBWidget, renders only the
   launcher button inside a shadow root, and loads the chat panel (widget-app.js) when
   it is first needed. Configuration and API: docs/widget.md and the site's /embed page.
   It never takes the focus unless the user asked for the widget. */
(() => {
  'use strict';
  const w = window;
  const d = document;
  const stub = w.KBWidget;
  if (stub && stub.version) return; // included twice: the first copy stays in charge

  const script = d.currentScript || d.querySelector('script[src*="/widget.js"]');
  const src = new URL(script ? script.src : '/static/widget.js', location.href);
  const asset = (name) => new URL(name, src).href;
  const at = src.pathname.lastIndexOf('/static/');
  // The settings a page can give (data-* attributes, KBWidgetSettings, init()).
  const DEFAULTS = {
    account: '',
    identity: '', // a JWT signed by the host site
    title: 'Help',
    greeting: '', // the chat panel has the default
    base: src.origin + (at > 0 ? src.pathname.slice(0, at) : ''),
    position: 'right',
    color: '',
    persist: 'local',
  };
  const cfg = { ...DEFAULTS };
  const listeners = {};
  const memory = {};
  let ready = false;
  let isOpen = false;
  let factory = null;
  let loading = null;
  let colorSheet = null;

  const configure = (given) => {
    for (const key in given || {}) {
      if (key in DEFAULTS && given[key] != null && given[key] !== '') cfg[key] = String(given[key]);
    }
    try {
      const base = new URL(cfg.base, location.href);
      cfg.base = /^https?:$/.test(base.protocol) ? base.href.replace(/\/+$/, '') : DEFAULTS.base;
    } catch (e) {
      cfg.base = DEFAULTS.base;
    }
  };

  const emit = (name, detail) => {
    for (const fn of (listeners[name] || []).slice()) {
      try {
        fn(detail);
      } catch (e) {
        setTimeout(() => { throw e; }); // the host's bug, reported without breaking us
      }
    }
  };
  const on = (name, fn) => {
    const list = (listeners[name] = listeners[name] || []);
    list.push(fn);
    if (name === 'ready' && ready) setTimeout(() => list.includes(fn) && fn({}));
    return () => { const i = list.indexOf(fn); if (i >= 0) list.splice(i, 1); };
  };

  // Where the conversation's id and token are kept: never in a URL.
  const area = (name) => {
    try {
      const s = w[name];
      s.getItem('kbw');
      return s;
    } catch (e) {
      return null; // storage disabled: kept in memory for this page only
    }
  };
  const persistent = () => (cfg.persist === 'local' ? area('localStorage')
    : cfg.persist === 'session' ? area('sessionStorage') : null);
  // A conversation per customer: the token's `sub` (read here, verified by the server).
  const convKey = () => {
    let who = cfg.account;
    try {
      if (cfg.identity) who = '@' + JSON.parse(atob(cfg.identity.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub;
    } catch (e) { who = '@'; }
    return 'kbw:' + cfg.base + '|' + who;
  };
  const store = {
    get() {
      let found = memory[convKey()];
      try {
        const saved = persistent() && persistent().getItem(convKey());
        if (saved) found = JSON.parse(saved);
      } catch (e) { /* unreadable: start afresh */ }
      return found && typeof found.id === 'string' && typeof found.token === 'string'
        ? { id: found.id, token: found.token } : null;
    },
    set(conv) {
      memory[convKey()] = conv;
      try {
        const s = persistent();
        if (s && conv) s.setItem(convKey(), JSON.stringify(conv));
        else if (s) s.removeItem(convKey());
      } catch (e) { /* full or disabled: memory only */ }
    },
  };
  const openKey = () => 'kbw:open:' + cfg.base;
  const remember = (open) => {
    const s = cfg.persist !== 'none' && area('sessionStorage');
    try {
      if (s && open) s.setItem(openKey(), '1');
      else if (s) s.removeItem(openKey());
    } catch (e) { /* not remembered */ }
  };

  // The shadow root: the host page's CSS does not reach in, ours does not leak out.
  const host = d.createElement('kb-widget');
  const shadow = host.attachShadow({ mode: 'open' });
  const root = d.createElement('div');
  const launcher = d.createElement('button');
  const label = d.createElement('span');
  const icon = (cls, path) => {
    const svg = d.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const p = d.createElementNS('http://www.w3.org/2000/svg', 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', cls);
    p.setAttribute('d', path);
    svg.append(p);
    return svg;
  };
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.append(icon('icon-chat', 'M4 5h16v11H9l-5 4z M8 9.5h8 M8 12.5h5'),
    icon('icon-close', 'M6 6l12 12M18 6L6 18'), label);
  root.append(launcher);

  // Adopted sheets apply in order: widget.css first, the adjustments after it.
  const sheet = (css, first) => {
    if (!('adoptedStyleSheets' in shadow)) return null;
    const s = new CSSStyleSheet();
    const others = shadow.adoptedStyleSheets;
    s.replaceSync(css);
    shadow.adoptedStyleSheets = first ? [s, ...others] : [...others, s];
    return s;
  };
  const styles = async () => {
    try { // a constructable stylesheet needs no style-src in the host page's CSP
      const response = await fetch(asset('widget.css'), { credentials: 'omit' });
      if (response.ok && sheet(await response.text(), true)) return;
    } catch (e) { /* no fetch allowed here: a <link> may be */ }
    await new Promise((resolve, reject) => {
      const link = d.createElement('link');
      link.rel = 'stylesheet';
      link.href = asset('widget.css');
      link.onload = resolve;
      link.onerror = reject;
      shadow.prepend(link);
    });
  };

  const apply = () => {
    root.className = 'kbw kbw-' + (cfg.position === 'left' ? 'left' : 'right') + (isOpen ? ' open' : '');
    label.textContent = cfg.title;
    if (colorSheet) colorSheet.replaceSync('');
    if (cfg.color && w.CSS && CSS.supports('color', cfg.color)) {
      colorSheet = colorSheet || sheet('');
      if (colorSheet) colorSheet.replaceSync('.kbw{--kbw-brand:' + cfg.color + '}');
    }
  };

  const failed = () => {
    const note = d.createElement('p');
    note.className = 'alert';
    note.setAttribute('role', 'alert');
    note.textContent = 'The help chat could not be loaded. Check your connection and try again.';
    root.append(note);
    setTimeout(() => note.remove(), 8000);
  };

  const rendered = new Promise((resolve) => {
    const body = () => (d.body ? resolve() : d.addEventListener('DOMContentLoaded', resolve));
    styles().then(body, (e) => {
      console.error('KBWidget: could not load ' + asset('widget.css') +
        '; does the page\'s Content-Security-Policy allow ' + src.origin + '?', e);
    });
  }).then(() => {
    apply();
    shadow.append(root);
    d.body.append(host);
    ready = true;
    emit('ready', {});
    const s = cfg.persist !== 'none' && area('sessionStorage');
    if (s && s.getItem(openKey())) open(false); // it was open on the previous page
  });

  // The chat panel, loaded on first use.
  const policy = w.trustedTypes && (() => {
    try {
      return w.trustedTypes.createPolicy('kb-widget', { createScriptURL: (u) => u });
    } catch (e) {
      return null;
    }
  })();
  const app = () => {
    loading = loading || rendered.then(() => new Promise((resolve, reject) => {
      const tag = d.createElement('script');
      const url = asset('widget-app.js');
      tag.async = true;
      tag.src = policy ? policy.createScriptURL(url) : url;
      tag.onload = () => (factory ? resolve(factory(context)) : reject(new Error('no app')));
      tag.onerror = reject;
      launcher.setAttribute('aria-busy', 'true');
      d.head.append(tag);
    })).finally(() => launcher.removeAttribute('aria-busy'));
    loading.catch(() => { loading = null; failed(); });
    return loading;
  };
  const context = {
    cfg, root, shadow, launcher, emit, store, sheet,
    changed(open) {
      isOpen = open;
      launcher.setAttribute('aria-expanded', String(open));
      apply();
      remember(open);
      emit(open ? 'open' : 'close', {});
    },
  };

  // Focus moves into the panel only in answer to the user, never on a page's own call.
  const activated = () => !!(navigator.userActivation && navigator.userActivation.isActive);
  const open = (focus) => app().then((a) => { a.open(focus); return a; });
  const close = () => (loading ? loading.then((a) => a.close()) : Promise.resolve());
  const quiet = () => {}; // a failure is shown by failed()
  launcher.addEventListener('click', () => (isOpen ? close() : open(true)).catch(quiet));

  // Links and buttons of the host page: data-kb-open, data-kb-ask="…", data-kb-procedure="slug".
  d.addEventListener('click', (event) => {
    const t = event.target.closest && event.target.closest('[data-kb-open],[data-kb-ask],[data-kb-procedure]');
    if (!t) return;
    event.preventDefault();
    (t.hasAttribute('data-kb-ask') ? methods.ask(t.getAttribute('data-kb-ask'))
      : t.hasAttribute('data-kb-procedure') ? methods.startProcedure(t.getAttribute('data-kb-procedure'))
        : methods.open()).catch(quiet);
  });

  const methods = {
    init(options) { configure(options); apply(); if (factory && loading) loading.then((a) => a.configure()); },
    open() { return open(activated()).then(quiet); },
    close,
    toggle() { return isOpen ? close() : methods.open(); },
    ask(text) {
      text = String(text || '').trim();
      return text ? open(activated()).then((a) => a.send({ text })) : Promise.resolve(false);
    },
    startProcedure(slug) {
      return open(activated()).then((a) => a.send({ text: '', option: 'start:' + slug }));
    },
    reset() { store.set(null); return loading ? loading.then((a) => a.reset()) : Promise.resolve(); },
    identify(token) { // a fresh token, or '' on sign-out (docs/widget.md)
      const was = convKey();
      cfg.identity = token ? String(token) : '';
      return was === convKey() || !loading ? Promise.resolve() : loading.then((a) => a.reset());
    },
    on,
    version: '1',
    _mount(make) { factory = make; },
  };
  const api = (name, ...args) => (typeof methods[name] === 'function' && name[0] !== '_'
    ? methods[name](...args) : console.warn('KBWidget: no command ' + name));
  Object.assign(api, methods);
  w.KBWidget = api;

  configure(script && script.dataset);
  configure(w.KBWidgetSettings);
  for (const args of (stub && stub.q) || []) api(...args); // calls made before we loaded
})();
