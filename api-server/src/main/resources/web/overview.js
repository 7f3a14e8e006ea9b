// Overview: platform health, counts, and what needs attention first (failing, then stale).
import {api} from './api.js';
import {badge, clear, debounce, errorBox, h, num, table, when} from './dom.js';

const STALE_DAYS = 1;

export function render(main) {
  const body = h('div.page-body', h('p.muted', 'Loading…'));
  main.append(h('h1', 'Overview'), body);
  const load = async () => {
    try {
      const [health, sources, conns, pipes, models] = await Promise.all([
        api.get('/api/health/platform'),
        api.get('/api/sources'),
        api.get('/api/connections'),
        api.get('/api/pipelines'),
        api.get('/api/dbt/models'),
      ]);
      clear(body, view(health, sources, conns, pipes, models.models || []));
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  load();
  const reload = debounce(load, 300);
  return {onEvent: reload};
}

function stale(source) {
  return source.freshness && source.freshness.days_old !== null && source.freshness.days_old >= STALE_DAYS;
}

function attention(sources, pipes, models) {
  const items = [];
  for (const s of sources) {
    if (s.status === 'failed') items.push({rank: 0, kind: 'Source', name: s.name, href: '#/sources/' + encodeURIComponent(s.name), state: 'failed', text: 'Last sync failed'});
  }
  for (const p of pipes) {
    for (const [type, c] of Object.entries(p.conditions || {})) {
      if (c && c.status === 'False') items.push({rank: type === 'AnomalyFree' ? 1 : 0, kind: 'Pipeline', name: p.display_name, href: '#/pipelines/' + encodeURIComponent(p.name), state: 'failed', text: type + ': ' + (c.message || c.reason)});
    }
  }
  for (const m of models) {
    if (m.status === 'error') items.push({rank: 0, kind: 'Model', name: m.name, href: '#/models', state: 'error', text: m.error || 'Last run failed'});
  }
  for (const s of sources) {
    if (s.status !== 'failed' && stale(s)) items.push({rank: 2, kind: 'Source', name: s.name, href: '#/sources/' + encodeURIComponent(s.name), state: 'stale', text: s.freshness.days_old + ' day(s) since the last sync'});
  }
  return items.sort((a, b) => a.rank - b.rank);
}

function view(health, sources, conns, pipes, models) {
  const running = conns.filter(c => c.last_job && ['running', 'pending', 'incomplete'].includes(c.last_job.status)).length;
  const cards = h('ul.cards', {'aria-label': 'Counts'},
    card('Health', badge(health.status)),
    card('Sources', num(sources.length), `${num(health.enabled_sources)} enabled`),
    card('Rows landed', num(sources.reduce((n, s) => n + (s.row_count || 0), 0))),
    card('Connections', num(conns.length), `${running} syncing now`),
    card('Pipelines', num(pipes.length)),
    card('Models', num(models.length)));
  const issues = [...(health.critical_issues || []).map(t => ({level: 'critical', t})), ...(health.warnings || []).map(t => ({level: 'warning', t}))];
  const todo = attention(sources, pipes, models);
  const order = s => s.status === 'failed' ? 0 : stale(s) ? 1 : s.status === 'syncing' ? 2 : 3;
  const sorted = [...sources].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
  return [
    cards,
    h('section', {'aria-labelledby': 'attention-title'},
      h('h2', {id: 'attention-title'}, 'Needs attention'),
      issues.length || todo.length
        ? h('ul.attention',
            issues.map(i => h('li', badge(i.level), ' ', i.t)),
            todo.map(i => h('li', badge(i.state), ' ', i.kind, ' ', h('a', {href: i.href}, i.name), ': ', i.text)))
        : h('p.all-good', 'Everything is healthy and fresh.')),
    h('section', {'aria-labelledby': 'ov-sources'},
      h('h2', {id: 'ov-sources'}, 'Sources'),
      table(['Source', 'Status', 'Rows', 'Last sync'], sorted.map(s =>
        h('tr', {dataset: {source: s.name}},
          h('td', h('a', {href: '#/sources/' + encodeURIComponent(s.name)}, s.name)),
          h('td', badge(stale(s) && s.status === 'synced' ? 'stale' : s.status)),
          h('td.num', num(s.row_count)),
          h('td', when(s.last_sync)))))),
    h('section', {'aria-labelledby': 'ov-db'},
      h('h2', {id: 'ov-db'}, 'Warehouse'),
      h('p', `${num(health.database && health.database.tables)} tables, ${health.database ? health.database.size_mb : '—'} MB; disk ${health.disk ? health.disk.status : '—'}${health.disk && health.disk.free_gb !== null ? ` (${health.disk.free_gb} GB free)` : ''}.`)),
  ];
}

function card(label, value, note) {
  return h('li.card', h('span.card-label', label), h('span.card-value', value), note ? h('span.card-note', note) : null);
}
