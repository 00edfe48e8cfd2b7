import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { startServer, fetchPalette, javaBin } from './server.mjs';
import { startOidcProvider, freePort } from './oidc.mjs';
import { openApp, waitConnected, clickPixel, waitForColor } from './page.mjs';

const W = 20, H = 10;

describe('sign-in with an OpenID Connect provider', () => {
  let provider, server, browser, black;

  before(async () => {
    provider = await startOidcProvider(javaBin());
    const port = await freePort();
    server = await startServer({
      CANVAS_WIDTH: String(W), CANVAS_HEIGHT: String(H),
      OIDC_ID: 'mock', OIDC_NAME: 'Mock ID', OIDC_ISSUER: provider.issuer('default'),
      OIDC_CLIENT_ID: 'pixels', OIDC_CLIENT_SECRET: 'pixels-secret',
      OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/auth/mock/callback`,
      REQUIRE_LOGIN_TO_PAINT: 'true',
    }, { port });
    browser = await launch();
    const palette = await fetchPalette(server.url);
    black = palette.find((c) => c.toUpperCase() === '#000000') ?? palette[1];
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    provider?.stop();
  });

  it('a visitor may not paint, signs in through the provider, sees their name and paints', async () => {
    const page = await openApp(browser.context, server.url);
    await waitConnected(page);
    await clickPixel(page, 2, 2);
    await page.waitForFunction(() => /Sign in to paint/.test(document.body.textContent));

    await page.click('text=Sign in with Mock ID');
    // The mock provider's login form: any user name signs in as that subject.
    await page.waitForSelector('input[name=username]', { timeout: 10_000 }).catch(() => null);
    if (await page.$('input[name=username]')) {
      await page.fill('input[name=username]', 'alice');
      await page.click('input[type=submit], button[type=submit]');
    }
    await page.waitForURL(/\/app\/(index\.html)?$/, { timeout: 15_000 });
    await waitConnected(page);
    const userId = await page.evaluate(() => window.pixels.client.session.userId);
    assert.match(userId, /^mock:/);
    const shown = await page.textContent('#signed-in-as');
    assert.ok(shown && shown.length > 0, 'the page shows the display name');
    await clickPixel(page, 3, 4);
    await waitForColor(page, 3, 4, black.toUpperCase());
    await page.close();
  });

  it('a callback whose state is not this browser\'s lands on the canvas with the refusal in words, not JSON', async () => {
    const page = await openApp(browser.context, server.url, { path: '/auth/mock/callback?code=stolen&state=forged' });
    const toast = page.locator('.toast[data-reason="signin_error"]');
    await toast.waitFor({ timeout: 5_000 });
    assert.match(await toast.textContent(), /started in another browser or tab/);
    assert.equal(new URL(page.url()).hash, '', 'the fragment is removed from the address bar');
    // The canvas page itself, with its top bar, not a JSON document.
    await page.waitForSelector('#signin', { timeout: 5_000 });
    await page.close();
  });
});
