// The police console without JavaScript: an investigator signs in, formally receives a
// report (its statutory clock starts), asks for an extension; a leader approves it; the
// investigator verifies the scammer's number and the public check changes at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { BASE, SHOTS, launchChromium } from './server.mjs';
import { signIn as signInAs, accessible as accessibleOn } from './officers.mjs';

let browser;
let verifiedValue;

// The text of one file inside a ZIP archive (a DOCX), read from the central directory.
function unzipText(path, name) {
  const buf = readFileSync(path);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a ZIP archive');
  let p = buf.readUInt32LE(eocd + 16);
  const entries = buf.readUInt16LE(eocd + 10);
  for (let i = 0; i < entries; i += 1) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entryName = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${name} not in ${path}`);
}

before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const signIn = (username, options) => signInAs(browser, username, options);
const accessible = (page, name, width) => accessibleOn(browser, page, name, width);

test('receive a report, request and approve an extension, verify a number', async () => {
  const inv = await signIn('e2e.thuly');
  const first = inv.locator('.queue-item').first();
  const code = (await first.locator('a.code').innerText()).trim();
  await first.locator('a.code').click();
  assert.equal((await inv.innerText('h1 .code')).trim(), code);
  await inv.click('form:has(input[name=action][value=receive]) button[type=submit]');
  assert.equal((await inv.innerText('.status-line strong')).trim(), 'Đã tiếp nhận, đang xác minh');
  assert.equal((await inv.innerText('.clock-box .days-left')).trim(), '20 ngày');
  const reportUrl = inv.url();

  const max = await inv.getAttribute('#ext-until', 'max');
  await inv.fill('#ext-until', max);
  await inv.fill('#ext-reason', 'Phải xác minh tại ba ngân hàng và hai nhà mạng');
  await inv.click('form:has(#ext-until) button[type=submit]');
  assert.match(await inv.innerText('.pending'), /Đề nghị gia hạn đến/);
  assert.equal(await inv.locator('.pending button[value=approve_extension]').count(), 0, 'an investigator cannot approve');

  const lead = await signIn('e2e.lanhdao');
  await lead.goto(reportUrl);
  await lead.click('.pending button[value=approve_extension]');
  const history = await lead.innerText('.history');
  assert.match(history, /Lãnh đạo phê duyệt gia hạn/);
  const [y, m, d] = max.split('-');
  assert.equal((await lead.innerText('.clock-box .deadline')).trim(), `${d}/${m}/${y}`);

  await inv.reload();
  const ident = inv.locator('.identifiers li').first();
  const value = (await ident.locator('.value').innerText()).trim();
  verifiedValue = value;
  await ident.locator('input[name=reason]').fill('Đã xác minh qua ngân hàng và nhà mạng');
  await ident.locator('button[value=verified]').click();
  assert.match(await inv.locator('.identifiers li').first().innerText(), /Đã xác minh lừa đảo/);
  await inv.screenshot({ path: `${SHOTS}/console-report.png`, fullPage: true });
  await accessible(inv, 'report page', 1024);

  // The report's ring: its reports and shared identifiers, drawn.
  await inv.click('.ring-link a');
  assert.match(await inv.innerText('h1'), /Đường dây #\d+: \d+ báo cáo/);
  const circles = await inv.locator('svg.ring-graph circle.report').count();
  assert.ok(circles >= 2, `reports drawn: ${circles}`);
  assert.ok(await inv.locator('svg.ring-graph rect.ident').count() >= 1, 'identifiers drawn');
  assert.ok(await inv.locator('table.ring-reports tbody tr').count() >= circles, 'every drawn report is listed');
  await inv.screenshot({ path: `${SHOTS}/console-ring.png`, fullPage: true });
  await accessible(inv, 'ring page', 1024);

  const citizen = await (await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' })).newPage();
  await citizen.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(value)}`);
  assert.match(await citizen.innerText('.verdict .badge'), /Nguy hiểm/);
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

test('a bank hold request: the letter opens with its text, and the held amount is recorded', async () => {
  const inv = await signIn('e2e.thuly');
  // A report with a transfer to a named account.
  await inv.goto(`${BASE}/console?q=chuyen&status=all`);
  const links = await inv.locator('.queue-item a.code').all();
  let found = false;
  for (const link of links.slice(0, 20)) {
    await inv.goto(`${BASE}${await link.getAttribute('href')}`);
    if (await inv.locator('form[action$="/tam-giu"] button').count()) { found = true; break; }
    await inv.goBack();
  }
  assert.ok(found, 'a report with transfers');
  const account = (await inv.locator('table.transfers tbody tr td').nth(1).innerText()).trim();
  await inv.click('form[action$="/tam-giu"] button');
  if (!new URL(inv.url()).pathname.startsWith('/console/tam-giu/')) {
    await inv.locator('#holds ul.holds a').first().click();
  }
  const [download] = await Promise.all([inv.waitForEvent('download'), inv.click('a[href$="de-nghi.docx"]')]);
  const file = await download.path();
  const xml = unzipText(file, 'word/document.xml');
  const text = xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
  for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Kính gửi:', 'Tổng cộng:']) {
    assert.ok(text.includes(expected), `${expected} in the letter`);
  }
  assert.ok(text.includes(account), `the receiving account ${account} in the letter`);

  await inv.selectOption('#hold-state', 'sent');
  await inv.click('form[action$="/trang-thai"] button');
  await inv.selectOption('#hold-state', 'held');
  await inv.fill('#hold-amount', '12.500.000');
  await inv.fill('#hold-note', 'Ngân hàng xác nhận qua điện thoại');
  await inv.click('form[action$="/trang-thai"] button');
  assert.equal((await inv.innerText('.held')).trim(), '12.500.000 đ');
  assert.equal((await inv.innerText('.hold-state')).trim(), 'Đang tạm giữ');
  await inv.screenshot({ path: `${SHOTS}/console-hold.png`, fullPage: true });
  await inv.goto(`${BASE}/console/tam-giu`);
  assert.ok(await inv.locator('svg.chart, figure.chart-figure svg').count() > 0, 'the weekly median is drawn');
  await accessible(inv, 'holds page', 1024);
});

test('an owner\'s dispute clears a number and the public check changes', async () => {
  assert.ok(verifiedValue, 'the first test verified a number');
  const citizen = await (await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN', viewport: { width: 360, height: 740 } })).newPage();
  await citizen.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(verifiedValue)}`);
  await citizen.click('a.dispute-link');
  assert.equal(await citizen.inputValue('#identifier'), verifiedValue);
  await citizen.fill('#name', 'Phạm Thị Hoa');
  await citizen.fill('#contact', 'hoa.pham@example.vn');
  await citizen.fill('#explanation', 'Đây là tài khoản của cửa hàng tôi; kẻ gian đã mạo danh cửa hàng để lừa khách.');
  await citizen.click('main form button[type=submit]');
  const code = (await citizen.innerText('.receipt .code')).trim();
  assert.match(code, /^KN-/);
  await accessible(citizen, 'dispute receipt', 360);

  const lead = await signIn('e2e.lanhdao');
  await lead.goto(`${BASE}/console/khieu-nai`);
  await lead.locator('ol.disputes a').first().click();
  assert.match(await lead.innerText('.current-verdict'), /Nguy hiểm/);
  await lead.fill('#decision-reason', 'Chủ cửa hàng đã chứng minh tài khoản bị mạo danh.');
  await lead.click('button[value=clear]');
  assert.equal((await lead.innerText('.dispute-status')).trim(), 'Đã gỡ cảnh báo');

  await citizen.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(verifiedValue)}`);
  assert.match(await citizen.innerText('.verdict .badge'), /gỡ cảnh báo/);
  await citizen.goto(`${BASE}/khieu-nai/ket-qua`);
  await citizen.fill('#code', code);
  await citizen.click('main form button[type=submit]');
  assert.equal((await citizen.innerText('.dispute-status')).trim(), 'Đã xem xét: gỡ cảnh báo');
});

test('an analyst protects a new brand and the public check flags its lookalike; deadlines list received reports', async () => {
  const ana = await signIn('e2e.phantich', { width: 360 });
  await ana.goto(`${BASE}/console/thuong-hieu`);
  await ana.fill('#brand-key', 'capnuoc-dongnai');
  await ana.fill('#brand-name', 'Cấp nước Đồng Nai');
  await ana.selectOption('#brand-category', 'utility');
  await ana.fill('#brand-domains', 'dnw.com.vn');
  await ana.click('#brand-form button[type=submit]');
  assert.match(await ana.innerText('table.brands'), /dnw\.com\.vn/);
  await accessible(ana, 'brands page', 360);

  const citizen = await (await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' })).newPage();
  await citizen.goto(`${BASE}/kiem-tra?tab=web&q=${encodeURIComponent('dnw-thanhtoan.com')}`);
  const verdict = await citizen.innerText('main');
  assert.match(verdict, /Cấp nước Đồng Nai/, 'the lookalike names the new brand');

  const lead = await signIn('e2e.lanhdao');
  await lead.goto(`${BASE}/console/han-xu-ly`);
  assert.ok(await lead.locator('table.deadlines tbody tr').count() >= 1, 'the report received earlier is listed');
  await accessible(lead, 'deadlines page', 1024);
});
