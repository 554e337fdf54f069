// The dashboard: one page over the JSON API and the live feed, paged on the server so 10,000
// clients cost the browser one page of rows. Countdowns run here, from expiry instants and the
// offset between this browser's clock and the refresher's. No framework, no CDN, no innerHTML.
import { drawChart } from './chart.js';

const PAGE_SIZE = 50;
const TOKEN_KEY = 'wechat-refresher-token';
const HEALTHS = ['expired', 'stuck', 'retrying', 'paused', 'waiting', 'ok'];

const $ = (id) => document.getElementById(id);
const state = {
  offsetMs: 0, // refresher clock minus browser clock
  offset: 0,
  total: 0,
  items: new Map(), // appid -> view, for the page shown
  order: [],
  selected: null,
  summary: null,
  highlight: () => {},
  refetchTimer: null,
  lastFetchMs: 0,
  socket: null,
};

// The token arrives once in the URL fragment (never sent to the server), then lives in this tab only.
function readToken() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}
let token = readToken();

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-') || k === 'title' || k === 'type' || k === 'aria-label')
      node.setAttribute(k, String(v));
    else node[k] = v;
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  return node;
}

function refresherNow() {
  return Date.now() + state.offsetMs;
}

function setClock(nowMs) {
  state.offsetMs = nowMs - Date.now();
}

function fmtDuration(ms) {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const hh = Math.floor(s / 3600);
  s -= hh * 3600;
  const mm = Math.floor(s / 60);
  s -= mm * 60;
  const text =
    d > 0
      ? `${d}d ${hh}h`
      : hh > 0
        ? `${hh}h ${String(mm).padStart(2, '0')}m`
        : `${mm}:${String(s).padStart(2, '0')}`;
  return neg ? `-${text}` : text;
}

function fmtAgo(ms) {
  if (!ms) return 'never';
  return `${fmtDuration(refresherNow() - ms)} ago`;
}

function notice(text, isError = false) {
  const n = $('notice');
  n.textContent = text;
  n.className = isError ? 'error' : '';
  n.hidden = !text;
  if (text)
    setTimeout(() => {
      if (n.textContent === text) n.hidden = true;
    }, 6000);
}

async function api(path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  if (init.method === 'POST') {
    headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
  }
  const res = await fetch(path, {
    ...init,
    headers,
    body: init.method === 'POST' ? JSON.stringify(init.body ?? {}) : undefined,
  });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

// ---- the list -------------------------------------------------------------------------------

function query() {
  const p = new URLSearchParams({
    offset: String(state.offset),
    limit: String(PAGE_SIZE),
    sort: $('sort').value,
  });
  if ($('q').value.trim()) p.set('q', $('q').value.trim());
  if ($('health').value) p.set('health', $('health').value);
  if ($('kind').value) p.set('kind', $('kind').value);
  return `api/clients?${p}`;
}

async function loadPage() {
  state.lastFetchMs = Date.now();
  const { status, body } = await api(query());
  if (status !== 200) return notice(body.message ?? `list failed (${status})`, true);
  setClock(body.nowMs);
  state.total = body.total;
  if (state.offset > 0 && state.offset >= body.total) {
    state.offset = Math.max(0, Math.floor((body.total - 1) / PAGE_SIZE) * PAGE_SIZE);
    return loadPage();
  }
  state.items = new Map(body.items.map((v) => [v.appid, v]));
  state.order = body.items.map((v) => v.appid);
  renderSummary(body.summary);
  renderRows();
  watch();
  if (state.selected && !state.items.has(state.selected)) loadDetail(state.selected);
}

// A changed page refetches at most every 2 s; single rows are patched in between.
function scheduleRefetch() {
  if (state.refetchTimer) return;
  const wait = Math.max(0, 2000 - (Date.now() - state.lastFetchMs));
  state.refetchTimer = setTimeout(() => {
    state.refetchTimer = null;
    loadPage();
  }, wait);
}

function renderSummary(summary) {
  state.summary = summary;
  const nav = $('summary');
  const current = $('health').value;
  const all = summary.clients + summary.components;
  const chips = [
    h('button', { type: 'button', class: current === '' ? 'active' : '', 'data-health': '' }, `all ${all}`),
  ];
  for (const k of HEALTHS) {
    const n = summary.byHealth[k] ?? 0;
    if (n === 0 && k !== 'ok') continue;
    chips.push(
      h(
        'button',
        { type: 'button', class: `h-${k}${current === k ? ' active' : ''}`, 'data-health': k },
        `${k} ${n}`,
      ),
    );
  }
  nav.replaceChildren(...chips);
}

// A WeCom agent's keys read `#1000002 access_token`; a client's own keys just their name.
function keyLabel(view, k) {
  if (k.storeId === view.appid) return k.storeKey;
  if (k.storeId.startsWith(`${view.appid}_`))
    return `#${k.storeId.slice(view.appid.length + 1)} ${k.storeKey}`;
  return `${k.storeId} ${k.storeKey}`;
}

function keyList(view) {
  return h(
    'ul',
    { class: 'keys' },
    view.keys.map((k) =>
      h(
        'li',
        { 'data-store-key': k.storeKey, 'data-store-id': k.storeId },
        h('span', { class: 'key-name', title: `${k.storeId} ${k.storeKey}` }, keyLabel(view, k)),
        h('span', { class: 'countdown', 'data-expires-at': k.expiresAtSec }, ''),
      ),
    ),
  );
}

function errorCell(view) {
  const failing = view.keys.find((k) => k.lastError);
  const err = failing?.lastError ?? null;
  if (!err)
    return h(
      'td',
      { 'data-field': 'last-error' },
      view.lastError ? h('span', { class: 'muted', title: view.lastError.message }, 'recovered') : '',
    );
  return h(
    'td',
    { 'data-field': 'last-error' },
    h(
      'span',
      { class: 'error-text', title: `${err.message}\n${err.advice}` },
      `${failing.storeKey}: ${err.message}`,
    ),
  );
}

function row(view) {
  const paused = view.paused || view.state === 'paused';
  return h(
    'tr',
    {
      'data-appid': view.appid,
      'data-health': view.health,
      class: `h-${view.health}${state.selected === view.appid ? ' selected' : ''}`,
    },
    h(
      'td',
      {},
      h('span', { class: 'appid' }, view.appid),
      view.componentAppid ? h('span', { class: 'sub' }, `via ${view.componentAppid}`) : null,
    ),
    h('td', {}, view.kind.replace('_', ' ')),
    h(
      'td',
      {},
      h('span', { class: `badge s-${view.state}`, 'data-field': 'state' }, view.state),
      view.health !== 'ok' ? h('span', { class: 'sub' }, view.health) : null,
    ),
    h('td', {}, keyList(view)),
    h('td', { class: 'num', 'data-field': 'refreshes' }, String(view.refreshes)),
    h('td', { class: 'num', 'data-field': 'failures' }, String(view.failures)),
    h(
      'td',
      { class: 'actions' },
      h('button', { type: 'button', 'data-action': 'refresh', title: 'refresh every key now' }, 'Refresh'),
      ' ',
      paused
        ? h('button', { type: 'button', 'data-action': 'resume' }, 'Resume')
        : h('button', { type: 'button', 'data-action': 'pause' }, 'Pause'),
    ),
    errorCell(view),
  );
}

function renderRows() {
  const body = $('clients').tBodies[0];
  body.replaceChildren(...state.order.map((appid) => row(state.items.get(appid))));
  const from = state.total === 0 ? 0 : state.offset + 1;
  $('range').textContent =
    `${from}–${Math.min(state.offset + PAGE_SIZE, state.total)} of ${state.total.toLocaleString()}`;
  $('prev').disabled = state.offset === 0;
  $('next').disabled = state.offset + PAGE_SIZE >= state.total;
  tick();
}

function patchRow(view) {
  if (!state.items.has(view.appid)) return;
  state.items.set(view.appid, view);
  const old = document.querySelector(`tr[data-appid="${CSS.escape(view.appid)}"]`);
  if (old) old.replaceWith(row(view));
  if (state.selected === view.appid) renderDetail(view);
  tick();
}

// ---- countdowns -----------------------------------------------------------------------------

function tick() {
  const now = refresherNow();
  for (const node of document.querySelectorAll('[data-expires-at]')) {
    const at = Number(node.dataset.expiresAt);
    if (!at) {
      node.textContent = 'none';
      node.className = 'countdown gone';
      continue;
    }
    const left = at * 1000 - now;
    node.textContent = left <= 0 ? 'expired' : fmtDuration(left);
    node.className = `countdown${left <= 0 ? ' gone' : left < 300_000 ? ' soon' : ''}`;
  }
  for (const node of document.querySelectorAll('[data-due-at]')) {
    const at = Number(node.dataset.dueAt);
    node.textContent = at ? `in ${fmtDuration(Math.max(0, at - now))}` : 'not scheduled';
  }
}

// ---- the detail pane ------------------------------------------------------------------------

async function loadDetail(appid) {
  const { status, body } = await api(`api/clients/${encodeURIComponent(appid)}`);
  if (status === 404) {
    state.selected = null;
    $('detail').replaceChildren(h('p', { class: 'muted' }, `${appid} is gone.`));
    state.highlight(null);
    return;
  }
  if (status === 200) {
    setClock(body.nowMs);
    renderDetail(body.client, body.options);
  }
}

function renderDetail(view, options) {
  const failing = view.keys.find((k) => k.lastError);
  const err = failing?.lastError;
  const dl = h(
    'dl',
    {},
    h('dt', {}, 'kind'),
    h('dd', {}, view.kind),
    h('dt', {}, 'state'),
    h(
      'dd',
      { 'data-field': 'detail-state' },
      `${view.state}${view.paused ? ' (paused)' : ''} · ${view.health}`,
    ),
    h('dt', {}, 'refreshes'),
    h('dd', { 'data-field': 'detail-refreshes' }, String(view.refreshes)),
    h('dt', {}, 'failures'),
    h('dd', {}, String(view.failures)),
    h('dt', {}, 'last refresh'),
    h('dd', {}, fmtAgo(view.lastRefreshAtMs)),
    view.componentAppid ? [h('dt', {}, 'component'), h('dd', {}, view.componentAppid)] : null,
    view.authorizers ? [h('dt', {}, 'authorizers'), h('dd', {}, view.authorizers.join(', '))] : null,
    options
      ? [
          h('dt', {}, 'settings'),
          h(
            'dd',
            {},
            `refresh ${options.refreshBeforeExpired}s before expiry, retry every ${options.refreshRetryInterval}s`,
          ),
        ]
      : null,
  );
  const keys = h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'key'),
        h('th', {}, 'expires in'),
        h('th', {}, 'next refresh'),
        h('th', { class: 'num' }, 'fails'),
      ),
    ),
    h(
      'tbody',
      {},
      view.keys.map((k) =>
        h(
          'tr',
          {},
          h('td', {}, h('span', { class: 'appid' }, k.storeId), h('span', { class: 'sub' }, k.storeKey)),
          h('td', {}, h('span', { class: 'countdown', 'data-expires-at': k.expiresAtSec })),
          h('td', {}, h('span', { 'data-due-at': k.nextRefreshAtMs ?? 0 })),
          h('td', { class: 'num' }, String(k.failures)),
        ),
      ),
    ),
  );
  const advice = err
    ? h(
        'div',
        { class: 'advice' },
        h('strong', {}, `${failing.storeKey}: ${err.message}`),
        h('div', {}, err.advice),
      )
    : null;
  const paused = view.paused || view.state === 'paused';
  const buttons = h(
    'p',
    { class: 'actions', 'data-appid': view.appid },
    h('button', { type: 'button', 'data-action': 'refresh' }, 'Refresh now'),
    ' ',
    h('button', { type: 'button', 'data-action': paused ? 'resume' : 'pause' }, paused ? 'Resume' : 'Pause'),
  );
  $('detail').replaceChildren(
    ...[h('h3', { class: 'appid' }, view.appid), dl, advice, keys, buttons].filter(Boolean),
  );
  state.highlight(view.state);
  tick();
}

// ---- control --------------------------------------------------------------------------------

async function control(appid, action, button) {
  if (!token) {
    askToken();
    if (!token) return;
  }
  if (button) button.disabled = true;
  try {
    const { status, body } = await api(`api/clients/${encodeURIComponent(appid)}/${action}`, {
      method: 'POST',
    });
    if (status === 401) {
      notice('The server refused the token: set the one the server printed.', true);
      return;
    }
    if (status !== 200) {
      notice(body.message ?? `${action} ${appid}: ${body.error ?? status}`, true);
      return;
    }
    setClock(body.nowMs);
    if (body.client) patchRow(body.client);
    notice(`${action} ${appid}: ${body.result}`);
  } finally {
    if (button) button.disabled = false;
  }
}

function askToken() {
  const value = prompt('Bearer token for control (printed by the server at start):', token);
  if (value !== null) {
    token = value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    renderTokenButton();
  }
}

function renderTokenButton() {
  $('token-button').textContent = token ? 'Token set' : 'Set token';
}

// ---- live feed ------------------------------------------------------------------------------

function watch() {
  const ws = state.socket;
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'watch', appids: state.order }));
}

function connect() {
  const url = new URL('api/live', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  state.socket = ws;
  ws.onopen = () => {
    $('live').textContent = 'live';
    $('live').className = 'live on';
    watch();
  };
  ws.onclose = () => {
    $('live').textContent = 'offline';
    $('live').className = 'live off';
    setTimeout(connect, 2000);
  };
  ws.onmessage = (message) => {
    const msg = JSON.parse(message.data);
    setClock(msg.nowMs);
    if (msg.summary) renderSummary(msg.summary);
    if (msg.type !== 'update') return;
    for (const view of msg.clients) patchRow(view);
    if (msg.listChanged || msg.removed.length > 0 || ($('sort').value !== 'added' && msg.changed > 0))
      scheduleRefetch();
    renderEvents(msg.events);
  };
}

function renderEvents(events) {
  const list = $('events');
  for (const e of events) {
    const at = new Date(e.atMs - state.offsetMs).toLocaleTimeString();
    const what =
      e.type === 'refreshed'
        ? `${e.appid} ${e.storeKey} ${e.source === 'push' ? 'pushed' : e.source === 'restore' ? 'restored' : 'refreshed'}`
        : e.type === 'refresh_failed'
          ? `${e.appid} ${e.storeKey} failed: ${e.message}`
          : `${e.appid ?? e.storeId ?? ''} ${e.type.replace('_', ' ')}${e.message ? `: ${e.message}` : ''}`;
    list.prepend(h('li', { class: `e-${e.type}` }, `${at} ${what}`));
  }
  while (list.children.length > 100) list.lastChild.remove();
}

// ---- wiring ---------------------------------------------------------------------------------

function onFilter() {
  state.offset = 0;
  loadPage();
}

async function main() {
  renderTokenButton();
  let debounce;
  $('q').addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(onFilter, 250);
  });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  for (const id of ['health', 'kind', 'sort']) $(id).addEventListener('change', onFilter);
  $('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    loadPage();
  });
  $('next').addEventListener('click', () => {
    state.offset += PAGE_SIZE;
    loadPage();
  });
  $('summary').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-health]');
    if (!b) return;
    $('health').value = b.dataset.health;
    onFilter();
  });
  $('token-button').addEventListener('click', askToken);
  $('start-monitor').addEventListener('click', async (e) => {
    if (!token) askToken();
    e.target.disabled = true;
    const { status, body } = await api('api/start-monitor', { method: 'POST' });
    e.target.disabled = false;
    notice(
      status === 200
        ? 'monitoring started'
        : status === 401
          ? 'The server refused the token.'
          : (body.message ?? 'failed'),
      status !== 200,
    );
    loadPage();
  });
  document.body.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]');
    const holder = e.target.closest('[data-appid]');
    if (button && holder && button.dataset.action !== 'start-monitor') {
      e.stopPropagation();
      control(holder.dataset.appid, button.dataset.action, button);
      return;
    }
    const tr = e.target.closest('tbody tr[data-appid]');
    if (tr?.closest('#clients')) {
      state.selected = tr.dataset.appid;
      for (const other of document.querySelectorAll('#clients tr.selected'))
        other.classList.remove('selected');
      tr.classList.add('selected');
      const view = state.items.get(state.selected);
      if (view) renderDetail(view);
      loadDetail(state.selected);
    }
  });
  const { status, body } = await api('api/chart');
  if (status === 200) {
    state.highlight = drawChart($('chart'), body);
    $('chart-global').textContent =
      `In any state: ${body.global.map((g) => (g.to ? `${g.event} → ${g.to.split('.').pop()}` : g.event)).join(', ')}.`;
  }
  await loadPage();
  connect();
  setInterval(tick, 1000);
}

main();
