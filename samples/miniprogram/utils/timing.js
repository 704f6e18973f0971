// When to fetch a fresh signed URL: a margin before it expires (a fifth of its remaining life, between
// 5 s and 60 s), never sooner than minDelayMs so a clock skew cannot cause a request loop.
function refreshDelayMs(expiresAt, now = Date.now(), minDelayMs = 1000) {
  const expiry = Date.parse(expiresAt);
  if (Number.isNaN(expiry)) return null;
  const remaining = expiry - now;
  const margin = Math.min(60000, Math.max(5000, remaining / 5));
  return Math.max(minDelayMs, remaining - margin);
}

module.exports = { refreshDelayMs };
