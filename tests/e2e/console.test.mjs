// The police console without JavaScript: an investigator signs in, formally receives a
// report (its statutory clock starts), asks for an extension; a leader approves it; the
// investigator verifies the scammer's number and the public check changes at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { BASE, SHOTS, launchChromium } from './server.mjs';

const PASSWORD = process.env.E2E_PASSWORD;
assert.ok(PASSWORD, 'E2E_PASSWORD must hold the officers\' password');

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function signIn(username, { width = 1024, javaScriptEnabled = false } = {}) {
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

async function accessible(page, name, width) {
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

test('receive a report, request and approve an extension, verify a number', async () => {
  const inv = await signIn('e2e.thuly');
  const first = inv.locator('.queue-item').first();
  const code = (await first.locator('a.code').textContent()).trim();
  await first.locator('a.code').click();
  assert.equal((await inv.textContent('h1 .code')).trim(), code);
  await inv.click('form:has(input[name=action][value=receive]) button[type=submit]');
  assert.equal((await inv.textContent('.status-line strong')).trim(), 'Đã tiếp nhận, đang xác minh');
  assert.equal((await inv.textContent('.clock-box .days-left')).trim(), '20 ngày');
  const reportUrl = inv.url();

  const max = await inv.getAttribute('#ext-until', 'max');
  await inv.fill('#ext-until', max);
  await inv.fill('#ext-reason', 'Phải xác minh tại ba ngân hàng và hai nhà mạng');
  await inv.click('form:has(#ext-until) button[type=submit]');
  assert.match(await inv.textContent('.pending'), /Đề nghị gia hạn đến/);
  assert.equal(await inv.locator('.pending button[value=approve_extension]').count(), 0, 'an investigator cannot approve');

  const lead = await signIn('e2e.lanhdao');
  await lead.goto(reportUrl);
  await lead.click('.pending button[value=approve_extension]');
  const history = await lead.textContent('.history');
  assert.match(history, /Lãnh đạo phê duyệt gia hạn/);
  const [y, m, d] = max.split('-');
  assert.equal((await lead.textContent('.clock-box .deadline')).trim(), `${d}/${m}/${y}`);

  await inv.reload();
  const ident = inv.locator('.identifiers li').first();
  const value = (await ident.locator('.value').textContent()).trim();
  await ident.locator('input[name=reason]').fill('Đã xác minh qua ngân hàng và nhà mạng');
  await ident.locator('button[value=verified]').click();
  assert.match(await inv.locator('.identifiers li').first().textContent(), /Đã xác minh lừa đảo/);
  await inv.screenshot({ path: `${SHOTS}/console-report.png`, fullPage: true });
  await accessible(inv, 'report page', 1024);

  const citizen = await (await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' })).newPage();
  await citizen.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(value)}`);
  assert.match(await citizen.textContent('.verdict .badge'), /Nguy hiểm/);
});

test('the queue and a report work on a 360-pixel phone; analysts see no reporter', async () => {
  const page = await signIn('e2e.phantich', { width: 360 });
  await accessible(page, 'queue', 360);
  await page.locator('.queue-item a.code').first().click();
  assert.equal(await page.locator('form[action$="/nguoi-bao-cao"]').count(), 0, 'no way to the reporter for analysts');
  assert.equal(await page.locator('form:has(input[name=action][value=receive])').count(), 0, 'analysts do not handle');
  await accessible(page, 'report page on a phone', 360);
  // Search ignores diacritics.
  await page.goto(`${BASE}/console?q=tai+khoan&status=all`);
  const items = await page.locator('.queue-item').count();
  assert.ok(items > 0, 'unaccented search finds accented narratives');
});
