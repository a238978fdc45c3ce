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

// The guided report form, screen by screen (issue 14 point 5): what happened → how you
// paid → who contacted you → you → check and send.
// axe-core on the page as it is (only where scripts run: axe runs in the page).
async function axeClean(page, name) {
  if (!(await page.evaluate(() => true).catch(() => false))) return;
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${name}: axe-core violations`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${name}: the page is ${width}px wide on a 360px screen`);
}

async function fileReportAs(page, { phone, account }, check = async () => {}) {
  await page.goto(`${BASE}/bao-cao`);
  assert.equal((await page.innerText('.step-of')).trim(), 'Báo cáo lừa đảo · Bước 1/4');
  // A screen is checked before the next one: nothing chosen, nothing told.
  await page.click('button[value=next]');
  assert.deepEqual(
    await page.$$eval('.error-summary li', (els) => els.map((e) => e.dataset.code)),
    ['channel_missing', 'narrative_missing'],
  );
  assert.equal(await page.getAttribute('#narrative', 'aria-invalid'), 'true');
  assert.ok(await page.isVisible('#narrative-error'), 'the error is said beside its field');
  await page.click('.error-summary a[href="#narrative"]');
  assert.match(page.url(), /#narrative$/, 'the summary links to the field');
  await check('report step 1 with errors');
  await page.selectOption('#channel', 'call');
  await page.selectOption('#method', 'impersonate_authority');
  await page.fill('#narrative', `Có người gọi điện xưng là công an, nói tôi liên quan đến một vụ án và bắt chuyển tiền vào STK ${account} Techcombank để xác minh.`);
  await page.click('button[value=next]');
  assert.equal((await page.innerText('h1')).trim(), 'Bạn đã mất tiền thế nào?');
  await page.screenshot({ path: `${SHOTS}/report-step-2.png` });
  await check('report step 2');
  // Amounts as people write them (point 6).
  await page.fill('#amount_lost', '12,5 triệu');
  await page.fill('#t_bank_0', 'Techcombank');
  await page.fill('#t_account_0', account);
  await page.fill('#t_amount_0', '12tr5');
  await page.click('button[value=next]');
  assert.equal((await page.innerText('h1')).trim(), 'Kẻ gian đã liên lạc với bạn bằng gì?');
  await check('report step 3');
  await page.selectOption('#i_kind_0', 'phone');
  await page.fill('#i_value_0', phone);
  await page.click('button[value=next]');
  assert.equal((await page.innerText('h1')).trim(), 'Thông tin của bạn');
  await check('report step 4');
  await page.fill('#reporter_name', 'Nguyễn Thị Hoa');
  await page.fill('#reporter_phone', '0987 654 321');
  await page.click('button[value=next]');
  assert.equal((await page.innerText('h1')).trim(), 'Kiểm tra lại trước khi gửi');
  const answers = await page.$$eval('.review dd', (els) => els.map((e) => e.innerText.trim()));
  assert.ok(answers.includes('12.500.000 đ'), `the amount as read: ${answers}`);
  assert.ok(answers.includes(`Techcombank ${account} · 12.500.000 đ`), `the transfer: ${answers}`);
  assert.ok(answers.includes('Nguyễn Thị Hoa'));
  await page.screenshot({ path: `${SHOTS}/report-review.png`, fullPage: true });
  await check('report review');
  // Change an earlier answer from the review; everything else is kept.
  await page.click('button[value=edit-3]');
  assert.equal(await page.inputValue('#i_value_0'), phone);
  await page.click('button[value=next]');
  await page.click('button[value=next]');
  await page.click('button[value=send]');
}

for (const javaScriptEnabled of [false, true]) {
  test(`a citizen files a report step by step (JavaScript ${javaScriptEnabled ? 'on' : 'off'}), follows it, and the check shows it`, async () => {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const suffix = javaScriptEnabled ? '1' : '0';
    const mine = { phone: `${phone.slice(0, 9)}${suffix}`, account: `${account}${suffix}` };
    const check = javaScriptEnabled ? (name) => axeClean(page, name) : async () => {};
    await fileReportAs(page, mine, check);
    const code = (await page.innerText('#tracking-code')).trim();
    const secret = (await page.innerText('#secret')).trim();
    assert.match(code, /^CG-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(secret.length, 16);
    await page.screenshot({ path: `${SHOTS}/report-done-js-${javaScriptEnabled ? 'on' : 'off'}.png`, fullPage: true });
    // The receipt echoes the amounts as read and says what happens next (points 6 and 8).
    const amounts = await page.$$eval('.amounts-read dd', (els) => els.map((e) => e.innerText.trim()));
    assert.deepEqual(amounts, ['12.500.000 đ', '12.500.000 đ']);
    assert.ok((await page.locator('.next-steps li').count()) >= 3);
    await check('receipt');
    if (javaScriptEnabled) {
      assert.equal(await page.locator('button[data-copy]:visible').count(), 2, 'copy buttons for the code and the secret');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
      await page.click('button[data-copy="#tracking-code"]');
      await page.waitForFunction(() => document.querySelector('button[data-copy="#tracking-code"]').textContent.trim() === 'Đã chép', null, { timeout: 5000 });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, 'the code is on the clipboard');
    } else {
      assert.equal(await page.locator('button[data-copy]:visible').count(), 0, 'no copy buttons without JavaScript');
    }

    await page.click('main form button[type=submit]');
    assert.equal((await page.innerText('.status')).trim(), 'Đã nhận, chờ cán bộ xem xét');
    assert.equal((await page.innerText('.holds')).trim(), 'Chưa');
    await check('status page');
    const listed = await page.$$eval('.identifiers .value', (els) => els.map((e) => e.innerText.trim()));
    assert.ok(listed.some((v) => v.replace(/\s/g, '') === mine.phone), `status page lists ${mine.phone}: ${listed}`);
    assert.ok(listed.includes(`Techcombank ${mine.account}`), `status page lists the account: ${listed}`);

    for (const q of [mine.phone, `TCB ${mine.account}`]) {
      await page.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(q)}`);
      assert.equal((await page.innerText('.verdict .badge')).trim(), 'Đã bị báo cáo', q);
      assert.equal((await page.innerText('.verdict .report-count')).trim(), '1', q);
    }
    await context.close();
  });

  // Point 7: a time after now is refused on the first screen, beside its field.
  test(`a contact time in the future is refused (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/bao-cao`);
    await page.selectOption('#channel', 'sms');
    await page.fill('#narrative', 'Tin nhắn báo trúng thưởng, bảo nộp phí nhận quà.');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('#contacted_at', `${tomorrow}T10:00`);
    await page.click('button[value=next]');
    assert.deepEqual(await page.$$eval('.error-summary li', (els) => els.map((e) => e.dataset.code)), ['contacted_at_future']);
    assert.equal(await page.getAttribute('#contacted_at', 'aria-invalid'), 'true');
    assert.equal((await page.innerText('.step-of')).trim(), 'Báo cáo lừa đảo · Bước 1/4');
    await context.close();
  });
}

test('pages are usable on a 360-pixel phone and have no serious accessibility violations', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  const page = await context.newPage();
  const pages = [
    ['home', '/'],
    ['check', `/kiem-tra?q=${encodeURIComponent(phone)}`],
    ['check-text', `/kiem-tra?q=${encodeURIComponent(`Chuyển tiền vào STK ${account} Techcombank rồi gọi ${phone}`)}`],
    ['report', '/bao-cao'],
    ['status', '/theo-doi'],
    ['warnings', '/canh-bao'],
    ['dispute', '/khieu-nai'],
    ['dispute-status', '/khieu-nai/ket-qua'],
    ['not-found', '/khong-co-trang-nay'],
  ];
  for (const [name, path] of pages) {
    await page.goto(`${BASE}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${name}: the page is ${width}px wide on a 360px screen`);
    const submit = page.locator('main button[type=submit]').first();
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
