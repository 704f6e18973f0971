// WeChat's own live rooms (小程序直播): they play only inside WeChat's live player plugin, declared in app.json
// ("plugins": { "live-player-plugin": { "provider": "wx2b03c6e691cd7370", ... } }) and entered by page path.
// The backend creates the rooms through LiveCloud.WeChat and lists them with their WeChat room id.

const PLUGIN_APPID = 'wx2b03c6e691cd7370';
const MAX_CUSTOM_PARAMS = 600;

// plugin-private://wx2b03c6e691cd7370/pages/live-player-plugin?room_id=…[&custom_params=…]: the only page the
// plugin opens to mini-programs. customParams (an object) comes back to this mini-program from the plugin, e.g. to
// know where a viewer came from; WeChat takes at most 600 characters of it.
function roomPagePath(roomId, customParams) {
  const id = Number(roomId);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new RangeError(`A WeChat live room id is a positive whole number; got ${JSON.stringify(roomId)}.`);
  }
  let path = `plugin-private://${PLUGIN_APPID}/pages/live-player-plugin?room_id=${id}`;
  if (customParams !== undefined && customParams !== null) {
    const json = JSON.stringify(customParams);
    if (json.length > MAX_CUSTOM_PARAMS) {
      throw new RangeError(`custom_params is ${json.length} characters of JSON; the plugin takes at most ${MAX_CUSTOM_PARAMS}.`);
    }
    path += `&custom_params=${encodeURIComponent(json)}`;
  }
  return path;
}

// The plugin rooms of a GET /api/rooms answer (an array, or a page with items): rooms that carry
// plugin: { roomId }, the WeChat room id. Other rooms play with <live-player> on the viewer page instead.
function pluginRooms(answer) {
  const items = Array.isArray(answer) ? answer : ((answer && (answer.items || answer.rooms)) || []);
  return items.filter((room) => room && room.plugin && Number.isSafeInteger(Number(room.plugin.roomId)) && Number(room.plugin.roomId) > 0);
}

module.exports = { PLUGIN_APPID, MAX_CUSTOM_PARAMS, roomPagePath, pluginRooms };
