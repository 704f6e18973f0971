// <live-player> plays RTMP and HTTP-FLV (not HLS or WebRTC); the backend already orders them first for
// client=miniprogram, so the first one of those is the one to play.
function pickPlayUrl(play) {
  for (const entry of play || []) {
    const protocol = String(entry.protocol || '').toLowerCase();
    const url = String(entry.url || '');
    if (protocol.includes('rtmp') || /^rtmps?:\/\//i.test(url)) return { protocol: 'rtmp', url };
    if (protocol.includes('flv') || /\.flv(\?|$)/i.test(url)) return { protocol: 'flv', url };
  }
  return null;
}

module.exports = { pickPlayUrl };
