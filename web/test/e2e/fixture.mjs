import { launch } from './browser.mjs';
import { startServer, fetchPalette } from './server.mjs';

/** A server (width × height, pixel limits off) and a browser, for one describe block. */
export async function openFixture(width, height) {
  const server = await startServer({
    CANVAS_WIDTH: String(width), CANVAS_HEIGHT: String(height), RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0',
  });
  const browser = await launch();
  const palette = await fetchPalette(server.url);
  return { server, browser, palette };
}

/** Closes what {@link openFixture} opened, tolerating a half-opened fixture. */
export async function closeFixture({ server, browser }) {
  await browser?.close();
  await server?.stop();
}
