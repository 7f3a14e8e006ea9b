// Small DOM and formatting helpers shared by the pages (no framework: pages re-render their parts).

/** h('tag.class', {attr: value, onclick: fn}, ...children): builds an element. */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function table(headers, rows, caption) {
  return h('div.table-wrap',
    h('table', caption ? h('caption', caption) : null,
      h('thead', h('tr', headers.map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', rows.length ? rows : h('tr', h('td.empty', {colspan: headers.length}, 'Nothing here yet.')))));
}

const STATUS_CLASS = {
  synced: 'ok', success: 'ok', succeeded: 'ok', healthy: 'ok', True: 'ok', active: 'ok',
  syncing: 'busy', running: 'busy', pending: 'busy', queued: 'busy', incomplete: 'busy', loading: 'busy',
  failed: 'bad', error: 'bad', critical: 'bad', False: 'bad', cancelled: 'warn',
  warning: 'warn', stale: 'warn', not_synced: 'muted', not_run: 'muted', empty: 'muted', unknown: 'muted',
};

export function badge(status, label) {
  const s = status === null || status === undefined ? 'unknown' : String(status);
  return h('span.badge.' + (STATUS_CLASS[s] || 'muted'), {dataset: {status: s}}, label || s.replace(/_/g, ' '));
}

export function num(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Number(n), i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
}

/** An ISO time or epoch milliseconds as "3 min ago" / "in 2 h", with the exact time as a tooltip. */
export function when(value) {
  if (value === null || value === undefined || value === '') return h('span.muted', '—');
  const t = typeof value === 'number' || /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (isNaN(t)) return String(value);
  return h('time', {datetime: t.toISOString(), title: t.toISOString()}, relative(t));
}

export function relative(t) {
  const diff = (t.getTime() - Date.now()) / 1000;
  const abs = Math.abs(diff);
  const text = abs < 45 ? 'just now'
    : abs < 3600 ? Math.round(abs / 60) + ' min'
    : abs < 86400 ? Math.round(abs / 3600) + ' h'
    : Math.round(abs / 86400) + ' d';
  if (text === 'just now') return text;
  return diff < 0 ? text + ' ago' : 'in ' + text;
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div.toast.' + kind, message);
  box.append(el);
  setTimeout(() => el.remove(), 6000);
}

/** Runs fn at most once per `ms`, the last call winning: many live events make one refresh. */
export function debounce(fn, ms = 250) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function errorBox(error) {
  return h('div.error', {role: 'alert'}, String(error && error.message ? error.message : error));
}
