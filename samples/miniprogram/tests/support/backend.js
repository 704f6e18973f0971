// The backend the page tests talk to: LIVEROOMS_URL when set (an already running LiveCloud.LiveRooms), otherwise
// this starts samples/LiveCloud.LiveRooms itself with `dotnet run`, on free loopback ports, with the local Nginx
// provider (nginx + libnginx-mod-rtmp must be installed), waits until it answers, and stops it afterwards.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const PROJECT = path.join(REPO, 'samples', 'LiveCloud.LiveRooms');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startBackend({ command, timeoutMs } = {}) {
  if (process.env.LIVEROOMS_URL) {
    const url = process.env.LIVEROOMS_URL.replace(/\/+$/, '');
    await waitUntilUp(url, null, Number(process.env.LIVEROOMS_START_TIMEOUT_MS || 30000));
    return { url, stop: async () => {}, log: () => '' };
  }

  if (!command && !fs.existsSync(path.join(PROJECT, 'LiveCloud.LiveRooms.csproj'))) {
    throw new Error(`The backend project ${PROJECT} is not here; set LIVEROOMS_URL to a running LiveCloud.LiveRooms instead.`);
  }

  const [httpPort, rtmpPort, nginxHttpPort] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${httpPort}`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livecloud-miniprogram-'));
  // Defaults for a self-contained run; a variable already set in the environment wins.
  const env = {
    DOTNET_NOLOGO: '1',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    // `dotnet run` of a web project runs in the project folder: keep the tests' rooms out of its data/.
    LiveRooms__DataDirectory: path.join(workDir, 'data'),
    LiveCloud__Provider: 'Nginx',
    LiveCloud__Nginx__RtmpPort: String(rtmpPort),
    LiveCloud__Nginx__HttpPort: String(nginxHttpPort),
    LiveCloud__Nginx__WorkDirectory: path.join(workDir, 'nginx'),
    LiveCloud__Nginx__HookBaseUrl: `${url}/api/callbacks/nginx`,
    LiveCloud__Nginx__SigningKey: crypto.randomBytes(24).toString('hex'),
    ...process.env,
  };

  // LIVEROOMS_CONFIGURATION=Release runs an existing Release build (scripts/test.sh builds it first).
  const built = process.env.LIVEROOMS_CONFIGURATION ? ['-c', process.env.LIVEROOMS_CONFIGURATION, '--no-build'] : [];
  const [file, ...args] = command || ['dotnet', 'run', '--project', PROJECT, ...built, '--', '--urls', url];
  const child = spawn(file, command ? [...args, url] : args, { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => { output = (output + chunk.toString()).slice(-20000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch (_) { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch (_) { /* gone */ } }, 15000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    // The first `dotnet run` builds the app: allow for a slow, shared machine.
    await waitUntilUp(url, exited, timeoutMs || Number(process.env.LIVEROOMS_START_TIMEOUT_MS || 300000));
  } catch (err) {
    await stop();
    err.message += `\n--- backend output (last lines) ---\n${output.split('\n').slice(-40).join('\n')}`;
    throw err;
  }

  return { url, stop, log: () => output };
}

async function waitUntilUp(url, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let gone = null;
  if (exited) exited.then((r) => { gone = r; });
  let last = '';
  while (Date.now() < deadline) {
    if (gone) throw new Error(`The backend exited (code ${gone.code}, signal ${gone.signal}) before answering at ${url}.`);
    try {
      const res = await fetch(`${url}/api/rooms`, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause ? err.cause.code || err.cause.message : err.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The backend did not answer GET ${url}/api/rooms within ${timeoutMs} ms (last: ${last}).`);
}

module.exports = { startBackend };
