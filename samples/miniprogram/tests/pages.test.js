// The mini-program's page logic against the real LiveCloud.LiveRooms backend (see support/backend.js for how it
// is found or started). The pages run under a small Page/wx shim whose wx.request is real HTTP.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startBackend } = require('./support/backend');
const { installWx } = require('./support/wx-shim');

let backend;
let wx;
const pages = [];

before(async () => {
  backend = await startBackend();
  wx = installWx({ baseUrl: backend.url });
});

after(async () => {
  for (const page of pages) if (page.onUnload) page.onUnload();
  if (backend) await backend.stop();
});

function open(route, query) {
  const page = wx.loadPage(route);
  pages.push(page);
  return { page, loaded: page.onLoad ? page.onLoad(query || {}) : undefined };
}

async function hostARoom(title) {
  const { page: host } = open('pages/host/host');
  host.onTitleInput({ detail: { value: title } });
  await host.createRoom();
  assert.equal(host.data.error, '', 'createRoom reported an error');
  return host;
}

test('the host page creates a room and holds an RTMP push URL from the backend', async () => {
  const host = await hostARoom('Node test: host page');

  assert.equal(host.data.state, 'ready');
  assert.ok(host.data.roomId, 'the room id is kept');
  assert.match(host.data.pushUrl, /^rtmps?:\/\/[^/]+\/.+/, `not an RTMP push URL: ${host.data.pushUrl}`);
  assert.match(host.data.obsServer, /^rtmps?:\/\//, 'OBS server');
  assert.ok(host.data.obsStreamKey, 'OBS stream key');
  assert.ok(!Number.isNaN(Date.parse(host.data.expiresAt)), `expiresAt is a date: ${host.data.expiresAt}`);
  assert.ok(host.timer, 'a refresh is scheduled before the push URL expires');

  const create = wx.requests.find((r) => r.method === 'POST' && r.url === `${backend.url}/api/rooms`);
  assert.deepEqual(JSON.parse(create.body), { title: 'Node test: host page' });

  host.startPush();
  assert.equal(host.data.pushing, true);
  assert.deepEqual(wx.calls.filter((c) => c[0] === 'pusher.start').length, 1);
});

test('the host page refreshes its push URL with the host token, and a wrong token is refused', async () => {
  const host = await hostARoom('Node test: refresh');
  const first = host.data.pushUrl;

  await host.refreshPush();
  assert.equal(host.data.error, '');
  assert.match(host.data.pushUrl, /^rtmps?:\/\//);
  const refresh = wx.requests.filter((r) => r.url === `${backend.url}/api/rooms/${encodeURIComponent(host.data.roomId)}/push`).pop();
  assert.equal(refresh.method, 'POST');
  assert.match(refresh.header.Authorization, /^Bearer .+/);
  assert.ok(first, 'had a push URL before');

  const token = host.hostToken;
  host.hostToken = 'not-the-host-token';
  const held = host.data.pushUrl;
  await host.refreshPush();
  assert.match(host.data.error, /Could not refresh the push URL/);
  assert.equal(host.data.pushUrl, held, 'a refused refresh keeps the URL it had');
  host.hostToken = token;
});

test('the viewer page plays an RTMP or FLV URL, and shows the room ended after the host ends it', async () => {
  const host = await hostARoom('Node test: viewer page');
  const { page: viewer, loaded } = open('pages/viewer/viewer', { id: host.data.roomId });
  await loaded;

  assert.equal(viewer.data.error, '');
  assert.equal(viewer.data.title, 'Node test: viewer page');
  assert.ok(['idle', 'live'].includes(viewer.data.state), `state ${viewer.data.state}`);
  assert.ok(['rtmp', 'flv'].includes(viewer.data.playProtocol), `protocol ${viewer.data.playProtocol}`);
  assert.match(viewer.data.playUrl, /^(rtmps?:\/\/|https?:\/\/.+\.flv)/i, `not RTMP/FLV: ${viewer.data.playUrl}`);
  assert.ok(viewer.timer, 'state polling / URL refresh is scheduled');
  const get = wx.requests.find((r) => r.method === 'GET' && r.url.startsWith(`${backend.url}/api/rooms/${encodeURIComponent(host.data.roomId)}?`));
  assert.match(get.url, /[?&]client=miniprogram(&|$)/);

  // Chat: without Chat:Tencent the backend's own chat over the room socket; with it, IM credentials come back.
  assert.ok(['embedded', 'no-sdk'].includes(viewer.data.chatState), `chat state ${viewer.data.chatState}`);

  await host.endRoom();
  assert.equal(host.data.state, 'ended');
  assert.equal(host.data.pushUrl, '');
  await viewer.load();
  assert.equal(viewer.data.state, 'ended');
  assert.equal(viewer.data.playUrl, '');
});

test('the viewer page says so for an unknown room', async () => {
  const { page: viewer, loaded } = open('pages/viewer/viewer', { id: 'no-such-room-42' });
  await loaded;
  assert.equal(viewer.data.state, 'missing');
  assert.match(viewer.data.error, /No such room/);
});

test('the viewer page without a room id lists rooms, the newest included', async () => {
  const host = await hostARoom('Node test: listed');
  const { page: viewer, loaded } = open('pages/viewer/viewer');
  await loaded;
  assert.equal(viewer.data.error, '');
  assert.equal(viewer.data.state, 'list');
  assert.ok(viewer.data.rooms.some((r) => r.id === host.data.roomId), 'the new room is listed');
});

test('the host page explains an empty title without calling the backend', async () => {
  const { page: host } = open('pages/host/host');
  const before = wx.requests.length;
  await host.createRoom();
  assert.match(host.data.error, /title/);
  assert.equal(wx.requests.length, before);
});

test('the plugin rooms page reads the real backend\'s room list and lists only rooms with a WeChat room id', async () => {
  await hostARoom('Node test: not a plugin room');
  const { page, loaded } = open('pages/plugin-rooms/plugin-rooms');
  await loaded;
  assert.equal(page.data.error, '');
  assert.equal(page.data.state, 'list');
  assert.ok(page.data.rooms.every((r) => Number.isSafeInteger(r.roomId) && r.roomId > 0), 'every listed room opens in the plugin');
  assert.ok(!page.data.rooms.some((r) => r.title === 'Node test: not a plugin room'), 'an nginx room is not a plugin room');
  const get = wx.requests.filter((r) => r.url.startsWith(`${backend.url}/api/rooms?`)).pop();
  assert.match(get.url, /[?&]kind=plugin(&|$)/);
});

// ---- reconnecting and failover (issue 17, issue 18 item 4) ----

test('the host page asks for a fresh push URL after <live-pusher> -1307 and pushes again', async () => {
  const host = await hostARoom('Node test: -1307');
  host.startPush();
  const starts = () => wx.calls.filter((c) => c[0] === 'pusher.start').length;
  const startsBefore = starts();
  const requestsBefore = wx.requests.length;

  await host.onPushStateChange({ detail: { code: -1307 } });

  const refresh = wx.requests.slice(requestsBefore).find((r) => r.method === 'POST' && r.url === `${backend.url}/api/rooms/${encodeURIComponent(host.data.roomId)}/push`);
  assert.ok(refresh, 'a fresh push URL was asked for');
  assert.match(refresh.header.Authorization, /^Bearer .+/);
  assert.match(host.data.pushUrl, /^rtmps?:\/\//);
  assert.equal(host.data.pushing, true, 'pushing again');
  assert.equal(starts(), startsBefore + 1, 'the pusher started again with the fresh URL');
});

test('the viewer page fetches its play URL again after <live-player> -2301 and replaces the source', async () => {
  const host = await hostARoom('Node test: -2301');
  const { page: viewer, loaded } = open('pages/viewer/viewer', { id: host.data.roomId });
  await loaded;
  const stale = 'rtmp://127.0.0.1:9/live/a-server-that-is-gone';
  viewer.setData({ playUrl: stale });
  const requestsBefore = wx.requests.length;

  await viewer.onPlayState({ detail: { code: -2301 } });

  assert.ok(wx.requests.slice(requestsBefore).some((r) => r.method === 'GET' && r.url.startsWith(`${backend.url}/api/rooms/${encodeURIComponent(host.data.roomId)}?`)), 'the room was fetched again');
  assert.notEqual(viewer.data.playUrl, stale, 'the source was replaced');
  assert.match(viewer.data.playUrl, /^(rtmps?:\/\/|https?:\/\/.+\.flv)/i);
});

test('the viewer page shows "reconnecting" while the host is gone within the reconnect window, then live again', async (t) => {
  const { spawnSync, spawn } = require('node:child_process');
  if (spawnSync('ffmpeg', ['-version']).status !== 0) {
    t.skip('ffmpeg is not installed (apt-get install ffmpeg)');
    return;
  }

  const host = await hostARoom('Node test: reconnecting');
  const { page: viewer, loaded } = open('pages/viewer/viewer', { id: host.data.roomId });
  await loaded;
  const push = () => spawn('ffmpeg', ['-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '15', '-f', 'flv', host.data.pushUrl], { stdio: 'ignore' });
  const until = async (state, seconds) => {
    for (let i = 0; i < seconds * 2; i += 1) {
      await viewer.load();
      if (viewer.data.state === state) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`the viewer page did not show '${state}' within ${seconds} s (it shows '${viewer.data.state}')`);
  };

  let ffmpeg = push();
  try {
    await until('live', 30);
    ffmpeg.kill('SIGKILL'); // the host's connection drops
    await until('reconnecting', 20);
    ffmpeg = push(); // and comes back within the window: the same show
    await until('live', 30);
  } finally {
    ffmpeg.kill('SIGKILL');
  }
});

async function waitFor(condition, what, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited ${ms} ms for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const noWebSocket = typeof WebSocket === 'function' ? false : 'no WebSocket in this Node: use Node 22+, or node --experimental-websocket (scripts/test.sh adds it)';

test('host and viewer pages chat over the room socket (wx.connectSocket), reconnect, and the viewer sees the end at once', { skip: noWebSocket }, async () => {
  const host = await hostARoom('Node test: socket chat');
  const { page: viewer, loaded } = open('pages/viewer/viewer', { id: host.data.roomId });
  await loaded;
  assert.equal(viewer.data.chatState, 'embedded', 'without Tencent IM keys the backend answers with its own chat');
  await waitFor(() => host.data.viewers === 2, `the host to count 2 sockets (has ${host.data.viewers})`);
  assert.ok(wx.sockets.some((s) => s.url.includes('access_token=')), 'the host connects with its token');

  // The viewer listens, then picks a nickname and gets a chat token; the socket reconnects with it.
  viewer.onNicknameInput({ detail: { value: 'Mini' } });
  await viewer.joinChat();
  await waitFor(() => /^v_/.test(viewer.data.chatUser), 'the viewer to be known to the socket');

  viewer.onDraftInput({ detail: { value: '<b>hi</b> from the mini-program' } });
  viewer.sendMessage();
  await waitFor(() => host.data.messages.some((m) => m.from === 'Mini' && m.text === '<b>hi</b> from the mini-program'), 'the host to hear the viewer');
  host.onDraftInput({ detail: { value: 'welcome' } });
  host.sendMessage();
  await waitFor(() => viewer.data.messages.some((m) => m.host && m.text === 'welcome'), 'the viewer to hear the host');

  // The connection drops: the page reconnects by itself and gets the recent messages again.
  const before = wx.sockets.length;
  viewer.setData({ messages: [] });
  wx.sockets[wx.sockets.length - 1].ws.close();
  await waitFor(() => wx.sockets.length > before, 'a reconnect');
  await waitFor(() => viewer.data.messages.length === 2, 'the history after reconnecting');

  // Moderation from the host page reaches the viewer.
  host.moderate({ currentTarget: { dataset: { user: viewer.data.chatUser } } });
  await waitFor(() => /muted/.test(viewer.data.chatNote), 'the viewer to learn it is muted');

  // The end comes over the socket (the 10 s poll is switched off here).
  if (viewer.timer) clearTimeout(viewer.timer);
  viewer.schedule = () => {};
  await host.endRoom();
  await waitFor(() => viewer.data.state === 'ended', 'the viewer page to show the end');
});
