// The LiveCloud.LiveRooms HTTP API over wx.request. Every call resolves with the parsed JSON body of a 2xx
// answer, or rejects with an ApiError carrying the HTTP status and the RFC 7807 problem details' title/detail.

class ApiError extends Error {
  constructor(statusCode, problem, fallback) {
    const text = (problem && (problem.detail || problem.title)) || fallback || `HTTP ${statusCode}`;
    super(text);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.problem = problem || null;
  }
}

function baseUrl() {
  const app = typeof getApp === 'function' ? getApp() : null;
  const url = (app && app.globalData && app.globalData.baseUrl) || require('../config').baseUrl;
  return url.replace(/\/+$/, '');
}

function request(method, path, { data, token } = {}) {
  return new Promise((resolve, reject) => {
    const header = { 'Content-Type': 'application/json' };
    if (token) header.Authorization = `Bearer ${token}`;
    wx.request({
      url: baseUrl() + path,
      method,
      data: method === 'GET' ? undefined : (data || {}),
      header,
      dataType: 'json',
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          resolve(res.data);
        } else {
          const problem = res.data && typeof res.data === 'object' ? res.data : null;
          reject(new ApiError(res.statusCode, problem));
        }
      },
      fail(err) {
        reject(new ApiError(0, null, (err && err.errMsg) || 'network error'));
      },
    });
  });
}

const enc = encodeURIComponent;

module.exports = {
  ApiError,
  createRoom: (title) => request('POST', '/api/rooms', { data: { title } }),
  refreshPush: (id, token) => request('POST', `/api/rooms/${enc(id)}/push`, { token }),
  endRoom: (id, token) => request('POST', `/api/rooms/${enc(id)}/end`, { token }),
  getRoom: (id) => request('GET', `/api/rooms/${enc(id)}?client=miniprogram`),
  listRooms: () => request('GET', '/api/rooms'),
  // WeChat live (plugin) rooms; a backend that does not know the filter answers with every room, which
  // utils/plugin.js narrows to those with plugin.roomId.
  listPluginRooms: () => request('GET', '/api/rooms?kind=plugin'),
  joinChat: (id) => request('POST', `/api/rooms/${enc(id)}/chat`),
  // A viewer's signed chat token for the room socket: { token, user, nickname, expiresAt, socket }.
  chatToken: (id, nickname) => request('POST', `/api/rooms/${enc(id)}/chat-token`, { data: { nickname } }),
};
