// Starts the real server jar for browser tests: random port (PORT=0 plus
// PORT_FILE), its own data dir, and always a kill at the end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const JAR = path.resolve(REPO_ROOT, process.env.PIXELS_JAR || 'target/pixels.jar');
export const ADMIN_TOKEN = 'e2e-admin-token';
export const ARTIFACTS = path.join(REPO_ROOT, 'target', 'web-e2e');

/**
 * JAVA_HOME when set; otherwise the newest JDK under /usr/lib/jvm, because
 * this machine's default `java` is 17 and the jar needs 21 or later.
 */
export function javaBin() {
  if (process.env.JAVA_HOME) return path.join(process.env.JAVA_HOME, 'bin', 'java');
  const jvm = '/usr/lib/jvm';
  const candidates = fs.existsSync(jvm)
    ? fs.readdirSync(jvm)
        .map((d) => ({ d, v: Number(/(?:^|-)(\d{2})(?:[.-]|$)/.exec(d)?.[1] ?? 0) }))
        .filter(({ d, v }) => v >= 21 && fs.existsSync(path.join(jvm, d, 'bin', 'java')))
        .sort((a, b) => b.v - a.v)
    : [];
  return candidates.length ? path.join(jvm, candidates[0].d, 'bin', 'java') : 'java';
}

const running = new Set();
// A failed assertion must not leave a JVM behind holding a port.
function killAll() {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * @param {object} env  extra environment (rate limits, canvas size...)
 * @param {object} [opts]
 * @param {string} [opts.dataDir]  reuse a data dir (restart with the same data)
 * @param {number} [opts.port]     reuse a port (so open pages reconnect to it)
 */
export async function startServer(env = {}, opts = {}) {
  if (!fs.existsSync(JAR)) throw new Error(`server jar not found at ${JAR}; build it with ./mvnw -q -B -DskipTests package`);
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pixels-e2e-data-'));
  const portFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixels-e2e-port-')), 'port');
  const logPath = path.join(dataDir, `server-${Date.now()}.log`);
  const log = fs.openSync(logPath, 'a');
  const child = spawn(javaBin(), ['-jar', JAR], {
    env: {
      ...process.env,
      PORT: String(opts.port ?? 0),
      HOST: '127.0.0.1',
      PORT_FILE: portFile,
      STORAGE: 'embedded',
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      CANVAS_SNAPSHOT_MAX_AGE_MS: '0',
      // Page loads and resyncs fetch /canvas; tests must not trip the REST limit.
      REST_LIMIT_CANVAS_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  running.add(child);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => running.delete(child));

  const deadline = Date.now() + 30_000;
  let port = null;
  while (port === null) {
    const early = await Promise.race([exited, sleep(100).then(() => null)]);
    if (early) throw new Error(`server exited (${JSON.stringify(early)}) before listening:\n${tail(logPath)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not write ${portFile} within 30 s:\n${tail(logPath)}`);
    }
    const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (/^\d+$/.test(text)) port = Number(text);
  }
  const url = `http://127.0.0.1:${port}`;

  async function stop(signal = 'SIGTERM') {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    // A pending 10 s timer would keep the test process alive that long after a quick exit.
    let timer;
    const done = await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 10_000, null); })]);
    clearTimeout(timer);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  return { url, port, dataDir, logPath, env, stop, log: () => tail(logPath) };
}

/** Stops a server and starts it again on the same port with the same data. */
export async function restartServer(server) {
  await server.stop();
  return startServer(server.env, { dataDir: server.dataDir, port: server.port });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** GET /canvas as {width, height, seq, bytes}. */
export async function fetchCanvas(url) {
  const res = await fetch(`${url}/canvas`);
  if (!res.ok) throw new Error(`/canvas answered ${res.status}`);
  return {
    width: Number(res.headers.get('X-Canvas-Width')),
    height: Number(res.headers.get('X-Canvas-Height')),
    seq: Number(res.headers.get('X-Canvas-Seq')),
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

export async function fetchPalette(url) {
  return (await (await fetch(`${url}/palette`)).json()).colors;
}
