// The broadcaster: creates a room, pushes to its RTMP URL with <live-pusher>, keeps the URL fresh, ends the room.
const api = require('../../utils/api');
const { refreshDelayMs } = require('../../utils/timing');
const { openRoomSocket } = require('../../utils/room-socket');

const TOKEN_KEY = 'livecloud.hostRooms';

Page({
  data: {
    title: '',
    roomId: '',
    pushUrl: '',
    obsServer: '',
    obsStreamKey: '',
    expiresAt: '',
    state: 'new', // new → ready → pushing → ended
    pushing: false,
    busy: false,
    messages: [], // the room chat over the room socket (utils/room-socket.js), as text
    draft: '',
    viewers: 0,
    chatClosed: false,
    error: '',
  },

  onLoad() {
    this.timer = null;
    this.hostToken = null;
  },

  onUnload() {
    this.clearTimer();
    if (this.pusher) this.pusher.stop();
    if (this.socket) this.socket.close();
  },

  onTitleInput(e) {
    this.setData({ title: e.detail.value });
  },

  // POST /api/rooms → { id, title, streamName, hostToken, push: { url, server, streamKey, expiresAt } }
  async createRoom() {
    const title = (this.data.title || '').trim();
    if (!title) {
      this.setData({ error: 'Give the room a title first.' });
      return;
    }

    this.setData({ busy: true, error: '' });
    try {
      const room = await api.createRoom(title);
      this.hostToken = room.hostToken;
      rememberToken(room.id, room.hostToken);
      this.setData({ roomId: room.id, title: room.title, state: 'ready' });
      this.applyPush(room.push);
      this.openChat();
    } catch (err) {
      this.setData({ error: `Could not create the room: ${err.message}` });
    } finally {
      this.setData({ busy: false });
    }
  },

  // POST /api/rooms/{id}/push (host) → a fresh push URL; scheduled before the current one expires.
  async refreshPush() {
    if (!this.data.roomId || this.data.state === 'ended') return;
    try {
      const push = await api.refreshPush(this.data.roomId, this.token());
      this.applyPush(push.push || push);
    } catch (err) {
      this.setData({ error: `Could not refresh the push URL: ${err.message}` });
      if (err.statusCode === 0 || err.statusCode >= 500) this.schedule(10000);
    }
  },

  applyPush(push) {
    if (!push || !/^rtmps?:\/\//i.test(push.url || '')) {
      this.setData({ error: 'The backend returned no RTMP push URL.' });
      return;
    }

    this.setData({
      pushUrl: push.url,
      obsServer: push.server || '',
      obsStreamKey: push.streamKey || '',
      expiresAt: push.expiresAt || '',
    });
    const delay = refreshDelayMs(push.expiresAt);
    if (delay !== null) this.schedule(delay);
  },

  startPush() {
    if (!this.data.pushUrl) return;
    this.pusher = this.pusher || wx.createLivePusherContext();
    this.setData({ pushing: true });
    this.pusher.start({
      fail: (e) => this.setData({ pushing: false, error: `Push failed to start: ${e.errMsg || 'unknown'}` }),
    });
  },

  stopPush() {
    if (this.pusher) this.pusher.stop();
    this.setData({ pushing: false, state: this.data.state === 'ended' ? 'ended' : 'ready' });
  },

  // POST /api/rooms/{id}/end (host): drops the stream and forbids re-pushing it.
  async endRoom() {
    if (!this.data.roomId) return;
    this.setData({ busy: true });
    try {
      await api.endRoom(this.data.roomId, this.token());
      this.clearTimer();
      if (this.pusher) this.pusher.stop();
      this.setData({ state: 'ended', pushing: false, pushUrl: '' });
    } catch (err) {
      this.setData({ error: `Could not end the room: ${err.message}` });
    } finally {
      this.setData({ busy: false });
    }
  },

  // <live-pusher bindstatechange>: 1002 = connected and pushing; 3004 = the server closed it (e.g. an expired URL); -1307 = reconnects gave up.
  // After -1307 the host asks the backend for a fresh push URL and pushes again: with a multi-cloud backend the URL may
  // be another cloud's (the one it pushed to is down), and within the reconnect window the room stays one show.
  async onPushStateChange(e) {
    const code = e.detail.code;
    if (code === 1002) this.setData({ state: 'pushing', error: '' });
    else if (code === -1307 || code === 3004) {
      const wasPushing = this.data.pushing;
      this.setData({ state: 'ready', pushing: false, error: `Push stopped (${code}); reconnecting with a fresh push URL…` });
      if (code === -1307 && this.data.roomId && this.data.state !== 'ended') {
        await this.refreshPush();
        if (wasPushing && this.data.pushUrl && !/Could not/.test(this.data.error)) this.startPush();
      }
    }
  },

  onPusherError(e) {
    this.setData({ pushing: false, error: `Camera or microphone unavailable: ${e.detail.errMsg}` });
  },

  copyPushUrl() {
    wx.setClipboardData({ data: this.data.pushUrl });
  },

  shareViewerLink() {
    wx.navigateTo({ url: `/pages/viewer/viewer?id=${encodeURIComponent(this.data.roomId)}` });
  },

  token() {
    return this.hostToken || recallToken(this.data.roomId);
  },

  // The room socket with the host token: chat, viewer count, moderation.
  openChat() {
    if (this.socket) this.socket.close();
    this.socket = openRoomSocket(this.data.roomId, {
      token: this.token(),
      onFrame: ({ type, data }) => {
        if (type === 'history') this.setData({ messages: data.messages.map(toView) });
        else if (type === 'chat' && !this.data.messages.some((m) => m.id === data.id)) this.setData({ messages: this.data.messages.concat([toView(data)]).slice(-50) });
        else if (type === 'viewers') this.setData({ viewers: data.count });
        else if (type === 'hello') this.setData({ chatClosed: data.chatClosed });
        else if (type === 'moderation' && data.action === 'chat-closed') this.setData({ chatClosed: data.closed });
        else if (type === 'error') this.setData({ error: data.message });
      },
    });
  },

  onDraftInput(e) {
    this.setData({ draft: e.detail.value });
  },

  sendMessage() {
    const text = (this.data.draft || '').trim();
    if (text && this.socket && this.socket.send({ type: 'chat', text })) this.setData({ draft: '' });
  },

  // Long-press a viewer's message: mute them; data-action="kick" on the element removes them instead.
  moderate(e) {
    const { user, action } = e.currentTarget.dataset;
    if (user && this.socket) this.socket.send({ type: action || 'mute', user });
  },

  toggleChat() {
    if (this.socket) this.socket.send({ type: 'chat-closed', closed: !this.data.chatClosed });
  },

  schedule(delayMs) {
    this.clearTimer();
    this.timer = setTimeout(() => this.refreshPush(), delayMs);
  },

  clearTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  },
});

// The host token is returned once; keep it so the host can come back to the page and still end the room.
function rememberToken(roomId, token) {
  const tokens = wx.getStorageSync(TOKEN_KEY) || {};
  tokens[roomId] = token;
  wx.setStorageSync(TOKEN_KEY, tokens);
}

function recallToken(roomId) {
  const tokens = wx.getStorageSync(TOKEN_KEY) || {};
  return tokens[roomId] || null;
}

function toView(message) {
  return { id: message.id, from: message.from.nickname, host: message.from.host, user: message.from.user, text: message.text };
}
