// The shell: hash routing, the live indicator, the token dialog. Each page module exports
// render(main, params) and may return {onEvent(message), dispose()}.
import {setToken, token} from './api.js';
import {connect, onLiveEvent, onLiveState} from './live.js';
import {clear, errorBox, h} from './dom.js';
import * as overview from './overview.js';
import * as sources from './sources.js';
import * as connections from './connections.js';
import * as pipelines from './pipelines.js';
import * as connectors from './connectors.js';
import * as models from './models.js';

const PAGES = {overview, sources, connections, pipelines, connectors, models};
const TITLES = {
  overview: 'Overview', sources: 'Sources', connections: 'Connections & jobs',
  pipelines: 'Pipelines', connectors: 'Connectors', models: 'Models',
};

const main = document.getElementById('main');
let current = null;

function route() {
  const parts = (location.hash.replace(/^#\/?/, '') || 'overview').split('/').map(decodeURIComponent);
  const name = PAGES[parts[0]] ? parts[0] : 'overview';
  if (current && current.dispose) current.dispose();
  current = null;
  document.querySelectorAll('nav a[data-page]').forEach(a => {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  document.title = TITLES[name] + ' · Millrace';
  clear(main);
  main.dataset.page = name;
  try {
    current = PAGES[name].render(main, parts.slice(1)) || null;
  } catch (e) {
    clear(main, errorBox(e));
  }
  // Focus moves to the new page so keyboard and screen reader users land on it.
  if (document.activeElement && document.activeElement.closest('nav')) main.focus({preventScroll: true});
}

onLiveEvent(message => {
  if (current && current.onEvent) current.onEvent(message);
});

const live = document.getElementById('live');
onLiveState(state => {
  live.dataset.state = state;
  live.textContent = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline, retrying';
});

const dialog = document.getElementById('token-dialog');
const input = document.getElementById('token-input');
function askForToken(reason) {
  if (dialog.open) return;
  document.getElementById('token-reason').textContent = reason
    || 'When the API server has authentication on, paste a bearer token. It is kept in this browser only.';
  input.value = token();
  dialog.showModal();
  input.focus();
}
document.getElementById('token-button').addEventListener('click', () => askForToken());
dialog.addEventListener('close', () => {
  if (dialog.returnValue === 'save') setToken(input.value.trim());
  if (dialog.returnValue === 'clear') setToken('');
});
window.addEventListener('millrace:auth-required', e =>
  askForToken('The API asked for a token: ' + e.detail + '. Paste a bearer token to continue.'));
window.addEventListener('millrace:token-changed', () => { connect(); route(); });

window.addEventListener('hashchange', route);
route();
connect();
