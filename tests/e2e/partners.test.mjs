// A bank without an integration, on a 360-pixel phone without JavaScript: an
// administrator registers the bank and issues a key (shown once); an investigator sends
// a hold request; the bank signs in to the portal with the key and records that it
// held the money; the officer's page shows the bank's answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchChromium } from './server.mjs';
import { signIn as signInAs, accessible as accessibleOn } from './officers.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });
const signIn = (username, options) => signInAs(browser, username, options);
const accessible = (page, name, width) => accessibleOn(browser, page, name, width);

test('a bank answers a hold request in the portal on a phone', async () => {
  const account = `7${String(Date.now() % 1_000_000_000).padStart(9, '0')}`;
  const filed = await fetch(`${BASE}/api/v1/reports`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'call', narrative: 'Người gọi xưng công an bắt chuyển tiền vào tài khoản an toàn.',
      transfers: [{ bank: 'VCB', account, amount_vnd: 30_000_000 }],
    }),
  });
  assert.equal(filed.status, 201, await filed.clone().text());
  const { tracking_code: code } = await filed.json();

  // The investigator makes the request and sends it.
  const inv = await signIn('e2e.thuly', { width: 360 });
  await inv.goto(`${BASE}/console?q=${encodeURIComponent(code)}&status=all`);
  await inv.click('.queue-item a.code');
  await inv.click('form[action$="/tam-giu"] button');
  if (!new URL(inv.url()).pathname.startsWith('/console/tam-giu/')) {
    await inv.locator('#holds ul.holds a').first().click();
  }
  const holdUrl = inv.url();
  await inv.selectOption('#hold-state', 'sent');
  await inv.click('form[action$="/trang-thai"] button');

  // The administrator registers the bank (once per server) and issues a key.
  const admin = await signIn('e2e.quantri', { width: 360 });
  await admin.goto(`${BASE}/console/doi-tac`);
  const existing = admin.locator('#partners a', { hasText: 'Vietcombank' });
  if (await existing.count()) {
    await existing.first().click();
  } else {
    await admin.fill('input[name=name]', 'Vietcombank');
    await admin.selectOption('select[name=kind]', 'bank');
    await admin.fill('input[name=bank_bin]', '970436');
    await admin.click('#partner-form button[type=submit]');
  }
  assert.match(new URL(admin.url()).pathname, /^\/console\/doi-tac\/\d+$/);
  const partnerUrl = admin.url();
  await admin.check('input[name=scopes][value="holds:respond"]');
  await admin.fill('input[name=label]', 'cổng ngân hàng');
  await admin.click('#key-form button[type=submit]');
  const key = (await admin.innerText('#new-key code')).trim();
  assert.match(key, /^cgk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  await accessible(admin, 'partner page with a new key', 360);
  await admin.goto(partnerUrl);
  assert.equal(await admin.locator('#new-key').count(), 0, 'the key is shown once');

  // The bank signs in and records the hold.
  const bank = await (await browser.newContext({
    javaScriptEnabled: false, locale: 'vi-VN', viewport: { width: 360, height: 740 },
  })).newPage();
  await bank.goto(`${BASE}/doi-tac`);
  await bank.fill('input[name=key]', key);
  await bank.click('#portal-sign-in button[type=submit]');
  const card = bank.locator('section.card', { hasText: account });
  assert.equal(await card.count(), 1, 'the request with the account');
  await accessible(bank, 'bank portal', 360);
  await card.locator('select[name=answer]').selectOption('held');
  await card.locator('input[name=amount_vnd]').fill('30.000.000');
  await card.locator('input[name=note]').fill('Đã phong tỏa toàn bộ');
  await card.locator('button[type=submit]').click();
  assert.match(await bank.innerText('p.notice'), /Đã ghi nhận trả lời/);
  const width = await bank.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `bank portal: ${width}px wide on a 360px screen`);

  await inv.goto(holdUrl);
  assert.equal((await inv.innerText('.hold-state')).trim(), 'Đang tạm giữ');
  assert.match(await inv.innerText('ol.history'), /Vietcombank \(ngân hàng trả lời qua API\)/);
});
