// WeChat live rooms (小程序直播): lists the backend's plugin rooms and opens one in WeChat's live player plugin.
const api = require('../../utils/api');
const { roomPagePath, pluginRooms } = require('../../utils/plugin');

Page({
  data: {
    rooms: [],
    state: 'loading', // loading → list | error
    error: '',
  },

  onLoad() {
    return this.load();
  },

  onPullDownRefresh() {
    return this.load().then(() => wx.stopPullDownRefresh && wx.stopPullDownRefresh());
  },

  // GET /api/rooms?kind=plugin → rooms; only those with plugin.roomId (a backend without plugin rooms lists none).
  async load() {
    try {
      const rooms = pluginRooms(await api.listPluginRooms()).map((room) => ({
        id: room.id,
        title: room.title,
        state: room.state,
        roomId: Number(room.plugin.roomId),
      }));
      this.setData({ rooms, state: 'list', error: '' });
    } catch (err) {
      this.setData({ state: 'error', error: `Could not list the WeChat live rooms: ${err.message}` });
    }
  },

  // <view data-room-id="{{item.roomId}}" data-id="{{item.id}}" bindtap="openRoom">
  openRoom(e) {
    const { roomId, id } = e.currentTarget.dataset;
    try {
      wx.navigateTo({ url: roomPagePath(roomId, { room: id, from: 'livecloud-rooms' }) });
    } catch (err) {
      this.setData({ error: err.message });
    }
  },
});
