'use strict';
// What every referee script shares: its input (one JSON document on standard input), a fixed clock, the loopback
// route and its output (one JSON document on standard output). Load this before any vendor SDK: the clock and the
// routing must be in place before an SDK takes its first timestamp or opens its first connection.
//
// The route: an SDK keeps the production host name in its URL (so it signs exactly what it would sign in
// production), and every connection it opens is made to the emulator on 127.0.0.1 by http.Agent's
// createConnection, which ignores the host. Name resolution and TLS are refused, so nothing can leave the machine.

const dns = require('dns');
const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');
const os = require('os');
const path = require('path');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));

// Standard output carries the result document only: whatever an SDK prints (Huawei's logs its errors there) goes to
// standard error.
const writeResult = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);

// Some SDKs write under the home folder (Huawei's writes a user-agent id there): give them a temporary one.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'livecloud-referee-'));
process.env.HOME = home;
process.on('exit', () => fs.rmSync(home, { recursive: true, force: true }));

// ---- the clock: Date.now() and new Date() answer the emulator's time (plus a per-call skew) ----
const RealDate = Date;
const clock = { epochMs: input.now ? RealDate.parse(input.now) : RealDate.now(), skewSeconds: 0 };

function FixedDate(...args) {
  if (!new.target) {
    return new RealDate(FixedDate.now()).toString();
  }
  return args.length === 0 ? new RealDate(FixedDate.now()) : new RealDate(...args);
}
FixedDate.now = () => clock.epochMs + clock.skewSeconds * 1000;
FixedDate.parse = RealDate.parse;
FixedDate.UTC = RealDate.UTC;
FixedDate.prototype = RealDate.prototype;
global.Date = FixedDate;

// ---- the route ----
const refuse = (what) => () => { throw new Error(`${what} is refused in a referee run: every connection goes to the loopback emulator`); };
dns.lookup = refuse('DNS');
dns.resolve = refuse('DNS');
https.Agent.prototype.createConnection = refuse('TLS');

// Every http.Agent (the default one, and those SDKs make for themselves: httpx's, urllib's, tea's) connects to the
// emulator, whatever host the URL names; the hosts asked for are recorded.
const hosts = [];
const port = input.port;
http.Agent.prototype.createConnection = function createConnection(options) {
  hosts.push(options.host);
  if (!port) {
    throw new Error(`no emulator port: refusing to connect to ${options.host}`);
  }
  return net.connect({ host: '127.0.0.1', port });
};

/** An http.Agent for SDKs that take one (every agent connects to the emulator; this one keeps no connections). */
const agent = new http.Agent({ keepAlive: false });
http.globalAgent = agent;

/** Runs fn with the clock moved by skewSeconds (a stale or future request). */
async function withSkew(skewSeconds, fn) {
  clock.skewSeconds = skewSeconds || 0;
  try {
    return await fn();
  } finally {
    clock.skewSeconds = 0;
  }
}

// "$(step|a.b)" in a step's strings stands for the value at a.b of that earlier step's result (an id the vendor
// made): a string that is only that reference becomes the value itself, one that holds it gets its text.
function resolve(value, results) {
  if (typeof value === 'string') {
    const lookUp = (reference, name, path) => {
      const earlier = results.find((r) => r.name === name);
      const found = earlier && path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), earlier);
      if (found === undefined) throw new Error(`${reference}: no such earlier result`);
      return found;
    };
    const whole = value.match(/^\$\(([^|()]+)\|([^()]+)\)$/);
    if (whole) return lookUp(value, whole[1], whole[2]);
    return value.replace(/\$\(([^|()]+)\|([^()]+)\)/g, (reference, name, path) => String(lookUp(reference, name, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, results));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, results)]));
  return value;
}

/**
 * Runs each step in order and collects what fn made of it: {name, ok, ...}. A throw is recorded, not fatal. A step's
 * "$(step|path)" strings are replaced by what that earlier step answered.
 */
async function runSteps(steps, fn) {
  const results = [];
  for (const step of steps) {
    try {
      Object.assign(step, resolve(step, results));
      results.push(Object.assign({ name: step.name }, await withSkew(step.skewSeconds, () => fn(step))));
    } catch (e) {
      results.push({ name: step.name, ok: false, thrown: String(e && e.stack || e) });
    }
  }
  return results;
}

/** Writes the result document and ends the process. */
function finish(result) {
  writeResult(JSON.stringify(Object.assign({ hosts: [...new Set(hosts)] }, result), (k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  writeResult('\n');
}

module.exports = { input, agent, clock, withSkew, runSteps, finish };
