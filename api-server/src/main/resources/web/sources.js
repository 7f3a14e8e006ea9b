// Sources: the list, and one source's page: sync now (optionally full refresh), CSV upload by drag
// and drop or file picker with progress, the file list with load status, tables and logs.
import {api} from './api.js';
import {badge, bytes, clear, debounce, errorBox, h, num, table, toast, when} from './dom.js';

export function render(main, params) {
  return params[0] ? detail(main, params[0]) : list(main);
}

function list(main) {
  const body = h('div', h('p.muted', 'Loading…'));
  main.append(h('h1', 'Sources'), body);
  const load = async () => {
    try {
      const sources = await api.get('/api/sources');
      clear(body, table(['Source', 'Type', 'Status', 'Rows', 'Freshness', 'Last sync'], sources.map(s =>
        h('tr', {dataset: {source: s.name}},
          h('td', h('a', {href: '#/sources/' + encodeURIComponent(s.name)}, s.name)),
          h('td', s.type),
          h('td', badge(s.status), s.enabled ? null : h('span.muted', ' (disabled)')),
          h('td.num', num(s.row_count)),
          h('td', s.freshness.days_old === null ? '—' : s.freshness.days_old + ' d old'),
          h('td', when(s.last_sync)))), 'Sources'));
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  load();
  return {onEvent: debounce(load, 300)};
}

function detail(main, name) {
  const path = '/api/sources/' + encodeURIComponent(name);
  const header = h('div.source-header');
  const status = h('div');
  const files = h('div');
  const tables = h('div');
  const history = h('div');
  const logs = h('div');
  const fullRefresh = h('input', {type: 'checkbox', id: 'full-refresh'});
  const syncButton = h('button', {type: 'button', id: 'sync-now'}, 'Sync now');
  const progress = h('div.progress', {hidden: true});
  let source = null;

  syncButton.addEventListener('click', async () => {
    syncButton.disabled = true;
    try {
      const r = await api.post(path + '/sync', {full_refresh: fullRefresh.checked});
      toast(r.message || 'Sync started');
    } catch (e) {
      toast(e.message, 'bad');
    } finally {
      syncButton.disabled = false;
    }
  });

  const upload = uploader(path, progress, () => loadFiles());

  main.append(
    h('p.crumbs', h('a', {href: '#/sources'}, 'Sources'), ' / ', name),
    h('h1', name),
    header,
    h('div.toolbar',
      syncButton,
      h('label.check', {for: 'full-refresh'}, fullRefresh, ' Full refresh (re-read everything)')),
    status,
    h('section', {'aria-labelledby': 'files-title'}, h('h2', {id: 'files-title'}, 'Files'), upload, progress, files),
    h('section', {'aria-labelledby': 'tables-title'}, h('h2', {id: 'tables-title'}, 'Tables'), tables),
    h('section', {'aria-labelledby': 'history-title'}, h('h2', {id: 'history-title'}, 'Sync history'), history),
    h('section', {'aria-labelledby': 'logs-title'}, h('h2', {id: 'logs-title'}, 'Logs'), logs));

  async function loadSource() {
    try {
      const [sources, details] = await Promise.all([api.get('/api/sources'), api.get(path + '/details')]);
      source = sources.find(s => s.name === name);
      if (!source) { clear(status, errorBox('Source ' + name + ' not found')); return; }
      clear(header,
        h('dl.facts',
          fact('Status', badge(source.status), {id: 'source-status'}),
          fact('Type', source.type),
          fact('Rows', num(source.row_count), {id: 'source-rows'}),
          fact('Freshness', source.freshness.days_old === null ? '—' : source.freshness.days_old + ' d old'),
          fact('Last sync', when(source.last_sync))));
      clear(tables, table(['Schema', 'Table', 'Rows'], (details.tables || []).map(t =>
        h('tr', h('td', t.schema), h('td', t.name), h('td.num', num(t.row_count))))));
      clear(history, table(['When', 'Status', 'Rows', 'Duration', 'Full refresh'], (details.history || []).slice(0, 20).map(j =>
        h('tr', h('td', when(j.timestamp)), h('td', badge(j.status)), h('td.num', num(j.rows_processed)),
          h('td', j.duration_seconds === null ? '—' : j.duration_seconds + 's'), h('td', j.full_refresh ? 'yes' : 'no')))));
      upload.hidden = source.type !== 'csv';
    } catch (e) {
      clear(status, errorBox(e));
    }
  }

  async function loadFiles() {
    if (source && source.type !== 'csv') { clear(files, h('p.muted', 'Only CSV sources have files.')); return; }
    try {
      const r = await api.get(path + '/csv-files');
      clear(files,
        h('p.muted', `${r.files_loaded} of ${r.total_files} file(s) loaded from ${r.directory} (${r.file_pattern})`),
        table(['File', 'Size', 'Rows loaded', 'Status'], r.files.map(f =>
          h('tr', {dataset: {file: f.filename}},
            h('td', f.filename), h('td.num', bytes(f.size)), h('td.num.rows', num(f.rows_loaded)), h('td', badge(f.status)))), 'CSV files'));
    } catch (e) {
      clear(files, errorBox(e));
    }
  }

  async function loadLogs() {
    try {
      const entries = await api.get(path + '/logs?limit=50');
      clear(logs, logList(entries));
    } catch (e) {
      clear(logs, errorBox(e));
    }
  }

  const loadAll = async () => { await loadSource(); await Promise.all([loadFiles(), loadLogs()]); };
  loadAll();
  const reload = debounce(loadAll, 250);
  return {
    onEvent(m) {
      if (m.event === 'sync_progress' && m.source === name) {
        progress.hidden = false;
        clear(progress, h('span', `Syncing ${m.stream}: ${num(m.rows)} rows, ${bytes(m.bytes)} read (job ${m.job_id})`));
        return;
      }
      if (m.event === 'sync_completed' || m.event === 'sync_failed') progress.hidden = true;
      if (!m.source || m.source === name || m.event === 'reconnected') reload();
    },
  };
}

function fact(label, value, attrs) {
  return h('div', h('dt', label), h('dd', attrs || {}, value));
}

export function logList(entries) {
  if (!entries.length) return h('p.muted', 'No log lines yet.');
  return h('ol.logs', entries.map(e =>
    h('li.log.' + e.level.toLowerCase(), h('time', {datetime: e.timestamp}, e.timestamp.replace('T', ' ').replace('Z', '')), ' ',
      h('span.level', e.level), ' ', e.message)));
}

/** A drop zone that is also a labelled file picker, so it works with a keyboard too. */
function uploader(path, progress, done) {
  const input = h('input', {type: 'file', id: 'csv-file', accept: '.csv,text/csv', multiple: true});
  const sync = h('input', {type: 'checkbox', id: 'csv-sync', checked: true});
  const zone = h('div.dropzone', {id: 'csv-drop'},
    h('p', 'Drop CSV files here, or ', h('label.linkish', {for: 'csv-file'}, 'choose files'), input),
    h('label.check', {for: 'csv-sync'}, sync, ' Sync after upload'));
  const send = async fileList => {
    for (const file of fileList) {
      progress.hidden = false;
      const bar = h('progress', {max: 100, value: 0, 'aria-label': 'Uploading ' + file.name});
      clear(progress, h('span', 'Uploading ' + file.name + ' '), bar);
      try {
        const r = await api.upload(path + '/upload-csv?trigger_sync=' + sync.checked, file, f => { bar.value = Math.round(f * 100); });
        toast(r.message || 'Uploaded ' + file.name);
      } catch (e) {
        toast(e.message, 'bad');
      }
    }
    progress.hidden = true;
    input.value = '';
    done();
  };
  input.addEventListener('change', () => send([...input.files]));
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    zone.classList.remove('over');
    send([...e.dataTransfer.files]);
  });
  return zone;
}
