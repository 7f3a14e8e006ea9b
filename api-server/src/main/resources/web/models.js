// Models: the dependency graph (layered left to right by depth), status, run with cascade.
import {api} from './api.js';
import {badge, clear, debounce, errorBox, h, num, table, toast, when} from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = {success: '#16a34a', error: '#dc2626', running: '#d97706', not_run: '#6b7280'};

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** Depth of each model: 0 without known upstream models, else one more than its deepest one. */
function depths(models) {
  const byName = new Map(models.map(m => [m.name, m]));
  const depth = new Map();
  const visit = (name, seen) => {
    if (depth.has(name)) return depth.get(name);
    if (seen.has(name)) return 0;
    seen.add(name);
    const deps = (byName.get(name).depends_on || []).filter(d => byName.has(d));
    const d = deps.length ? 1 + Math.max(...deps.map(x => visit(x, seen))) : 0;
    depth.set(name, d);
    return d;
  };
  models.forEach(m => visit(m.name, new Set()));
  return depth;
}

function graph(models) {
  if (!models.length) return h('p.muted', 'No models yet.');
  const depth = depths(models);
  const layers = [];
  for (const m of models) (layers[depth.get(m.name)] ||= []).push(m);
  const W = 180, H = 44, GX = 70, GY = 18;
  const pos = new Map();
  layers.forEach((layer, x) => layer.forEach((m, y) => pos.set(m.name, {x: 10 + x * (W + GX), y: 10 + y * (H + GY)})));
  const width = 20 + layers.length * (W + GX) - GX;
  const height = 20 + Math.max(...layers.map(l => l.length)) * (H + GY) - GY;
  const svg = s('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Model dependency graph'});
  svg.append(s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto'}, s('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#64748b'}))));
  for (const m of models) {
    for (const d of m.depends_on || []) {
      if (!pos.has(d)) continue;
      const a = pos.get(d), b = pos.get(m.name);
      svg.append(s('path', {class: 'edge', d: `M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}`, fill: 'none', stroke: '#64748b', 'marker-end': 'url(#arrow)'}));
    }
  }
  for (const m of models) {
    const p = pos.get(m.name);
    const node = s('g', {class: 'node', 'data-model': m.name, transform: `translate(${p.x},${p.y})`},
      s('title', {}, `${m.name}: ${m.status}`),
      s('rect', {width: W, height: H, rx: 6, fill: '#fff', stroke: COLORS[m.status] || '#6b7280', 'stroke-width': 2}),
      s('text', {x: 10, y: 18, 'font-weight': 600}, m.name.length > 22 ? m.name.slice(0, 21) + '…' : m.name),
      s('text', {x: 10, y: 35, fill: COLORS[m.status] || '#6b7280', 'font-size': 12}, m.status.replace('_', ' ') + ' · ' + m.materialization));
    svg.append(node);
  }
  return h('div.graph', svg);
}

export function render(main) {
  const graphBox = h('div');
  const listBox = h('div', h('p.muted', 'Loading…'));
  const cascade = h('input', {type: 'checkbox', id: 'cascade', checked: true});
  main.append(h('h1', 'Models'),
    h('div.toolbar', h('label.check', {for: 'cascade'}, cascade, ' Cascade: also run the models downstream')),
    h('section', {'aria-labelledby': 'graph-title'}, h('h2', {id: 'graph-title'}, 'Dependencies'), graphBox),
    h('section', {'aria-labelledby': 'mlist-title'}, h('h2', {id: 'mlist-title'}, 'Models'), listBox));
  const load = async () => {
    try {
      const models = (await api.get('/api/dbt/models')).models;
      clear(graphBox, graph(models));
      clear(listBox, table(['Model', 'Materialization', 'Depends on', 'Status', 'Last run', 'Rows', ''], models.map(m => {
        const run = h('button.small', {type: 'button', 'aria-label': 'Run ' + m.name}, 'Run');
        run.disabled = m.status === 'running';
        run.addEventListener('click', async () => {
          run.disabled = true;
          try { const r = await api.post('/api/dbt/models/' + encodeURIComponent(m.name) + '/run?cascade=' + cascade.checked); toast(r.message); }
          catch (e) { toast(e.message, 'bad'); run.disabled = false; }
        });
        return h('tr', {dataset: {model: m.name}},
          h('td', m.name, m.description ? h('div.muted.small', m.description) : null),
          h('td', m.materialization), h('td', (m.depends_on || []).join(', ') || '—'),
          h('td', badge(m.status), m.error ? h('div.small.bad-text', m.error) : null),
          h('td', when(m.last_run)), h('td.num', num(m.row_count)), h('td', run));
      }), 'Models'));
    } catch (e) {
      clear(listBox, errorBox(e));
    }
  };
  load();
  const reload = debounce(load, 250);
  return {onEvent(m) { if (m.event && (m.event.startsWith('dbt_') || m.event === 'reconnected' || m.event === 'sync_completed')) reload(); }};
}
