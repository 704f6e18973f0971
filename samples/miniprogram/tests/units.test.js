// Pure page helpers and the chat adapter — no backend involved (the backend is exercised in pages.test.js).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { pickPlayUrl } = require('../utils/play');
const { refreshDelayMs } = require('../utils/timing');
const { installWx } = require('./support/wx-shim');

test('pickPlayUrl takes the first RTMP or FLV entry and skips what <live-player> cannot play', () => {
  assert.deepEqual(pickPlayUrl([
    { protocol: 'hls', url: 'http://h/live/a.m3u8' },
    { protocol: 'webrtc', url: 'webrtc://h/live/a' },
    { protocol: 'flv', url: 'http://h/live/a.flv?sign=1' },
    { protocol: 'rtmp', url: 'rtmp://h/live/a' },
  ]), { protocol: 'flv', url: 'http://h/live/a.flv?sign=1' });
  assert.deepEqual(pickPlayUrl([{ protocol: 'RTMP', url: 'rtmp://h/live/a' }]), { protocol: 'rtmp', url: 'rtmp://h/live/a' });
  assert.deepEqual(pickPlayUrl([{ protocol: 'HttpFlv', url: 'https://h/live/a.flv' }]), { protocol: 'flv', url: 'https://h/live/a.flv' });
  assert.equal(pickPlayUrl([{ protocol: 'hls', url: 'http://h/a.m3u8' }]), null);
  assert.equal(pickPlayUrl(undefined), null);
});

test('refreshDelayMs comes back a margin before expiry, never in a tight loop', () => {
  const now = Date.parse('2026-11-24T08:00:00Z');
  assert.equal(refreshDelayMs('2026-11-24T09:00:00Z', now), 3600000 - 60000);
  assert.equal(refreshDelayMs('2026-11-24T08:01:00Z', now), 60000 - 12000);
  assert.equal(refreshDelayMs('2026-11-24T08:00:10Z', now), 5000);
  assert.equal(refreshDelayMs('2026-11-24T07:00:00Z', now), 1000);
  assert.equal(refreshDelayMs('not a date', now), null);
});

test('the chat adapter logs in with the backend credentials and joins the AVChatRoom group', async () => {
  const answers = {
    '/api/rooms/r1/chat': { statusCode: 200, data: { sdkAppId: 1400123456, userId: 'viewer_1', userSig: 'eJy-sig', groupId: 'room_r1', expiresAt: '2026-11-25T08:00:00Z' } },
    '/api/rooms/r2/chat': { statusCode: 404, data: { title: 'Chat is not configured.', status: 404 } },
  };
  const seen = [];
  installWx({
    baseUrl: 'http://backend.invalid',
    request: (o) => { seen.push([o.method, o.url]); setImmediate(() => o.success(answers[new URL(o.url).pathname])); },
  });
  const chat = require('../utils/chat');

  const off = await chat.joinRoomChat('r2');
  assert.equal(off.state, 'off');
  assert.match(off.reason, /not configured/);

  const noSdk = await chat.joinRoomChat('r1');
  assert.equal(noSdk.state, 'no-sdk');
  assert.equal(noSdk.credentials.groupId, 'room_r1');

  const log = [];
  const handlers = {};
  const sdk = {
    EVENT: { SDK_READY: 'ready', MESSAGE_RECEIVED: 'msg' },
    TYPES: { GRP_AVCHATROOM: 'AVChatRoom', CONV_GROUP: 'GROUP', MSG_TEXT: 'TIMTextElem' },
    create(o) {
      log.push(['create', o]);
      return {
        on: (event, fn) => { handlers[event] = fn; },
        login: async (o2) => { log.push(['login', o2]); setImmediate(() => handlers.ready()); },
        joinGroup: async (o3) => log.push(['joinGroup', o3]),
        createTextMessage: (o4) => ({ ...o4 }),
        sendMessage: async (m) => log.push(['send', m]),
        quitGroup: async (g) => log.push(['quit', g]),
        logout: async () => log.push(['logout']),
      };
    },
  };
  chat.setChatSdk(sdk);
  const received = [];
  const joined = await chat.joinRoomChat('r1', { onMessage: (m) => received.push(m) });
  assert.equal(joined.state, 'joined');
  assert.deepEqual(log.slice(0, 3), [
    ['create', { SDKAppID: 1400123456 }],
    ['login', { userID: 'viewer_1', userSig: 'eJy-sig' }],
    ['joinGroup', { groupID: 'room_r1', type: 'AVChatRoom' }],
  ]);
  handlers.msg({ data: [{ to: 'room_r1', type: 'TIMTextElem', from: 'u2', payload: { text: 'hi' }, time: 1 }, { to: 'other', type: 'TIMTextElem', payload: { text: 'x' } }] });
  assert.deepEqual(received, [{ from: 'u2', text: 'hi', time: 1 }]);
  await joined.send('hello');
  assert.deepEqual(log[3], ['send', { to: 'room_r1', conversationType: 'GROUP', payload: { text: 'hello' } }]);
  await joined.leave();
  assert.deepEqual(log.slice(4), [['quit', 'room_r1'], ['logout']]);
  assert.deepEqual(seen, [['POST', 'http://backend.invalid/api/rooms/r2/chat'], ['POST', 'http://backend.invalid/api/rooms/r1/chat'], ['POST', 'http://backend.invalid/api/rooms/r1/chat']]);
});

test('room-socket reconnects with growing back-off, drops a rejected token, and stops when removed', async () => {
  installWx({ baseUrl: 'http://backend.invalid' });
  const tasks = [];
  global.wx.connectSocket = ({ url }) => {
    const h = {};
    const task = { url, onOpen: (f) => { h.open = f; }, onMessage: (f) => { h.message = f; }, onClose: (f) => { h.close = f; }, onError: () => {}, send: () => {}, close: () => {}, h };
    tasks.push(task);
    return task;
  };
  const { openRoomSocket } = require('../utils/room-socket');
  const statuses = [];
  const frames = [];
  const socket = openRoomSocket('r1', { token: 'a.b', minDelayMs: 5, maxDelayMs: 20, random: () => 1, onStatus: (s) => statuses.push(s), onFrame: (f) => frames.push(f) });
  assert.equal(tasks[0].url, 'ws://backend.invalid/api/rooms/r1/ws?access_token=a.b');
  tasks[0].h.open();
  tasks[0].h.message({ data: '{"type":"chat","data":{"text":"x"}}' });
  tasks[0].h.message({ data: 'not json' });
  assert.deepEqual(frames, [{ type: 'chat', data: { text: 'x' } }]);

  tasks[0].h.close({ code: 1006, reason: '' });
  tasks[0].h.close({ code: 1006, reason: '' }); // a stale handler changes nothing
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(tasks.length, 2, 'reconnected once');
  tasks[1].h.close({ code: 4401, reason: 'token rejected: expired' });
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(tasks[2].url, 'ws://backend.invalid/api/rooms/r1/ws', 'a rejected token is dropped: back as a listener');
  assert.deepEqual(statuses.filter((s) => s.state === 'reconnecting').map((s) => s.delayMs), [5, 10], 'the delay doubles');
  tasks[2].h.close({ code: 4403, reason: 'removed by the host' });
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(tasks.length, 3, 'no reconnect after removal');
  assert.deepEqual(statuses.at(-1), { state: 'closed', code: 4403, reason: 'removed by the host' });
  socket.close();
});
