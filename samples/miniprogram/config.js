// The one place the backend's address lives. Point it at your LiveCloud.LiveRooms deployment.
// In WeChat DevTools on a laptop, http://127.0.0.1:5000 works with "不校验合法域名" (urlCheck: false);
// a released mini-program needs an HTTPS domain listed in the console's request whitelist.
module.exports = {
  baseUrl: 'http://127.0.0.1:5000',
};
