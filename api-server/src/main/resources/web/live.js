// The /ws feed: one WebSocket for the whole UI, reconnecting with backoff. Pages subscribe to
// events; after a reconnect every subscriber hears a synthetic "reconnected" event and reloads,
// since events sent while the socket was down are lost.
import {token} from './api.js';

const listeners = new Set();
let socket = null;
let retry = 0;
let stateListener = () => {};

export function onLiveEvent(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function onLiveState(fn) {
  stateListener = fn;
}

function emit(message) {
  for (const fn of [...listeners]) {
    try { fn(message); } catch (e) { console.error('live event handler failed', e); }
  }
}

export function connect() {
  if (socket) { socket.onclose = null; socket.close(); }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token() ? '?access_token=' + encodeURIComponent(token()) : '';
  stateListener('connecting');
  const ws = new WebSocket(scheme + '//' + location.host + '/ws' + query);
  socket = ws;
  let opened = false;
  ws.onopen = () => {
    opened = true;
    const again = retry > 0;
    retry = 0;
    stateListener('live');
    if (again) emit({event: 'reconnected'});
  };
  ws.onmessage = e => {
    let message;
    try { message = JSON.parse(e.data); } catch (err) { return; }
    message.event = message.event || message.type;
    emit(message);
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    stateListener(opened ? 'offline' : 'offline');
    retry = Math.min(retry + 1, 6);
    setTimeout(connect, 500 * 2 ** retry);
  };
}
