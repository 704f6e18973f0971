// The room channel over wx.connectSocket: GET /api/rooms/{id}/ws (JSON text frames {type, data}: hello, state,
// history, chat, viewers, moderation, error, and whatever room changes the backend publishes). Reconnects with
// back-off (1, 2, 4 … 30 s, with jitter; 3× longer after "too many connections"); stops for good when the host
// removed this viewer (4403) or the room does not exist (4404); a rejected chat token (4401) is dropped and the
// socket comes back as a listener. The token goes in ?access_token= (the backend keeps it out of its logs).

function socketBase() {
  const app = typeof getApp === 'function' ? getApp() : null;
  const url = (app && app.globalData && app.globalData.baseUrl) || require('../config').baseUrl;
  return url.replace(/\/+$/, '').replace(/^http/i, 'ws');
}

/**
 * Opens the socket of room `roomId`. `token`: the host token or a viewer chat token (none: listen only).
 * `onFrame({type, data})` gets every frame; `onStatus({state, code, reason, delayMs})` gets 'open', 'reconnecting',
 * 'token-rejected' and 'closed'. Returns { send(frame) → bool, setToken(token), close() }.
 */
function openRoomSocket(roomId, { token, onFrame, onStatus, minDelayMs = 1000, maxDelayMs = 30000, random = Math.random } = {}) {
  let current = token || null;
  let task = null;
  let open = false;
  let generation = 0;
  let attempts = 0;
  let timer = null;
  let stopped = false;
  const status = (s) => { if (onStatus) onStatus(s); };

  function connect() {
    if (stopped) return;
    const mine = ++generation;
    const query = current ? `?access_token=${encodeURIComponent(current)}` : '';
    open = false;
    task = wx.connectSocket({ url: `${socketBase()}/api/rooms/${encodeURIComponent(roomId)}/ws${query}` });
    task.onOpen(() => {
      if (mine !== generation) return;
      open = true;
      attempts = 0;
      status({ state: 'open' });
    });
    task.onMessage((message) => {
      if (mine !== generation) return;
      let frame;
      try { frame = JSON.parse(message.data); } catch (_) { return; }
      if (onFrame) onFrame(frame);
    });
    task.onError(() => { /* onClose follows */ });
    task.onClose((event) => {
      if (mine !== generation) return;
      generation++; // this task is done: a repeated close event changes nothing
      open = false;
      task = null;
      if (stopped) return;
      const code = event && event.code;
      const reason = (event && event.reason) || '';
      if (code === 4403 || code === 4404) {
        stopped = true;
        status({ state: 'closed', code, reason });
        return;
      }
      if (code === 4401) {
        current = null;
        status({ state: 'token-rejected', code, reason });
      }
      const delayMs = Math.min(maxDelayMs, minDelayMs * 2 ** attempts++) * (code === 4429 ? 3 : 1);
      status({ state: 'reconnecting', code, reason, delayMs });
      timer = setTimeout(connect, delayMs / 2 + random() * delayMs / 2);
    });
  }

  function drop() {
    generation++;
    if (timer) clearTimeout(timer);
    timer = null;
    if (task) { try { task.close({ code: 1000, reason: 'bye' }); } catch (_) { /* already closed */ } }
    task = null;
    open = false;
  }

  connect();
  return {
    send(frame) {
      if (!task || !open) return false;
      task.send({ data: JSON.stringify(frame) });
      return true;
    },
    // A new identity (e.g. a chat token after picking a nickname): reconnect with it at once.
    setToken(next) {
      current = next || null;
      attempts = 0;
      drop();
      connect();
    },
    close() {
      stopped = true;
      drop();
    },
  };
}

module.exports = { openRoomSocket };
