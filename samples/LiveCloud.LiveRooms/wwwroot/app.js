// The LiveCloud live-rooms web page: room list and "start a room" form, and a player that follows the room's
// state over Server-Sent Events. hls.js plays HLS, mpegts.js plays HTTP-FLV where the provider offers it.
'use strict';

const view = document.getElementById('view');
const hostKey = (id) => `livecloud.host.${id}`;
let cleanup = [];

function onLeave(fn) { cleanup.push(fn); }

function route() {
  cleanup.forEach((fn) => { try { fn(); } catch (e) { console.warn(e); } });
  cleanup = [];
  const m = location.hash.match(/^#\/room\/([0-9a-f]{16})$/);
  if (m) { showRoom(m[1]); } else { showList(); }
}

async function api(path, init) {
  const response = await fetch(path, init);
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const errors = body && body.errors ? Object.values(body.errors).flat().join(' ') : '';
    const error = new Error(errors || (body && (body.detail || body.title)) || `HTTP ${response.status}`);
    error.qrCodeUrl = body && body.qrCodeUrl; // WeChat: the anchor's real-name verification
    throw error;
  }
  return body;
}

function stateLabel(state) {
  return state === 'live' ? 'live' : state === 'reconnecting' ? 'reconnecting' : state === 'ended' ? 'ended' : 'idle';
}

// ---- room list and "start a room" ----------------------------------------------------------------------------

function showList() {
  view.replaceChildren(document.getElementById('list-view').content.cloneNode(true));
  let page = 1;
  const pageSize = 10;

  async function loadRooms() {
    try {
      const data = await api(`/api/rooms?page=${page}&pageSize=${pageSize}`);
      const list = document.getElementById('rooms');
      if (!list) { return; }
      list.replaceChildren(...data.items.map((room) => {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.href = `#/room/${room.id}`;
        link.textContent = room.title;
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.dataset.state = room.state;
        badge.textContent = stateLabel(room.state);
        li.append(link, badge);
        return li;
      }));
      document.getElementById('rooms-empty').hidden = data.total > 0;
      document.getElementById('page').textContent = `page ${data.page} of ${Math.max(1, Math.ceil(data.total / pageSize))}`;
      document.getElementById('prev').disabled = page <= 1;
      document.getElementById('next').disabled = page * pageSize >= data.total;
    } catch (e) {
      console.warn('rooms', e);
    }
  }

  document.getElementById('prev').onclick = () => { page = Math.max(1, page - 1); loadRooms(); };
  document.getElementById('next').onclick = () => { page += 1; loadRooms(); };
  document.getElementById('create-form').onsubmit = async (event) => {
    event.preventDefault();
    const error = document.getElementById('create-error');
    error.hidden = true;
    document.getElementById('verify').hidden = true;
    const body = { title: document.getElementById('title').value };
    if (document.getElementById('plugin').checked) {
      // A WeChat live room: WeChat wants the start 10 minutes to 6 months ahead and 30 minutes to 24 hours of show.
      const time = (id) => { const v = document.getElementById(id).value; return v ? new Date(v).toISOString() : null; };
      Object.assign(body, {
        kind: 'plugin',
        startTime: time('plugin-start'),
        endTime: time('plugin-end'),
        anchorName: document.getElementById('anchor-name').value,
        anchorWechat: document.getElementById('anchor-wechat').value,
      });
    }
    try {
      const room = await api('/api/rooms', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      localStorage.setItem(hostKey(room.id), room.hostToken);
      const push = room.push || { url: '(WeChat gave no push address yet: ask again from the room page)', expiresAt: null };
      document.getElementById('push-url').textContent = push.url;
      document.getElementById('obs-server').textContent = push.server || '(not split for this protocol)';
      document.getElementById('obs-key').textContent = push.streamKey || '';
      document.getElementById('push-expires').textContent = push.expiresAt ? new Date(push.expiresAt).toLocaleString() : '';
      const qr = qrcode(0, 'L');
      qr.addData(push.url);
      qr.make();
      document.getElementById('qr').innerHTML = qr.createSvgTag({ cellSize: 3, margin: 2, scalable: true });
      const pluginPath = document.getElementById('plugin-path');
      pluginPath.hidden = !room.plugin;
      pluginPath.textContent = room.plugin ? `Viewers open it in the mini-program: ${room.plugin.path}` : '';
      document.getElementById('open-player').href = `#/room/${room.id}`;
      document.getElementById('created').hidden = false;
      loadRooms();
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      if (e.qrCodeUrl) {
        document.getElementById('verify-qr').href = e.qrCodeUrl;
        document.getElementById('verify').hidden = false;
      }
    }
  };

  loadRooms();
  const timer = setInterval(loadRooms, 5000);
  onLeave(() => clearInterval(timer));
}

// ---- the player -------------------------------------------------------------------------------------------------

function showRoom(id) {
  view.replaceChildren(document.getElementById('room-view').content.cloneNode(true));
  const video = document.getElementById('video');
  const badge = document.getElementById('state');
  const stateText = document.getElementById('state-text');
  const note = document.getElementById('player-note');
  let player = null;          // { destroy(), kind, url }
  let hlsPrefix = null;       // the freshest signed HLS folder, e.g. http://host/hls/{sig}/{e}/
  let refreshTimer = null;
  let retryTimer = null;
  let state = null;
  let wasLive = false;
  let closed = false;
  let plugin = null;          // a WeChat plugin room: { roomId, path }; it plays only in WeChat's live player plugin
  const seen = window.__roomStates = []; // the states this page was told, in order (diagnostics)

  function stopPlayer() {
    clearTimeout(refreshTimer);
    clearTimeout(retryTimer);
    if (player) { player.destroy(); player = null; }
    video.removeAttribute('src');
    video.load();
  }

  // Play URLs are signed with a short expiry: fetch fresh ones well before they expire.
  function scheduleRefresh(expiresAt) {
    clearTimeout(refreshTimer);
    const ms = Math.max(10000, (new Date(expiresAt).getTime() - Date.now()) * 0.7);
    refreshTimer = setTimeout(async () => {
      try {
        const room = await api(`/api/rooms/${id}?client=web`);
        if (room.state !== 'live' || !player) { return; }
        const hls = room.play.find((p) => p.protocol === 'hls');
        if (player.kind === 'hls' && hls && signedHlsPrefix(hls.url)) {
          hlsPrefix = signedHlsPrefix(hls.url); // hls.js requests from now on carry the new signature
        } else {
          startPlayer(room); // other URL forms: reload with the fresh URL
          return;
        }
        scheduleRefresh(room.expiresAt);
      } catch (e) {
        console.warn('refresh', e);
        scheduleRefresh(new Date(Date.now() + 20000).toISOString());
      }
    }, ms);
  }

  function signedHlsPrefix(url) {
    const m = url.match(/^(.*\/hls\/[A-Za-z0-9_-]{43}\/\d+\/)[^/]+$/);
    return m ? m[1] : null;
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => { if (onAir(state) && !closed) { play(); } }, 1500);
  }

  function startPlayer(room) {
    if (player) { player.destroy(); player = null; }
    for (const option of room.play) {
      if (option.protocol === 'hls' && window.Hls && Hls.isSupported()) {
        hlsPrefix = signedHlsPrefix(option.url);
        const hls = new Hls({
          liveSyncDurationCount: 2,
          xhrSetup(xhr, url) {
            // Playlists and segments sit under the signed folder: ask with the freshest signature.
            const m = url.match(/^.*\/hls\/[A-Za-z0-9_-]{43}\/\d+\/([^/?]+)$/);
            if (m && hlsPrefix) { xhr.open('GET', hlsPrefix + m[1], true); }
          },
        });
        hls.on(Hls.Events.ERROR, (_, data) => {
          if (data.fatal) { note.textContent = `HLS: ${data.details}; retrying…`; retryLater(); }
        });
        hls.loadSource(option.url);
        hls.attachMedia(video);
        player = { kind: 'hls', url: option.url, destroy: () => hls.destroy() };
        break;
      }
      if (option.protocol === 'hls' && video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = option.url;
        player = { kind: 'native', url: option.url, destroy: () => {} };
        break;
      }
      if (option.protocol === 'flv' && window.mpegts && mpegts.getFeatureList().mseLivePlayback) {
        const flv = mpegts.createPlayer({ type: 'flv', isLive: true, url: option.url }, { enableStashBuffer: false });
        flv.on(mpegts.Events.ERROR, () => { note.textContent = 'FLV: connection lost; retrying…'; retryLater(); });
        flv.attachMediaElement(video);
        flv.load();
        player = { kind: 'flv', url: option.url, destroy: () => { flv.pause(); flv.unload(); flv.detachMediaElement(); flv.destroy(); } };
        break;
      }
    }
    if (!player) { note.textContent = 'This browser cannot play any of the offered protocols.'; return; }
    note.textContent = `Playing ${player.kind.toUpperCase()}`;
    video.play().catch(() => { /* autoplay waits for data */ });
    scheduleRefresh(room.expiresAt);
  }

  async function play() {
    try {
      const room = await api(`/api/rooms/${id}?client=web`);
      if (onAir(room.state) && !closed) { startPlayer(room); }
    } catch (e) {
      note.textContent = e.message;
      retryLater();
    }
  }

  function applyState(next) {
    const previous = state;
    state = next.state;
    badge.dataset.state = state;
    badge.textContent = stateLabel(state);
    if (state === 'live') {
      wasLive = true;
      stateText.textContent = 'On air.';
      if (plugin) {
        note.textContent = `A WeChat live room: it plays only in the mini-program, at ${plugin.path}`;
      } else if (previous !== 'live' && !(previous === 'reconnecting' && player)) { play(); }
    } else if (state === 'reconnecting') {
      // The host's push dropped; the show goes on if it returns within the reconnect window (maybe on another cloud):
      // the player keeps trying, and a host on this page gets a fresh push URL.
      stateText.textContent = 'The host\'s connection dropped; reconnecting…';
      if (!player && !plugin) { play(); }
      if (previous !== 'reconnecting') { freshPushUrl(); }
    } else {
      stopPlayer();
      stateText.textContent = state === 'ended' ? 'The room has ended.'
        : wasLive ? 'The broadcast has ended. Waiting for the host to go live again…'
          : 'Waiting for the host to go live…';
      note.textContent = '';
    }
    document.getElementById('host').hidden = !localStorage.getItem(hostKey(id)) || state === 'ended';
  }

  async function loadRecordings() {
    try {
      const data = await api(`/api/rooms/${id}/recordings`);
      const list = document.getElementById('recordings');
      if (!list) { return; }
      list.replaceChildren(...data.items.map((rec) => {
        const li = document.createElement('li');
        const label = document.createElement('span');
        const size = rec.sizeBytes == null ? '' : `, ${(rec.sizeBytes / 1048576).toFixed(1)} MB`;
        label.textContent = `${new Date(rec.startTime).toLocaleString()} — ${rec.durationSeconds.toFixed(0)} s${size}`;
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Play';
        button.onclick = () => playRecording(rec);
        const link = document.createElement('a');
        link.href = rec.playbackUrl;
        link.textContent = rec.format;
        li.append(label, link, button);
        return li;
      }));
      document.getElementById('recordings-empty').hidden = data.items.length > 0;
    } catch (e) {
      console.warn('recordings', e);
    }
  }

  function playRecording(rec) {
    stopPlayer();
    if (rec.format === 'flv' && window.mpegts && mpegts.getFeatureList().mseLivePlayback) {
      const flv = mpegts.createPlayer({ type: 'flv', isLive: false, url: rec.playbackUrl });
      flv.attachMediaElement(video);
      flv.load();
      player = { kind: 'recording', destroy: () => { flv.unload(); flv.detachMediaElement(); flv.destroy(); } };
    } else if (rec.format === 'm3u8' && window.Hls && Hls.isSupported()) {
      const hls = new Hls();
      hls.loadSource(rec.playbackUrl);
      hls.attachMedia(video);
      player = { kind: 'recording', destroy: () => hls.destroy() };
    } else {
      video.src = rec.playbackUrl;
    }
    note.textContent = 'Playing a recording';
    video.play().catch(() => {});
  }

  document.getElementById('end').onclick = async () => {
    try {
      await api(`/api/rooms/${id}/end`, { method: 'POST', headers: { Authorization: `Bearer ${localStorage.getItem(hostKey(id))}` } });
    } catch (e) {
      note.textContent = e.message;
    }
  };
  document.getElementById('new-push').onclick = async () => {
    try {
      const push = await api(`/api/rooms/${id}/push`, { method: 'POST', headers: { Authorization: `Bearer ${localStorage.getItem(hostKey(id))}` } });
      document.getElementById('host-push').textContent = push.url;
    } catch (e) {
      note.textContent = e.message;
    }
  };

  const loaded = api(`/api/rooms/${id}?client=web`).then((room) => {
    document.getElementById('room-title').textContent = room.title;
    document.title = `${room.title} · LiveCloud`;
    plugin = room.plugin || null;
    if (plugin) { video.hidden = true; note.textContent = `A WeChat live room: it plays only in the mini-program, at ${plugin.path}`; }
  }).catch((e) => { stateText.textContent = e.message; });

  const events = new EventSource(`/api/rooms/${id}/events`);
  events.addEventListener('state', (e) => { const next = JSON.parse(e.data); seen.push(next.state); loaded.then(() => applyState(next)); });
  followServing(events);
  // Still live, but no picture: the anchor's push dropped (WeChat ends the room after 15 minutes of it) or it is paused.
  events.addEventListener('alert', (e) => {
    const alert = JSON.parse(e.data).alert;
    stateText.textContent = alert === 'paused' ? 'Paused by the operator.' : 'The host\'s connection dropped; reconnecting…';
  });
  events.addEventListener('recording', () => loadRecordings());
  loadRecordings();

  // "Also stream to" targets: shown redacted (the key never comes back), their state live from SSE `relay` events.
  const relays = new Map();
  function showRelays() {
    const list = document.getElementById('relays');
    if (!list) { return; }
    list.replaceChildren(...[...relays.values()].map((relay) => {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = `${relay.target} — ${relay.status}${relay.reason ? ` (${relay.reason})` : ''}`;
      li.append(label);
      li.dataset.status = relay.status;
      if (localStorage.getItem(hostKey(id)) && ['starting', 'running', 'retrying'].includes(relay.status)) {
        const stop = document.createElement('button');
        stop.type = 'button';
        stop.textContent = 'Stop';
        stop.onclick = () => api(`/api/rooms/${id}/relays/${relay.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${localStorage.getItem(hostKey(id))}` } })
          .catch((e) => { note.textContent = e.message; });
        li.append(stop);
      }
      return li;
    }));
  }
  api(`/api/rooms/${id}/relays`).then((data) => { data.items.forEach((r) => relays.set(r.id, r)); showRelays(); }).catch((e) => console.warn('relays', e));
  events.addEventListener('relay', (e) => { const r = JSON.parse(e.data); relays.set(r.id, r); showRelays(); });
  document.getElementById('relay-form').onsubmit = async (event) => {
    event.preventDefault();
    try {
      const relay = await api(`/api/rooms/${id}/relays`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${localStorage.getItem(hostKey(id))}` },
        body: JSON.stringify({ server: document.getElementById('relay-server').value, streamKey: document.getElementById('relay-key').value }),
      });
      document.getElementById('relay-key').value = '';
      relays.set(relay.id, relay);
      showRelays();
    } catch (e) {
      note.textContent = e.message;
    }
  };

  onLeave(() => { closed = true; events.close(); stopPlayer(); });

  // ---- failover: a new serving cloud, a stalled player, a dropped push ----

  // On air: live, or the host is reconnecting (the show goes on).
  function onAir(s) { return s === 'live' || s === 'reconnecting'; }

  // The member viewers play from changed (multi-cloud): fetch fresh play URLs and switch source on the same <video>.
  function followServing(source) {
    source.addEventListener('serving', (e) => {
      const serving = JSON.parse(e.data);
      window.__servingSwitches = (window.__servingSwitches || 0) + 1;
      video.dataset.serving = serving.provider;
      if (onAir(state) && !plugin && !closed) { note.textContent = `Switching to ${serving.provider}…`; play(); }
    });
  }

  // A player that stalls (no new frames for a few seconds while the room is on air) asks for play URLs again: the stream
  // may be served from another cloud now, or the old URL's server is gone.
  let stallTimer = null;
  const watchStall = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => { if (onAir(state) && player && !closed) { note.textContent = 'Stalled; fetching the stream again…'; play(); } }, 4000);
  };
  video.addEventListener('waiting', watchStall);
  video.addEventListener('stalled', watchStall);
  video.addEventListener('playing', () => clearTimeout(stallTimer));
  onLeave(() => clearTimeout(stallTimer));

  // The host's push failed: ask for a fresh push URL (it lands on a healthy cloud) and show it to the host.
  async function freshPushUrl() {
    const token = localStorage.getItem(hostKey(id));
    if (!token) { return; }
    try {
      const push = await api(`/api/rooms/${id}/push`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      document.getElementById('host-push').textContent = push.url;
    } catch (e) {
      console.warn('push', e);
    }
  }

  // Chat and viewer count over the room's WebSocket (room-chat.js). Room state comes from SSE while its stream is open
  // and from the socket when it is not (two streams interleaved could replay an older state after a newer one).
  const chat = window.RoomChat.attach(id, {
    hostToken: localStorage.getItem(hostKey(id)),
    onState: (next) => { if (events.readyState !== EventSource.OPEN) { loaded.then(() => applyState(next)); } },
  });
  onLeave(() => chat.close());
}

window.addEventListener('hashchange', route);
route();
