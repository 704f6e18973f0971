// WeChat live (plugin) rooms: the app.json declaration, the plugin page path and the page that lists and opens the
// rooms. The page runs against a scripted backend answering GET /api/rooms?kind=plugin (pages.test.js runs it
// against the real one too).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { roomPagePath, pluginRooms, PLUGIN_APPID } = require('../utils/plugin');
const { installWx } = require('./support/wx-shim');

const ROOT = path.resolve(__dirname, '..');

test('app.json declares WeChat\'s live player plugin and the plugin rooms page', () => {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
  const plugin = app.plugins && app.plugins['live-player-plugin'];
  assert.ok(plugin, 'plugins.live-player-plugin is declared');
  assert.equal(plugin.provider, 'wx2b03c6e691cd7370', 'the provider is the plugin\'s AppID, not ours');
  assert.match(plugin.version, /^\d+\.\d+\.\d+$/);
  assert.ok(app.pages.includes('pages/plugin-rooms/plugin-rooms'));
  for (const ext of ['js', 'json', 'wxml']) {
    assert.ok(fs.existsSync(path.join(ROOT, 'pages', 'plugin-rooms', `plugin-rooms.${ext}`)), `plugin-rooms.${ext}`);
  }
});

test('roomPagePath is the plugin\'s page with room_id and encoded custom_params, and refuses bad input', () => {
  assert.equal(PLUGIN_APPID, 'wx2b03c6e691cd7370');
  assert.equal(roomPagePath(6209), 'plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=6209');
  assert.equal(roomPagePath('6209', { from: 'rooms' }),
    'plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=6209&custom_params=%7B%22from%22%3A%22rooms%22%7D');
  for (const bad of [0, -1, 1.5, 'abc', null, undefined, '1e400']) {
    assert.throws(() => roomPagePath(bad), RangeError, `room id ${bad}`);
  }
  assert.throws(() => roomPagePath(1, { text: 'x'.repeat(600) }), /at most 600/);
});

test('pluginRooms keeps the rooms that carry a WeChat room id', () => {
  const items = [
    { id: 'a', title: 'Plain', state: 'idle' },
    { id: 'b', title: 'Plugin', state: 'live', plugin: { roomId: 6209 } },
    { id: 'c', title: 'Broken', state: 'idle', plugin: { roomId: 'x' } },
    { id: 'd', title: 'Zero', state: 'idle', plugin: { roomId: 0 } },
  ];
  assert.deepEqual(pluginRooms({ items }).map((r) => r.id), ['b']);
  assert.deepEqual(pluginRooms(items).map((r) => r.id), ['b']);
  assert.deepEqual(pluginRooms(undefined), []);
});

function scripted(answer) {
  const seen = [];
  const wx = installWx({
    baseUrl: 'http://backend.invalid',
    request: (o) => {
      seen.push([o.method, o.url]);
      setImmediate(() => (answer instanceof Error ? o.fail({ errMsg: answer.message }) : o.success(answer)));
    },
  });
  return { wx, seen };
}

test('the plugin rooms page lists the plugin rooms and opens one in the plugin', async () => {
  const { wx, seen } = scripted({
    statusCode: 200,
    data: {
      items: [
        { id: 'r1', title: 'Nginx room', state: 'live' },
        { id: 'r2', title: 'WeChat show', state: 'live', plugin: { roomId: 6209 } },
        { id: 'r3', title: 'WeChat later', state: 'idle', plugin: { roomId: 6210 } },
      ],
      page: 1,
      pageSize: 20,
      total: 3,
    },
  });
  const page = wx.loadPage('pages/plugin-rooms/plugin-rooms');
  await page.onLoad();

  assert.deepEqual(seen, [['GET', 'http://backend.invalid/api/rooms?kind=plugin']]);
  assert.equal(page.data.state, 'list');
  assert.equal(page.data.error, '');
  assert.deepEqual(page.data.rooms, [
    { id: 'r2', title: 'WeChat show', state: 'live', roomId: 6209 },
    { id: 'r3', title: 'WeChat later', state: 'idle', roomId: 6210 },
  ]);

  page.openRoom({ currentTarget: { dataset: { roomId: 6209, id: 'r2' } } });
  const [call, url] = wx.calls.find((c) => c[0] === 'navigateTo');
  assert.equal(call, 'navigateTo');
  assert.ok(url.startsWith('plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=6209&custom_params='), url);
  assert.deepEqual(JSON.parse(decodeURIComponent(url.split('custom_params=')[1])), { room: 'r2', from: 'livecloud-rooms' });
});

test('the plugin rooms page says so when there are none, and when the backend cannot be reached', async () => {
  const empty = scripted({ statusCode: 200, data: { items: [{ id: 'r1', title: 'Nginx room', state: 'idle' }], page: 1, pageSize: 20, total: 1 } });
  const none = empty.wx.loadPage('pages/plugin-rooms/plugin-rooms');
  await none.onLoad();
  assert.equal(none.data.state, 'list');
  assert.deepEqual(none.data.rooms, []);

  const down = scripted(new Error('request:fail ECONNREFUSED'));
  const failed = down.wx.loadPage('pages/plugin-rooms/plugin-rooms');
  await failed.onLoad();
  assert.equal(failed.data.state, 'error');
  assert.match(failed.data.error, /Could not list the WeChat live rooms: request:fail ECONNREFUSED/);

  const bad = scripted({ statusCode: 200, data: { items: [] } });
  const page = bad.wx.loadPage('pages/plugin-rooms/plugin-rooms');
  await page.onLoad();
  page.openRoom({ currentTarget: { dataset: { roomId: 'not-a-room', id: 'x' } } });
  assert.match(page.data.error, /positive whole number/);
  assert.equal(bad.wx.calls.filter((c) => c[0] === 'navigateTo').length, 0);
});
