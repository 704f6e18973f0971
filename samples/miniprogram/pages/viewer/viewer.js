// The viewer: plays a room with <live-player> (RTMP or HTTP-FLV, what it supports), shows its state and
// re-signs the play URL before it expires.
const api = require('../../utils/api');
const { refreshDelayMs } = require('../../utils/timing');
const { joinRoomChat } = require('../../utils/chat');
const { pickPlayUrl } = require('../../utils/play');
const { openRoomSocket } = require('../../utils/room-socket');

const POLL_MS = 10000;

Page({
  data: {
    roomId: '',
    title: '',
    state: 'loading', // loading → idle | live | reconnecting | ended; 'missing' for an unknown room
    playUrl: '',
    playProtocol: '',
    expiresAt: '',
    rooms: [],
    chatState: 'off',
    messages: [],
    draft: '',
    nickname: '',
    chatUser: '', // set once the socket knows this viewer (a chat token); empty while only listening
    chatNote: '',
    viewers: 0,
    error: '',
  },

  onLoad(query) {
    this.timer = null;
    this.urlDue = 0;
    const id = query && query.id;
    if (id) {
      this.setData({ roomId: id });
      return this.load().then(() => this.startChat());
    }
    return this.loadRooms();
  },

  onUnload() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.chat) this.chat.leave();
    if (this.socket) this.socket.close();
  },

  // GET /api/rooms → rooms to pick from when the page opens without ?id=
  async loadRooms() {
    try {
      const page = await api.listRooms();
      const rooms = Array.isArray(page) ? page : (page.items || page.rooms || []);
      this.setData({ rooms, state: 'list' });
    } catch (err) {
      this.setData({ error: `Could not list rooms: ${err.message}` });
    }
  },

  openRoom(e) {
    wx.navigateTo({ url: `/pages/viewer/viewer?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
  },

  // GET /api/rooms/{id}?client=miniprogram → { id, title, state, play: [{protocol, url}], expiresAt }
  async load() {
    try {
      const room = await api.getRoom(this.data.roomId);
      const patch = { title: room.title, state: room.state, error: '' };
      const due = Date.now() >= this.urlDue;
      if (room.state === 'ended') {
        Object.assign(patch, { playUrl: '', playProtocol: '' });
      } else if (!this.data.playUrl || due) {
        // Swap the source only when there is none yet or the current one is about to expire:
        // a new src restarts <live-player>.
        const chosen = pickPlayUrl(room.play);
        if (chosen) {
          Object.assign(patch, { playUrl: chosen.url, playProtocol: chosen.protocol, expiresAt: room.expiresAt });
          const delay = refreshDelayMs(room.expiresAt);
          this.urlDue = Date.now() + (delay === null ? POLL_MS : delay);
        } else {
          patch.error = 'This room offers no RTMP or FLV stream for the mini-program player.';
        }
      }
      this.setData(patch);
      if (room.state !== 'ended') this.schedule();
    } catch (err) {
      if (err.statusCode === 404) {
        this.setData({ state: 'missing', error: 'No such room.' });
      } else {
        this.setData({ error: `Could not load the room: ${err.message}` });
        this.schedule();
      }
    }
  },

  // One timer: poll the state every 10 s, and come back in time to re-sign the play URL.
  schedule() {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const untilDue = this.urlDue ? Math.max(1000, this.urlDue - Date.now()) : POLL_MS;
    this.timer = setTimeout(() => this.load(), Math.min(POLL_MS, untilDue));
  },

  // <live-player bindstatechange>: 2004 = playing; 2006/-2301 = stream ended or gave up reconnecting. After -2301 the
  // play URL is fetched afresh (and the source replaced): the stream may be served from another cloud now.
  onPlayState(e) {
    const code = e.detail.code;
    if (code === -2301) this.urlDue = 0;
    if (code === -2301 || code === 2006) return this.load();
    return undefined;
  },

  onPlayError(e) {
    this.setData({ error: `Player error: ${e.detail.errMsg}` });
  },

  async startChat() {
    if (this.stopped || this.data.state === 'missing') return;
    try {
      this.chat = await joinRoomChat(this.data.roomId, {
        onMessage: (m) => this.setData({ messages: this.data.messages.concat([m]).slice(-50) }),
      });
      this.setData({ chatState: this.chat.state });
    } catch (err) {
      this.setData({ chatState: 'error', error: `Chat unavailable: ${err.message}` });
    }
    this.startSocket();
  },

  onDraftInput(e) {
    this.setData({ draft: e.detail.value });
  },

  // The room socket: room state at once (the 10 s poll stays for the play URL), and the embedded chat.
  startSocket() {
    if (this.stopped || this.socket) return;
    const saved = wx.getStorageSync(`livecloud.chat.${this.data.roomId}`) || null;
    this.socket = openRoomSocket(this.data.roomId, {
      token: saved,
      onFrame: (frame) => this.onRoomFrame(frame),
      onStatus: (s) => {
        if (s.state === 'token-rejected') wx.setStorageSync(`livecloud.chat.${this.data.roomId}`, '');
        if (s.state !== 'open') this.setData({ chatNote: s.reason || (s.state === 'reconnecting' ? 'Reconnecting…' : '') });
      },
    });
  },

  onRoomFrame({ type, data }) {
    if (type === 'hello') this.setData({ chatUser: data.user || '', chatNote: data.chatClosed ? 'The host closed chat.' : '' });
    else if (type === 'history') this.setData({ messages: data.messages.map(toView) });
    else if (type === 'chat') {
      if (!this.data.messages.some((m) => m.id === data.id)) this.setData({ messages: this.data.messages.concat([toView(data)]).slice(-50) });
    } else if (type === 'state') {
      if (data.state !== this.data.state && this.data.state !== 'loading') this.load();
    } else if (type === 'viewers') this.setData({ viewers: data.count });
    else if (type === 'moderation') {
      if (data.action === 'chat-closed') this.setData({ chatNote: data.closed ? 'The host closed chat.' : '' });
      else if (data.user === this.data.chatUser) this.setData({ chatNote: data.action === 'mute' ? 'The host muted you.' : data.action === 'unmute' ? '' : 'The host removed you.' });
    } else if (type === 'error') this.setData({ chatNote: data.message });
  },

  onNicknameInput(e) {
    this.setData({ nickname: e.detail.value });
  },

  // POST /api/rooms/{id}/chat-token {nickname} → a signed chat token; the socket reconnects with it.
  async joinChat() {
    try {
      const answer = await api.chatToken(this.data.roomId, (this.data.nickname || '').trim());
      wx.setStorageSync(`livecloud.chat.${this.data.roomId}`, answer.token);
      this.setData({ chatNote: '' });
      if (this.socket) this.socket.setToken(answer.token);
    } catch (err) {
      this.setData({ chatNote: err.message });
    }
  },

  async sendMessage() {
    const text = (this.data.draft || '').trim();
    if (text && this.data.chatState === 'embedded') {
      if (this.socket && this.socket.send({ type: 'chat', text })) this.setData({ draft: '' });
      return;
    }
    if (!text || !this.chat || this.data.chatState !== 'joined') return;
    await this.chat.send(text);
    this.setData({ draft: '', messages: this.data.messages.concat([{ from: 'me', text }]).slice(-50) });
  },
});

// A chat frame as the list shows it (text only: WXML binds it as text, never as markup).
function toView(message) {
  return { id: message.id, from: message.from.nickname, host: message.from.host, user: message.from.user, text: message.text };
}
