// Connectors: the list, a connection test with its result, and the stored catalog browsed
// catalogs → schemas → tables → columns.
import {api} from './api.js';
import {badge, bytes, clear, errorBox, h, num, table, toast, when} from './dom.js';

const BASE = '/api/connector';

export function render(main, params) {
  return params[0] ? detail(main, params[0]) : list(main);
}

function list(main) {
  const body = h('div', h('p.muted', 'Loading…'));
  main.append(h('h1', 'Connectors'), body);
  api.get(BASE).then(connectors => {
    clear(body, table(['Connector', 'Engine', 'Host', 'Database', 'Active', 'Modified'], connectors.map(c =>
      h('tr', {dataset: {connector: c.connectorID}},
        h('td', h('a', {href: '#/connectors/' + c.connectorID}, c.connectorName)),
        h('td', c.connectorEngine), h('td', c.connectorHost ? c.connectorHost + (c.connectorPort ? ':' + c.connectorPort : '') : '—'),
        h('td', c.connectorDatabaseName || '—'), h('td', c.active ? 'yes' : 'no'), h('td', when(c.lastModifiedDate)))), 'Connectors'));
  }).catch(e => clear(body, errorBox(e)));
}

const display = name => name === '' ? '(default)' : name;

function detail(main, id) {
  const path = BASE + '/' + encodeURIComponent(id);
  const info = h('div');
  const result = h('div.test-result', {'aria-live': 'polite'});
  const browser = h('div.catalog', {role: 'group', 'aria-label': 'Catalog browser'});
  const testButton = h('button', {type: 'button', id: 'test-connector'}, 'Test connection');
  const refreshButton = h('button.secondary', {type: 'button'}, 'Refresh metadata');
  main.append(h('p.crumbs', h('a', {href: '#/connectors'}, 'Connectors'), ' / ', id), info,
    h('div.toolbar', testButton, refreshButton), result,
    h('section', {'aria-labelledby': 'cat-title'}, h('h2', {id: 'cat-title'}, 'Catalog'), browser));

  api.get(path).then(c => {
    clear(info, h('h1', c.connectorName), h('dl.facts',
      h('div', h('dt', 'Engine'), h('dd', c.connectorEngine)),
      h('div', h('dt', 'Host'), h('dd', c.connectorHost || '—')),
      h('div', h('dt', 'Database'), h('dd', c.connectorDatabaseName || '—')),
      h('div', h('dt', 'User'), h('dd', c.connectorUsername || '—'))));
  }).catch(e => clear(info, errorBox(e)));

  testButton.addEventListener('click', async () => {
    testButton.disabled = true;
    clear(result, h('p.muted', 'Testing… (the operator runs the test; this can take up to 30 s)'));
    try {
      const r = await api.post(path + '/test', {});
      clear(result, r.status === 'pending'
        ? h('p', badge('pending'), ' ', r.message || 'The test is still running; try again shortly.')
        : h('p', badge(r.success ? 'success' : 'failed'), ' ', r.message, r.error ? ': ' + r.error : '',
            r.details && r.details.testDuration ? h('span.muted', ' (' + r.details.testDuration + ')') : null));
    } catch (e) {
      clear(result, errorBox(e));
    } finally {
      testButton.disabled = false;
    }
  });
  refreshButton.addEventListener('click', async () => {
    try {
      const r = await api.post(path + '/refresh', {});
      toast(`${r.message}: ${r.catalogCount} catalog(s), ${r.schemaCount} schema(s), ${r.tableCount} table(s)`);
    } catch (e) { toast(e.message, 'bad'); }
  });

  // Four columns; choosing in one fills the next and clears the ones after it.
  const columns = ['Catalogs', 'Schemas', 'Tables', 'Columns'].map(t => h('div.level', h('h3', t), h('ul.choices')));
  clear(browser, columns);
  const fill = (level, items, label, onChoose) => {
    for (let i = level; i < columns.length; i++) clear(columns[i].querySelector('ul'));
    const ul = columns[level].querySelector('ul');
    if (!items.length) { ul.append(h('li.muted', 'None')); return; }
    for (const item of items) {
      if (!onChoose) { ul.append(h('li', label(item))); continue; }
      const b = h('button.choice', {type: 'button'}, label(item));
      b.addEventListener('click', () => {
        ul.querySelectorAll('button').forEach(x => x.removeAttribute('aria-pressed'));
        b.setAttribute('aria-pressed', 'true');
        onChoose(item);
      });
      ul.append(h('li', b));
    }
  };
  const q = params => Object.entries(params).map(([k, v]) => k + '=' + encodeURIComponent(v)).join('&');
  const failed = e => toast(e.message, 'bad');
  api.get(path + '/catalogs?limit=500').then(catalogs => fill(0, catalogs, c => display(c.catalogName), c => {
    api.get(path + '/schemas?' + q({catalog: c.catalogName, limit: 500})).then(schemas => fill(1, schemas, s => display(s.schemaName), s => {
      api.get(path + '/tables?' + q({catalog: c.catalogName, schema: s.schemaName, limit: 500})).then(tables => fill(2, tables,
        t => [t.tableName, h('span.muted', ` ${t.tableType || ''} ${t.rowCount === null ? '' : num(t.rowCount) + ' rows'}`)], t => {
          api.get(path + '/columns?' + q({catalog: c.catalogName, schema: s.schemaName, table: t.tableName, limit: 500})).then(cols => fill(3, cols,
            col => [h('code', col.columnName), ' ', h('span.muted', col.dataType + (col.isNullable ? '' : ' not null') + (col.isPrimaryKey ? ' · primary key' : ''))])).catch(failed);
        })).catch(failed);
    })).catch(failed);
  })).catch(e => clear(browser, errorBox(e)));
}
