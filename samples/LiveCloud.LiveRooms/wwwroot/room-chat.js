// The room channel on the web page: GET /api/rooms/{id}/ws (chat, room state, viewer count, moderation), reconnecting
// with back-off. Nothing a viewer sends is rendered as HTML: every text goes through textContent.
'use strict';

window.RoomChat = (() => {
  const tokenKey = (id) => `livecloud.chat.${id}`;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  /**
   * Attaches the chat panel (#chat in the room view) to room `id`. The host connects with its host token; a viewer
   * connects as a listener, and with a chat token once it picks a nickname. `onState` gets every `state` frame.
   */
  function attach(id, { hostToken, onState } = {}) {
    const list = document.getElementById('chat-messages');
    const status = document.getElementById('chat-status');
    const viewers = document.getElementById('viewers');
    const join = document.getElementById('chat-join');
    const form = document.getElementById('chat-form');
    const text = document.getElementById('chat-text');
    const hostTools = document.getElementById('chat-host-tools');
    const closedBox = document.getElementById('chat-closed');
    const seen = new Set();
    let socket = null;
    let attempts = 0;
    let timer = null;
    let stopped = false;
    let me = null;

    function token() { return hostToken || sessionStorage.getItem(tokenKey(id)); }

    function show(message) {
      if (seen.has(message.id)) { return; }
      seen.add(message.id);
      const li = el('li');
      li.dataset.user = message.from.user;
      li.append(el('strong', message.from.nickname, message.from.host ? 'host' : undefined), el('span', ` ${message.text}`));
      if (hostToken && !message.from.host) {
        for (const [label, type] of [['Mute', 'mute'], ['Remove', 'kick']]) {
          const button = el('button', label, 'small');
          button.type = 'button';
          button.onclick = () => send({ type, user: message.from.user });
          li.append(button);
        }
      }
      list.append(li);
      while (list.children.length > 200) { list.firstElementChild.remove(); }
      list.scrollTop = list.scrollHeight;
    }

    function send(frame) {
      if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
      status.textContent = 'Not connected; reconnecting…';
      return false;
    }

    function connect() {
      if (stopped) { return; }
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const t = token();
      socket = new WebSocket(`${scheme}://${location.host}/api/rooms/${id}/ws${t ? `?access_token=${encodeURIComponent(t)}` : ''}`);
      socket.onopen = () => { attempts = 0; status.textContent = ''; };
      socket.onmessage = (event) => {
        const { type, data } = JSON.parse(event.data);
        switch (type) {
          case 'hello':
            me = data;
            join.hidden = Boolean(data.user);
            form.hidden = !data.user;
            hostTools.hidden = !data.host;
            closedBox.checked = data.chatClosed;
            if (data.chatClosed) { status.textContent = 'The host closed chat.'; }
            break;
          case 'history': data.messages.forEach(show); break;
          case 'chat': show(data); break;
          case 'state': if (onState) { onState(data); } break;
          case 'viewers': viewers.textContent = `· ${data.count} watching`; break;
          case 'moderation':
            if (data.action === 'chat-closed') {
              closedBox.checked = data.closed;
              status.textContent = data.closed ? 'The host closed chat.' : 'Chat is open again.';
            } else if (me && data.user === me.user) {
              status.textContent = data.action === 'mute' ? 'The host muted you.' : data.action === 'unmute' ? 'The host unmuted you.' : 'The host removed you from the chat.';
            }
            break;
          case 'error': status.textContent = data.message; break;
          default: break;
        }
      };
      socket.onclose = (event) => {
        socket = null;
        if (stopped) { return; }
        if (event.code === 4403 || event.code === 4404) {
          status.textContent = event.reason || 'Disconnected.';
          form.hidden = true;
          join.hidden = true;
          return;
        }
        if (event.code === 4401 && !hostToken) {
          sessionStorage.removeItem(tokenKey(id));
          status.textContent = 'Your chat pass expired: pick your nickname again.';
        } else if (event.reason) {
          status.textContent = `Disconnected (${event.reason}); reconnecting…`;
        } else {
          status.textContent = 'Disconnected; reconnecting…';
        }
        // Back-off: 1, 2, 4 … 30 s, with jitter so a restarted server is not hit by every page at once.
        const delay = Math.min(30000, 1000 * 2 ** attempts++) * (event.code === 4429 ? 3 : 1);
        timer = setTimeout(connect, delay / 2 + Math.random() * delay / 2);
      };
    }

    join.onsubmit = async (event) => {
      event.preventDefault();
      try {
        const answer = await fetch(`/api/rooms/${id}/chat-token`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ nickname: document.getElementById('chat-nickname').value }),
        });
        const body = await answer.json();
        if (!answer.ok) {
          status.textContent = body.errors ? Object.values(body.errors).flat().join(' ') : (body.detail || body.title);
          return;
        }
        sessionStorage.setItem(tokenKey(id), body.token);
        if (socket) { socket.onclose = null; socket.close(); socket = null; }
        connect();
      } catch (e) {
        status.textContent = e.message;
      }
    };
    form.onsubmit = (event) => {
      event.preventDefault();
      if (text.value.trim() && send({ type: 'chat', text: text.value })) { text.value = ''; }
    };
    closedBox.onchange = () => send({ type: 'chat-closed', closed: closedBox.checked });

    connect();
    return {
      close() {
        stopped = true;
        clearTimeout(timer);
        if (socket) { socket.close(1000, 'page left'); }
      },
    };
  }

  return { attach };
})();
