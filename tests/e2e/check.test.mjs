// The check page's four tabs, each used without JavaScript on a 360-pixel phone:
// a number, a website, a message (red flags highlighted) and a payment QR picture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { BASE, SHOTS, launchChromium } from './server.mjs';

const QR_PNG = fileURLToPath(new URL('./fixtures/vietqr-acb.png', import.meta.url));

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function phone(javaScriptEnabled = false) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    javaScriptEnabled, locale: 'vi-VN',
  });
  return context.newPage();
}

// axe-core runs in the page, so the page reached without JavaScript is loaded again,
// as it is, into a page that runs scripts.
async function fitsAndIsAccessible(page, name) {
  const html = await page.content();
  const checked = await phone(true);
  await checked.goto(`${BASE}/kiem-tra`);
  await checked.setContent(html, { waitUntil: 'load' });
  const width = await checked.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${name}: page is ${width}px wide on a 360px screen`);
  const results = await new AxeBuilder({ page: checked }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${name}: axe-core violations`);
}

test('message tab: a scam SMS is judged high and its red flags are highlighted', async () => {
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra`);
  await page.click('nav.tabs >> text=Tin nhắn');
  assert.equal(await page.innerText('.tabs a[aria-current=page]'), 'Tin nhắn');
  await page.fill('#text', 'Vietcombank: tài khoản của Quý khách sẽ bị khóa sau 24h. Vui lòng xác thực ngay tại https://vietcombank-xacthuc.top để tránh gián đoạn.');
  await page.click('form.check button[type=submit]');
  assert.equal((await page.innerText('.verdict.message .badge')).trim(), 'Rất có thể là lừa đảo');
  const marks = await page.$$eval('blockquote.original mark', (els) => els.map((e) => e.innerText));
  assert.ok(marks.includes('bị khóa'), `highlighted: ${marks}`);
  assert.ok(marks.includes('https://vietcombank-xacthuc.top'), `highlighted: ${marks}`);
  const flags = await page.$$eval('.red-flags li', (els) => els.map((e) => e.dataset.flag));
  assert.ok(flags.includes('lookalike_link'), `flags: ${flags}`);
  assert.ok(await page.isVisible('.results .verdict.level-suspicious'), 'the link gets its own verdict card');
  await page.screenshot({ path: `${SHOTS}/check-message.png`, fullPage: true });
  await fitsAndIsAccessible(page, 'message tab');
});

test('message tab: a bank one-time code message is not flagged', async () => {
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra?tab=tin-nhan`);
  await page.fill('#text', 'Ma OTP cua Quy khach la 552190 de xac thuc giao dich. Tuyet doi KHONG cung cap OTP cho bat ky ai.');
  await page.click('form.check button[type=submit]');
  assert.equal((await page.innerText('.verdict.message .badge')).trim(), 'Chưa thấy dấu hiệu lừa đảo rõ ràng');
  assert.equal(await page.$$eval('blockquote.original mark', (els) => els.length), 0);
});

test('message tab: the sender decides with the wording, and the reasons are listed', async () => {
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra?tab=tin-nhan`);
  await page.fill('#text', 'Ngân hàng thông báo: tài khoản của quý khách bị tạm khóa, gọi lại số này để mở khóa.');
  await page.fill('#sender', '0912 345 678');
  await page.click('form.check button[type=submit]');
  assert.equal((await page.innerText('.verdict.message .badge')).trim(), 'Rất có thể là lừa đảo');
  const flags = await page.$$eval('.red-flags li', (els) => els.map((e) => e.dataset.flag));
  assert.ok(flags.includes('sender_impersonation'), `flags: ${flags}`);
  const factors = await page.$$eval('.factors li', (els) => els.map((e) => [e.dataset.factor, e.dataset.effect]));
  assert.ok(factors.some(([k, e]) => k === 'sender_impersonation' && e === 'raises'), `factors: ${factors}`);
  assert.equal(await page.inputValue('#sender'), '0912 345 678', 'the sender stays in the form');
  await fitsAndIsAccessible(page, 'message tab with a sender');

  // A carrier's promotion naming its own short code is low, and says why.
  await page.fill('#text', 'Viettel tặng 20% giá trị thẻ nạp khi nạp thẻ online hôm nay tại https://viettel.vn/nap-the. Chi tiết LH 198 (0đ).');
  await page.fill('#sender', 'Viettel');
  await page.click('form.check button[type=submit]');
  assert.equal((await page.innerText('.verdict.message .badge')).trim(), 'Chưa thấy dấu hiệu lừa đảo rõ ràng');
  const lowered = await page.$$eval('.factors li[data-effect=lowers]', (els) => els.map((e) => e.dataset.factor));
  assert.ok(lowered.includes('official_link') && lowered.includes('sender'), `lowered by: ${lowered}`);

  // Something that is no sender is refused with a reason, and nothing is analysed.
  await page.fill('#sender', '<b>ngân hàng</b>');
  await page.click('form.check button[type=submit]');
  assert.match(await page.innerText('p.error'), /Người gửi phải là/);
  assert.equal(await page.$('.verdict.message'), null);
});

test('website tab: a lookalike of a bank is named with its real domain', async () => {
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra?tab=web`);
  await page.fill('#q', 'vietcombank-hotro.com.vn');
  await page.click('form.check button[type=submit]');
  assert.equal((await page.innerText('.verdict .badge')).trim(), 'Đáng ngờ');
  const reasons = await page.innerText('.verdict .reasons');
  assert.match(reasons, /Vietcombank/);
  assert.match(reasons, /vietcombank\.com\.vn/);
  assert.equal(await page.innerText('.tabs a[aria-current=page]'), 'Trang web');
  await fitsAndIsAccessible(page, 'website tab');
});

test('QR tab: a picture of a payment code names the bank and checks the account', async () => {
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra?tab=qr`);
  await page.setInputFiles('#image', QR_PNG);
  await page.click('form.check button[type=submit]');
  assert.equal((await page.innerText('.qr-account')).trim(), '257678859');
  assert.match(await page.innerText('.qr-bank'), /ACB \(970416\)/);
  assert.ok(await page.isVisible('.results .verdict'), 'the receiving account gets a verdict');
  await page.screenshot({ path: `${SHOTS}/check-qr.png`, fullPage: true });
  await fitsAndIsAccessible(page, 'QR tab');
});

test('number tab: a phone number gets a verdict with its carrier', async () => {
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra?tab=so`);
  await page.fill('#q', '0912 345 678');
  await page.click('form.check button[type=submit]');
  assert.ok(await page.isVisible('.verdict .badge'));
  assert.match(await page.innerText('.verdict .facts-line'), /VinaPhone|Vinaphone/);
});

// Issue 14, points 1–4: an account number alone is looked up at every bank; the verdict
// is on the first screen of a 360×640 phone, with the count and the loss in its badge
// line; dates are written dd/mm/yyyy; the language switch keeps the query. With and
// without JavaScript.
test('number tab: an account number alone is checked at every bank, verdict first', async () => {
  const report = {
    channel: 'facebook',
    narrative: 'Người bán trên mạng nhận tiền đặt cọc rồi chặn liên lạc.',
    amount_lost_vnd: 8500000,
    transfers: [{ bank: 'ACB', account: '82353350041', amount_vnd: 8500000 }],
  };
  const filed = await fetch(`${BASE}/api/v1/reports`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report),
  });
  assert.equal(filed.status, 201);
  for (const js of [false, true]) {
    const page = await phone(js);
    await page.setViewportSize({ width: 360, height: 640 });
    await page.goto(`${BASE}/kiem-tra?tab=so`);
    await page.fill('#q', '82353350041');
    await page.click('form.check button[type=submit]');
    // The index follows new reports within a second or so.
    for (let i = 0; i < 20 && !(await page.isVisible('.number-check .banks-found')); i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    assert.equal((await page.innerText('.number-check .banks-found strong')).trim(), '1', `js=${js}`);
    assert.equal((await page.innerText('.results .verdict .value')).trim(), 'ACB 82353350041');
    assert.equal((await page.innerText('.results .verdict .badge')).trim(), 'Đã bị báo cáo');
    assert.match(await page.innerText('.results .verdict .badge-facts'), /1 báo cáo · 8\.500\.000 đ bị lừa/);
    const badge = await page.locator('.results .verdict .badge').boundingBox();
    assert.ok(badge && badge.y + badge.height <= 640, `the verdict is on the first screen (y=${badge?.y})`);
    if (!js) await page.screenshot({ path: `${SHOTS}/check-account.png` });
    const dates = await page.$$eval('.results .verdict dl.facts dd', (els) => els.map((e) => e.innerText));
    assert.ok(dates.some((d) => /^\d{2}\/\d{2}\/\d{4}$/.test(d)), `dd/mm/yyyy dates: ${dates}`);
    await page.click('nav a[lang=en]');
    assert.equal(await page.inputValue('#q'), '82353350041', 'the query survives the language switch');
    assert.equal((await page.innerText('.results .verdict .badge')).trim(), 'Reported');
    await page.context().close();
  }
  // Digits that no bank knows and no phone can be: said so, not refused.
  const page = await phone();
  await page.goto(`${BASE}/kiem-tra?q=1012345678`);
  assert.ok(await page.isVisible('.number-check .no-bank'));
  assert.equal(await page.locator('p.error').count(), 0);
  await fitsAndIsAccessible(page, 'account number check');
});
