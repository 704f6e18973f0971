// Room chat (Tencent Cloud IM). The backend hands out what the client needs to log in:
// POST /api/rooms/{id}/chat → { sdkAppId, userId, userSig, groupId, expiresAt }, or 404 when chat is not configured.
// The TencentCloudChat SDK itself is an npm package (@tencentcloud/chat) built into miniprogram_npm by WeChat
// DevTools ("构建 npm"); it is not part of this sample, so it is plugged in through setChatSdk() and everything
// that talks to it sits in this one adapter.
const api = require('./api');

let chatSdk = null;

/** Plug in the SDK, e.g. setChatSdk(require('@tencentcloud/chat')) in app.js once it is installed. */
function setChatSdk(sdk) {
  chatSdk = sdk;
}

/**
 * Joins a room's chat. Resolves with { state, credentials, send(text), leave() }:
 * state 'off' (backend has no chat: 404), 'embedded' (the backend's own chat over the room socket), 'no-sdk'
 * (IM credentials fetched but no SDK plugged in) or 'joined'.
 */
async function joinRoomChat(roomId, { onMessage } = {}) {
  let credentials;
  try {
    credentials = await api.joinChat(roomId);
  } catch (err) {
    if (err.statusCode === 404) return { state: 'off', reason: err.message, send: noop, leave: noop };
    throw err;
  }

  // The backend's own chat (no Tencent IM keys): the room socket carries it (utils/room-socket.js).
  if (credentials && credentials.provider === 'embedded') return { state: 'embedded', credentials, send: noop, leave: noop };
  if (!chatSdk) return { state: 'no-sdk', credentials, send: noop, leave: noop };

  const TencentCloudChat = chatSdk;
  const chat = TencentCloudChat.create({ SDKAppID: Number(credentials.sdkAppId) });
  const ready = new Promise((resolve) => chat.on(TencentCloudChat.EVENT.SDK_READY, resolve));
  chat.on(TencentCloudChat.EVENT.MESSAGE_RECEIVED, (event) => {
    for (const message of event.data || []) {
      if (message.to === credentials.groupId && message.type === TencentCloudChat.TYPES.MSG_TEXT && onMessage) {
        onMessage({ from: message.nick || message.from, text: message.payload.text, time: message.time });
      }
    }
  });
  await chat.login({ userID: credentials.userId, userSig: credentials.userSig });
  await ready;
  await chat.joinGroup({ groupID: credentials.groupId, type: TencentCloudChat.TYPES.GRP_AVCHATROOM });

  return {
    state: 'joined',
    credentials,
    async send(text) {
      const message = chat.createTextMessage({
        to: credentials.groupId,
        conversationType: TencentCloudChat.TYPES.CONV_GROUP,
        payload: { text },
      });
      await chat.sendMessage(message);
    },
    async leave() {
      try { await chat.quitGroup(credentials.groupId); } catch (_) { /* AVChatRoom may already be dismissed */ }
      await chat.logout();
      if (chat.destroy) await chat.destroy();
    },
  };
}

function noop() { return Promise.resolve(); }

module.exports = { setChatSdk, joinRoomChat };
