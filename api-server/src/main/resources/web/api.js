// Calls to the Millrace API with the bearer token this browser keeps, if any.

const TOKEN_KEY = 'millrace.token';

export function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
  window.dispatchEvent(new CustomEvent('millrace:token-changed'));
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function headers(extra) {
  const h = Object.assign({Accept: 'application/json'}, extra || {});
  if (token()) h.Authorization = 'Bearer ' + token();
  return h;
}

/** The message of any family's error body: {detail}, {message} or {error}. */
function messageOf(status, body) {
  if (body && typeof body === 'object') {
    const m = body.detail || body.message || body.error;
    if (m) return typeof m === 'string' ? m : JSON.stringify(m);
  }
  return 'HTTP ' + status;
}

async function request(method, path, body) {
  const init = {method, headers: headers(body !== undefined ? {'Content-Type': 'application/json'} : {})};
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = text; }
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('millrace:auth-required', {detail: messageOf(401, parsed)}));
  }
  if (!response.ok && response.status !== 202) {
    throw new ApiError(response.status, messageOf(response.status, parsed), parsed);
  }
  return parsed;
}

export const api = {
  get: path => request('GET', path),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  del: path => request('DELETE', path),
  /** A multipart upload with progress (fetch cannot report upload progress; XHR can). */
  upload(path, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      if (token()) xhr.setRequestHeader('Authorization', 'Bearer ' + token());
      xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = xhr.responseText; }
        if (xhr.status >= 200 && xhr.status < 300) { onProgress(1); resolve(body); }
        else reject(new ApiError(xhr.status, messageOf(xhr.status, body), body));
      };
      xhr.onerror = () => reject(new ApiError(0, 'Upload failed: the server could not be reached'));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  },
};
