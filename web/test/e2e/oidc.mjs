// Starts no.nav.security:mock-oauth2-server, a real OpenID Connect server,
// as its own process for browser tests: the server module's test classpath
// (written into server/target/test-classpath.txt by every Maven build of
// the server module) holds it. Always killed at the end, like the Pixels server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT, sleep } from './server.mjs';

const CLASSPATH_FILE = path.join(REPO_ROOT, 'server', 'target', 'test-classpath.txt');

function classpath() {
  if (!fs.existsSync(CLASSPATH_FILE)) {
    throw new Error(`${CLASSPATH_FILE} is missing: build the server first (./mvnw -pl server -DskipTests package)`);
  }
  return fs.readFileSync(CLASSPATH_FILE, 'utf8').trim();
}

/** A TCP port free right now, for a server whose address must be known before it starts. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the provider; `issuer(id)` is the issuer URL of issuer `id`. */
export async function startOidcProvider(javaBin) {
  const port = await freePort();
  const child = spawn(javaBin, ['-cp', classpath(), 'no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt'], {
    env: { ...process.env, SERVER_HOSTNAME: '127.0.0.1', SERVER_PORT: String(port) },
    stdio: 'ignore',
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/default/.well-known/openid-configuration`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error('mock-oauth2-server did not start');
    await sleep(200);
  }
  return {
    issuer: (id) => `${base}/${id}`,
    stop: () => child.kill('SIGKILL'),
  };
}
