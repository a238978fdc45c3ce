// A citizen reports a scam, follows it, and the check then shows what was reported.
// playwright-core drives Debian's Chromium (/usr/bin/chromium) against a server that
// the Rust test `crates/cli/tests/e2e.rs` starts on a random port (BASE_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { BASE, SHOTS, launchChromium } from './server.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

// Unique identifiers per run, valid Vietnamese formats.
const suffix = String(Date.now() % 10_000_000).padStart(7, '0');
const phone = `0912${suffix.slice(0, 3)}${suffix.slice(3)}`.slice(0, 10);
const account = `1903${suffix}`;

test('a citizen files a report without JavaScript, follows it, and the check shows it', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
  const page = await context.newPage();
  await page.goto(`${BASE}/bao-cao`);
  await page.selectOption('#channel', 'call');
  await page.selectOption('#method', 'impersonate_authority');
  await page.fill('#narrative', 'Có người gọi điện xưng là công an, nói tôi liên quan đến một vụ án và bắt chuyển tiền để xác minh.');
  // Amounts as people write them (issue 14 point 6).
  await page.fill('#amount_lost', '12,5 triệu');
  await page.selectOption('#i_kind_0', 'phone');
  await page.fill('#i_value_0', phone);
  await page.selectOption('#i_kind_1', 'bank_account');
  await page.fill('#i_value_1', account);
  await page.fill('#i_bank_1', 'Techcombank');
  await page.fill('#reporter_name', 'Nguyễn Thị Hoa');
  await page.fill('#reporter_phone', '0987 654 321');
  await page.click('button[type=submit]');

  const code = (await page.innerText('#tracking-code')).trim();
  const secret = (await page.innerText('#secret')).trim();
  assert.match(code, /^CG-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(secret.length, 16);
  await page.screenshot({ path: `${SHOTS}/report-done.png`, fullPage: true });
  // The receipt echoes the amount as read and says what happens next (points 6 and 8).
  assert.equal((await page.innerText('.amounts-read dd')).trim(), '12.500.000 đ');
  assert.ok((await page.locator('.next-steps li').count()) >= 3);
  assert.equal(await page.locator('button[data-copy]:visible').count(), 0, 'no copy buttons without JavaScript');

  await page.click('button[type=submit]');
  assert.equal((await page.innerText('.status')).trim(), 'Đã nhận, chờ cán bộ xem xét');
  assert.equal((await page.innerText('.holds')).trim(), 'Chưa');
  const listed = await page.$$eval('.identifiers .value', (els) => els.map((e) => e.innerText.trim()));
  assert.ok(listed.some((v) => v.replace(/\s/g, '') === phone), `status page lists ${phone}: ${listed}`);
  assert.ok(listed.includes(`Techcombank ${account}`), `status page lists the account: ${listed}`);

  for (const q of [phone, `TCB ${account}`]) {
    await page.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(q)}`);
    assert.equal((await page.innerText('.verdict .badge')).trim(), 'Đã bị báo cáo', q);
    assert.equal((await page.innerText('.verdict .report-count')).trim(), '1', q);
  }
  await context.close();
});

test('pages are usable on a 360-pixel phone and have no serious accessibility violations', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  const page = await context.newPage();
  const pages = [
    ['home', '/'],
    ['check', `/kiem-tra?q=${encodeURIComponent(phone)}`],
    ['check-text', `/kiem-tra?q=${encodeURIComponent(`Chuyển tiền vào STK ${account} Techcombank rồi gọi ${phone}`)}`],
    ['report', '/bao-cao'],
    ['status', '/theo-doi'],
  ];
  for (const [name, path] of pages) {
    await page.goto(`${BASE}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${name}: the page is ${width}px wide on a 360px screen`);
    const submit = page.locator('button[type=submit]').first();
    if (await submit.count()) {
      const box = await submit.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name}: the main button is on screen`);
    }
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${name}: axe-core violations`);
    await page.screenshot({ path: `${SHOTS}/phone-${name}.png`, fullPage: true });
  }
  await context.close();
});
