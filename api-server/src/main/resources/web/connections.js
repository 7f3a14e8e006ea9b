// Connections and jobs: schedule and next run, streams and sync modes; the job list with live
// status, progress, rows, bytes and duration; cancel; a job's log lines.
import {api} from './api.js';
import {badge, bytes, clear, debounce, duration, errorBox, h, num, table, toast, when} from './dom.js';
import {logList} from './sources.js';

const ACTIVE = ['pending', 'running', 'incomplete'];

function scheduleText(s) {
  if (!s || !s.scheduleType || s.scheduleType === 'manual') return 'Manual';
  if (s.scheduleType === 'basic') return 'Every ' + String(s.basicTiming || '').replace(/_/g, ' ').replace(/^every /i, '');
  return 'Cron ' + s.cronExpression + (s.timeZone ? ' (' + s.timeZone + ')' : '');
}

export function render(main) {
  const connBox = h('div', h('p.muted', 'Loading…'));
  const jobBox = h('div', h('p.muted', 'Loading…'));
  const logBox = h('div.job-logs', {'aria-live': 'polite'});
  const fullRefresh = h('input', {type: 'checkbox', id: 'cx-full-refresh'});
  main.append(
    h('h1', 'Connections & jobs'),
    h('section', {'aria-labelledby': 'cx-title'}, h('h2', {id: 'cx-title'}, 'Connections'),
      h('div.toolbar', h('label.check', {for: 'cx-full-refresh'}, fullRefresh, ' Full refresh when syncing now')), connBox),
    h('section', {'aria-labelledby': 'jobs-title'}, h('h2', {id: 'jobs-title'}, 'Jobs'), jobBox, logBox));

  let connections = [];
  let jobs = [];
  const progress = new Map();
  let ticker = null;

  const byUid = uid => connections.find(c => c.connection_id === uid);

  // Syncing a source syncs every connection that reads it (the platform family's meaning).
  function syncButton(c) {
    const b = h('button.small', {type: 'button', 'aria-label': 'Sync ' + c.display_name + ' now'}, 'Sync now');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { const r = await api.post('/api/sources/' + encodeURIComponent(c.source) + '/sync', {full_refresh: fullRefresh.checked}); toast(r.message); }
      catch (e) { toast(e.message, 'bad'); }
      finally { b.disabled = false; }
    });
    return b;
  }

  function renderConnections() {
    clear(connBox, table(['Connection', 'Source → destination', 'Schedule', 'Next run', 'Streams', 'Last job', ''], connections.map(c =>
      h('tr', {dataset: {connection: c.name}},
        h('td', c.display_name, c.suspended ? h('span.muted', ' (suspended)') : null),
        h('td', h('a', {href: '#/sources/' + encodeURIComponent(c.source)}, c.source), ' → ', c.destination),
        h('td', scheduleText(c.schedule)),
        h('td', c.suspended ? '—' : when(c.next_sync_at)),
        h('td', h('ul.plain', (c.streams || []).map(s => h('li', h('code', s.name), ' ', h('span.muted', (s.syncMode || '').replace(/_/g, ' ')))))),
        h('td', c.last_job ? [badge(c.last_job.status), ' ', when(c.last_job.endedAt || c.last_job.startedAt)] : h('span.muted', 'never run')),
        h('td', syncButton(c)))), 'Connections'));
  }

  function jobRow(j) {
    const c = byUid(j.connectionId);
    const live = progress.get(j.jobId);
    const active = ACTIVE.includes(j.status);
    const start = j.startTime ? Number(j.startTime) : null;
    const end = active ? Date.now() : Number(j.lastUpdatedAt);
    const rows = live && active ? live.rows : j.rowsSynced;
    const moved = live && active ? live.bytes : j.bytesSynced;
    const cancel = h('button.secondary.small', {type: 'button', 'aria-label': 'Cancel job ' + j.jobId}, 'Cancel');
    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      try { await api.del('/api/public/v1/jobs/' + j.jobId); toast('Job ' + j.jobId + ' cancelled'); load(); }
      catch (e) { toast(e.message, 'bad'); cancel.disabled = false; }
    });
    const logs = h('button.secondary.small', {type: 'button', 'aria-label': 'Logs of job ' + j.jobId}, 'Logs');
    logs.addEventListener('click', () => showLogs(j, c));
    return h('tr', {dataset: {job: j.jobId, status: j.status}},
      h('td', j.jobId),
      h('td', c ? c.display_name : h('span.muted', 'deleted connection')),
      h('td', j.jobType),
      h('td.job-status', badge(j.status)),
      h('td', live && active ? h('span.progress-text', live.stream + ': ' + num(live.rows) + ' rows') : '—'),
      h('td.num.job-rows', num(rows)),
      h('td.num', bytes(moved)),
      h('td', active && start ? {dataset: {runningSince: start}} : {}, start ? duration((end - start) / 1000) : '—'),
      h('td', when(j.createdAt)),
      h('td.actions', active ? cancel : null, logs));
  }

  function renderJobs() {
    clear(jobBox, table(['Job', 'Connection', 'Type', 'Status', 'Progress', 'Rows', 'Bytes', 'Duration', 'Created', ''], jobs.map(jobRow), 'Recent jobs, newest first'));
    const running = jobs.some(j => ACTIVE.includes(j.status));
    // A running job's duration ticks on screen; nothing is fetched for it, and only the duration
    // cells change, so keyboard focus on a row's buttons stays where it is.
    if (running && !ticker) ticker = setInterval(() => {
      jobBox.querySelectorAll('[data-running-since]').forEach(td => {
        td.textContent = duration((Date.now() - Number(td.dataset.runningSince)) / 1000);
      });
    }, 1000);
    if (!running && ticker) { clearInterval(ticker); ticker = null; }
  }

  async function showLogs(job, connection) {
    if (!connection) { clear(logBox, errorBox('The connection of job ' + job.jobId + ' no longer exists')); return; }
    clear(logBox, h('h3', 'Logs of job ' + job.jobId), h('p.muted', 'Loading…'));
    try {
      const entries = await api.get('/api/sources/' + encodeURIComponent(connection.source) + '/logs?limit=1000');
      clear(logBox, h('h3', {tabindex: '-1'}, 'Logs of job ' + job.jobId),
        logList(entries.filter(e => String(e.job_id) === String(job.jobId))));
      logBox.querySelector('h3').focus();
    } catch (e) {
      clear(logBox, errorBox(e));
    }
  }

  async function load() {
    try {
      const [c, j] = await Promise.all([api.get('/api/connections'), api.get('/api/public/v1/jobs?limit=25')]);
      connections = c;
      jobs = j.data || [];
      renderConnections();
      renderJobs();
    } catch (e) {
      clear(jobBox, errorBox(e));
    }
  }
  load();
  const reload = debounce(load, 250);
  return {
    onEvent(m) {
      if (m.event === 'sync_progress') {
        progress.set(String(m.job_id), m);
        if (!jobs.some(j => j.jobId === String(m.job_id))) reload();
        else renderJobs();
        return;
      }
      reload();
    },
    dispose() { if (ticker) clearInterval(ticker); },
  };
}
