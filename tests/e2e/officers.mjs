// What the console's browser tests share: signing an officer in, and checking a page
// for width on a given screen and for axe-core violations.
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { BASE } from './server.mjs';

export const PASSWORD = process.env.E2E_PASSWORD;
assert.ok(PASSWORD, 'E2E_PASSWORD must hold the officers\' password');

export async function signIn(browser, username, { width = 1024, javaScriptEnabled = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled, locale: 'vi-VN' });
  const page = await context.newPage();
  await page.goto(`${BASE}/console`);
  assert.match(page.url(), /\/console\/dang-nhap\?next=/, 'signed-out visitors go to the sign-in page');
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('main form button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/console');
  return page;
}

export async function accessible(browser, page, name, width) {
  const html = await page.content();
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: true });
  const checked = await context.newPage();
  await checked.goto(`${BASE}/healthz`);
  await checked.setContent(html, { waitUntil: 'load' });
  const scroll = await checked.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${name}: page is ${scroll}px wide on a ${width}px screen`);
  const results = await new AxeBuilder({ page: checked }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${name}: axe-core violations`);
  await context.close();
}
