// A minimal stand-in for the WeChat runtime, enough to run page logic under Node: App/getApp/Page and the
// wx.* calls the pages make. wx.request is real HTTP (Node's fetch), so pages talk to a real backend.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function installWx({ baseUrl, request } = {}) {
  const storage = new Map();
  const calls = [];
  const requests = [];
  const sockets = [];
  let app = null;
  let lastPage = null;

  global.App = (definition) => { app = definition; };
  global.getApp = () => app;
  global.Page = (definition) => { lastPage = definition; };

  global.wx = {
    request: request || ((options) => fetchRequest(options, requests)),
    getStorageSync: (key) => (storage.has(key) ? JSON.parse(storage.get(key)) : ''),
    setStorageSync: (key, value) => { storage.set(key, JSON.stringify(value)); },
    createLivePusherContext: () => ({
      start: (o = {}) => { calls.push(['pusher.start']); if (o.success) o.success({ errMsg: 'start:ok' }); },
      stop: () => calls.push(['pusher.stop']),
    }),
    setClipboardData: (o) => calls.push(['setClipboardData', o.data]),
    navigateTo: (o) => calls.push(['navigateTo', o.url]),
    showToast: (o) => calls.push(['showToast', o.title]),
    connectSocket: (o) => connectSocket(o, sockets),
  };

  // app.js sets globalData.baseUrl from config.js; tests point it at the backend under test.
  loadFresh('app.js');
  if (baseUrl) app.globalData.baseUrl = baseUrl;

  return {
    calls,
    requests,
    sockets,
    app: () => app,
    // Loads a page module (fresh) and returns an instance with WeChat's data/setData semantics.
    loadPage(route) {
      lastPage = null;
      loadFresh(`${route}.js`);
      if (!lastPage) throw new Error(`${route}.js did not call Page()`);
      return instantiate(lastPage);
    },
  };
}

function loadFresh(relative) {
  const file = path.join(ROOT, relative);
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(ROOT) && !key.includes(`${path.sep}tests${path.sep}`)) delete require.cache[key];
  }
  return require(file);
}

function instantiate(definition) {
  const page = {};
  for (const [key, value] of Object.entries(definition)) {
    if (key !== 'data') page[key] = value;
  }
  page.data = structuredClone(definition.data || {});
  page.setData = function setData(patch, callback) {
    for (const [key, value] of Object.entries(patch)) setPath(this.data, key, value);
    if (callback) callback();
  };
  return page;
}

// setData keys may be paths: 'a.b', 'list[2].name'.
function setPath(target, key, value) {
  const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined || node[part] === null) node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]] = structuredClone(value);
}

// wx.request semantics: success() for every HTTP answer (any status), fail() only when no answer came.
function fetchRequest(options, requests) {
  const method = (options.method || 'GET').toUpperCase();
  const header = { ...(options.header || {}) };
  let url = options.url;
  let body;
  if (method === 'GET' && options.data && typeof options.data === 'object') {
    const q = new URLSearchParams(options.data).toString();
    if (q) url += (url.includes('?') ? '&' : '?') + q;
  } else if (options.data !== undefined) {
    body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
  }

  requests.push({ method, url, header, body });
  fetch(url, { method, headers: header, body })
    .then(async (res) => {
      const text = await res.text();
      let data = text;
      if (options.dataType !== 'text' && text) {
        try { data = JSON.parse(text); } catch (_) { data = text; }
      }
      const headers = {};
      res.headers.forEach((v, k) => { headers[k] = v; });
      const result = { statusCode: res.status, data, header: headers, errMsg: 'request:ok' };
      if (options.success) options.success(result);
      if (options.complete) options.complete(result);
    })
    .catch((err) => {
      const result = { errMsg: `request:fail ${err.cause ? err.cause.code || err.cause.message : err.message}` };
      if (options.fail) options.fail(result);
      if (options.complete) options.complete(result);
    });
  return { abort() {} };
}

// wx.connectSocket over a real WebSocket (Node 22+, or Node 20 with --experimental-websocket): a SocketTask with
// onOpen/onMessage/onClose/onError, send({data}) and close({code, reason}).
function connectSocket(options, sockets) {
  if (typeof WebSocket !== 'function') throw new Error('No WebSocket in this Node (use Node 22+, or node --experimental-websocket).');
  const ws = new WebSocket(options.url);
  const handlers = { open: [], message: [], close: [], error: [] };
  ws.onopen = () => handlers.open.forEach((h) => h({ header: {} }));
  ws.onmessage = (e) => handlers.message.forEach((h) => h({ data: e.data }));
  ws.onerror = () => handlers.error.forEach((h) => h({ errMsg: 'socket error' }));
  ws.onclose = (e) => handlers.close.forEach((h) => h({ code: e.code, reason: e.reason }));
  sockets.push({ url: options.url, ws });
  return {
    onOpen: (h) => handlers.open.push(h),
    onMessage: (h) => handlers.message.push(h),
    onClose: (h) => handlers.close.push(h),
    onError: (h) => handlers.error.push(h),
    send({ data, success, fail } = {}) {
      try { ws.send(data); if (success) success({ errMsg: 'sendSocketMessage:ok' }); } catch (err) { if (fail) fail({ errMsg: err.message }); }
    },
    close({ code, reason } = {}) { try { ws.close(code, reason); } catch (_) { ws.close(); } },
  };
}

module.exports = { installWx };
