// Issue 14, point by point, on a 360-pixel phone with JavaScript on (points 1, 2, 4 are
// in check.test.mjs; 5–8 in citizen.test.mjs, with and without JavaScript): the check's
// levels, the officer's search, evidence, confirmations and rings, the analyst's
// publication and channels, the liaison's header. Then every console page is checked
// with axe-core on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { BASE, SHOTS, launchChromium } from './server.mjs';
import { PASSWORD } from './officers.mjs';

const PICTURE = readFileSync(fileURLToPath(new URL('./fixtures/vietqr-acb.png', import.meta.url)));
const run = String(Date.now() % 10_000_000).padStart(7, '0');

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function phone({ javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    javaScriptEnabled, locale: 'vi-VN',
  });
  return context.newPage();
}

async function officer(username, options) {
  const page = await phone(options);
  await page.goto(`${BASE}/console/dang-nhap`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('main form button[type=submit]');
  assert.doesNotMatch(new URL(page.url()).pathname, /dang-nhap/, `${username} signed in`);
  return page;
}

async function fileReport(body) {
  const answer = await fetch(`${BASE}/api/v1/reports`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(answer.status, 201, await answer.clone().text());
  return answer.json();
}

// axe-core runs in the page: a page reached without JavaScript is loaded again, as it
// is, into a page that runs scripts.
async function noSeriousViolations(page, name, { javaScriptEnabled = true } = {}) {
  if (!javaScriptEnabled) {
    const html = await page.content();
    const copy = await phone();
    await copy.goto(`${BASE}/healthz`);
    await copy.setContent(html, { waitUntil: 'load' });
    await noSeriousViolations(copy, name);
    await copy.context().close();
    return;
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${name}: the page is ${width}px wide on a 360px screen`);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${name}: axe-core violations`);
}

// Point 3: more evidence never reads milder; count and loss in the badge line; the
// card for a number nobody reported says its caution once and offers one report button.
test('point 3: three reports read stronger than one, and an unreported number has one report button', async () => {
  const account = `0601${run}`;
  for (let i = 0; i < 3; i++) {
    await fileReport({
      channel: 'facebook',
      narrative: `Người bán trên mạng nhận tiền đặt cọc rồi chặn liên lạc (lần ${i + 1}).`,
      amount_lost_vnd: 290_000_000,
      transfers: [{ bank: 'MB', account, amount_vnd: 290_000_000 }],
    });
  }
  const single = `0602${run}`;
  await fileReport({
    channel: 'facebook', narrative: 'Người bán nhận tiền cọc rồi chặn liên lạc.',
    transfers: [{ bank: 'MB', account: single, amount_vnd: 1_000_000 }],
  });
  const page = await phone();
  const RANK = ['level-low', 'level-unknown', 'level-reported', 'level-suspicious', 'level-high', 'level-dangerous'];
  const levelOf = async (q) => {
    await page.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(q)}`);
    for (let i = 0; i < 20 && !(await page.isVisible('.verdict .report-count')); i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    const classes = (await page.getAttribute('.verdict', 'class')).split(/\s+/);
    return { level: classes.find((c) => c.startsWith('level-')), badge: (await page.innerText('.verdict .badge')).trim() };
  };
  const one = await levelOf(`MB ${single}`);
  const three = await levelOf(`MB ${account}`);
  assert.match(await page.innerText('.verdict .badge-facts'), /3 báo cáo · 870\.000\.000 đ bị lừa/);
  assert.ok(RANK.indexOf(three.level) >= RANK.indexOf(one.level), `three reports (${three.badge}) read no milder than one (${one.badge})`);
  assert.notEqual(three.badge, one.badge);

  await page.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(`0913 ${run.slice(0, 3)} ${run.slice(3, 6)}`)}`);
  const card = page.locator('.results .verdict, .verdict').first();
  assert.equal(await card.locator('a[href^="/bao-cao"]').count(), 1, 'one report button');
  const text = await page.innerText('main');
  assert.ok(text.split('không có nghĩa là').length - 1 <= 1, 'the caution is said once');
  await noSeriousViolations(page, 'unreported number');
  await page.context().close();
});

// Points 9–11: the officer finds a report by its tracking code, a phone number in
// another spelling and an account number; sees its pictures; is told what changed.
test('points 9–11: search by code and identifier, evidence pictures, a confirmation after each step', async () => {
  const uploaded = await fetch(`${BASE}/api/v1/evidence`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: PICTURE });
  assert.equal(uploaded.status, 201);
  const { sha256 } = await uploaded.json();
  const phoneNumber = `0978${run.slice(1)}`;
  const account = `1905${run}`;
  const { tracking_code: code } = await fileReport({
    channel: 'zalo',
    narrative: 'Người xưng nhân viên ngân hàng gửi mã QR để nhận hoàn tiền, tôi quét và mất tiền.',
    amount_lost_vnd: 4_000_000,
    transfers: [{ bank: 'TCB', account, amount_vnd: 4_000_000 }],
    identifiers: [{ kind: 'phone', value: phoneNumber }],
    evidence: [sha256],
  });
  const inv = await officer('e2e.thuly');
  const international = `+84 ${phoneNumber.slice(1, 4)} ${phoneNumber.slice(4, 7)} ${phoneNumber.slice(7)}`;
  for (const q of [code, code.toLowerCase().replace(/-/g, ''), international, account]) {
    await inv.goto(`${BASE}/console?q=${encodeURIComponent(q)}&status=all`);
    const codes = await inv.$$eval('.queue-item a.code', (els) => els.map((e) => e.innerText.trim()));
    assert.deepEqual(codes, [code], `search "${q}"`);
  }
  await noSeriousViolations(inv, 'queue search');
  await inv.click('.queue-item a.code');
  const picture = inv.locator('.evidence-list img').first();
  await picture.scrollIntoViewIfNeeded();
  const width = await picture.evaluate((img) => (img.complete ? img.naturalWidth
    : new Promise((done) => { img.onload = () => done(img.naturalWidth); img.onerror = () => done(0); })));
  assert.ok(width > 0, 'the picture is shown inline');
  const served = await inv.request.get(new URL(await picture.getAttribute('src'), BASE).href);
  assert.equal(served.headers()['content-type'], 'image/png');
  assert.equal(served.headers()['x-content-type-options'], 'nosniff');

  await inv.click('form:has(input[name=action][value=receive]) button[type=submit]');
  assert.match(new URL(inv.url()).hash, /#ket-qua/);
  assert.match(await inv.innerText('#ket-qua'), /tiếp nhận/i, 'says what changed');
  assert.ok(await inv.isVisible('#ket-qua'));
  await inv.screenshot({ path: `${SHOTS}/console-confirmation.png` });
  await noSeriousViolations(inv, 'report page after a step');
  await inv.context().close();
});

// Point 12: rings list victims and loss; a ring's shared identifiers are named by two
// reports or more; the trends table names its z column and the chart counts in whole numbers.
test('point 12: rings with victims and loss, shared identifiers, trends with named columns', async () => {
  const account = `0603${run}`;
  for (let i = 0; i < 2; i++) {
    await fileReport({
      channel: 'facebook', narrative: `Đặt cọc mua hàng rồi bị chặn (${i}).`,
      transfers: [{ bank: 'VCB', account, amount_vnd: 2_000_000 }],
    });
  }
  const inv = await officer('e2e.thuly');
  await inv.goto(`${BASE}/console/duong-day`);
  const headers = await inv.$$eval('table th', (els) => els.map((e) => e.innerText.trim()));
  for (const h of ['Nạn nhân', 'Thiệt hại']) assert.ok(headers.includes(h), `rings list has ${h}: ${headers}`);
  await noSeriousViolations(inv, 'rings list');
  await inv.locator('table a[href^="/console/duong-day/"]').first().click();
  const metas = await inv.$$eval('ul.identifiers li .meta', (els) => els.map((e) => e.innerText));
  assert.ok(metas.length > 0, 'shared identifiers are listed');
  for (const m of metas) {
    const n = Number((m.match(/(\d+)\s*báo cáo/) || [])[1]);
    assert.ok(n >= 2, `a shared identifier is named by two reports or more: ${m}`);
  }
  await noSeriousViolations(inv, 'ring page');

  await inv.goto(`${BASE}/console/xu-huong?tuan=52`);
  assert.ok((await inv.innerText('table.trends thead')).includes('Độ vượt (z)'));
  const ticks = await inv.$$eval('figure.chart-figure svg text', (els) => els.map((e) => e.textContent.trim()));
  const numbers = ticks.filter((t) => /^[\d.,]+$/.test(t));
  assert.ok(numbers.length > 0, `the chart has numbered axes: ${ticks.slice(0, 10)}`);
  assert.deepEqual(numbers.filter((t) => /[.,]\d/.test(t) && !/^\d{1,2}\/\d{1,2}$/.test(t)), [], 'whole numbers on the axes');
  await inv.context().close();
});

// Points 13 and 14: publishing needs the tick (and, with JavaScript, a dialog) and
// publishes the saved version only; channels not chosen are not published; method
// names, not keys.
for (const javaScriptEnabled of [false, true]) {
  test(`points 13–14: only the saved text is published, only the chosen channels (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    const ana = await officer('e2e.phantich', { javaScriptEnabled });
    await ana.goto(`${BASE}/console/ban-tin`);
    await ana.check('input[name=methods][value=bank_phishing]');
    await ana.check('input[name=audience][value=public]');
    // Only SMS and Zalo, not the fanpage.
    for (const box of await ana.locator('#new-bulletin input[name=channels]').all()) {
      const value = await box.getAttribute('value');
      if (['sms', 'zalo'].includes(value)) await box.check(); else await box.uncheck();
    }
    await ana.click('#new-bulletin button[type=submit]');
    const editUrl = ana.url();
    assert.match(new URL(editUrl).pathname, /^\/console\/ban-tin\/\d+$/);
    assert.doesNotMatch(await ana.innerText('main'), /\bbank_phishing\b/, 'the method is named, not keyed');
    assert.equal(await ana.locator('#b-fanpage').count(), 0, 'no fanpage text when the fanpage was not chosen');
    assert.ok(await ana.locator('#b-zalo').count() === 1, 'the Zalo text is there');
    assert.match(await ana.innerText('#publish-form'), /bản đã lưu/, 'says that the saved version is published');
    await noSeriousViolations(ana, `bulletin edit (JavaScript ${javaScriptEnabled})`, { javaScriptEnabled });

    // Without the tick the browser itself refuses (no script needed), and nothing is published.
    await ana.click('#publish-form button[type=submit]');
    assert.equal(ana.url(), editUrl, 'not published without the tick');
    assert.equal(await ana.$eval('#publish-form', (f) => f.checkValidity()), false);
    const title = `Cảnh giác: ngân hàng giả ${run}${javaScriptEnabled ? ' (2)' : ''}`;
    await ana.fill('#b-title', title);
    await ana.click('#bulletin-form button[type=submit]');
    await ana.fill('#b-title', 'Chưa lưu, không được công bố');
    if (javaScriptEnabled) {
      // With JavaScript an unsaved edit disables the button; saving again re-enables it.
      assert.ok(await ana.locator('#publish-form button[type=submit]').isDisabled());
      await ana.goto(editUrl);
    }
    await ana.check('#publish-form input[name=confirm]');
    let asked = '';
    ana.once('dialog', async (dialog) => { asked = dialog.message(); await dialog.accept(); });
    await ana.click('#publish-form button[type=submit]');
    await ana.waitForURL(/\/canh-bao\/ban-tin\/\d+$/);
    if (javaScriptEnabled) assert.match(asked, /không sửa hay gỡ được/);
    assert.equal((await ana.innerText('h1')).trim(), title, 'the saved title, not the unsaved one');
    const published = await ana.innerText('main');
    assert.doesNotMatch(published, /Fanpage/i, 'no fanpage post');
    assert.doesNotMatch(published, /\bbank_phishing\b/);
    await ana.context().close();
  });
}

// Point 15: the liaison's header names their own agency; activities name bulletins by title.
test('point 15: the liaison sees their own agency and bulletin titles', async () => {
  const lia = await officer('e2e.lienlac');
  const header = await lia.innerText('header, .console-top, nav');
  assert.match(header, /Sở Giáo dục và Đào tạo/);
  assert.doesNotMatch(header, /An ninh mạng/);
  const options = await lia.$$eval('select[name=bulletin_id] option, #a-bulletin option', (els) => els.map((e) => e.innerText.trim()));
  assert.ok(options.every((o) => !/^bản tin \d+$/i.test(o)), `bulletins by title: ${options}`);
  await noSeriousViolations(lia, 'liaison activities');
  await lia.context().close();
});

// Every console page a leader or an administrator opens, on a phone with JavaScript:
// zero serious or critical axe-core violations.
test('every console page has no serious accessibility violations on a phone', async () => {
  // A hold and a dispute, so that their pages exist.
  const account = `1906${run}`;
  const { tracking_code: code } = await fileReport({
    channel: 'call', narrative: 'Người gọi xưng công an bảo chuyển tiền để xác minh.',
    transfers: [{ bank: 'VPB', account, amount_vnd: 7_000_000 }],
    reporter: { name: 'Đỗ Thị Lan', phone: '0987 123 456' },
  });
  const inv = await officer('e2e.thuly');
  await inv.goto(`${BASE}/console?q=${encodeURIComponent(code)}&status=all`);
  await inv.click('.queue-item a.code');
  await inv.click('form[action$="/tam-giu"] button');
  await inv.goto(`${BASE}/console?q=${encodeURIComponent(code)}&status=all`);
  await inv.click('.queue-item a.code');
  const ident = inv.locator('.identifiers li').first();
  const value = (await ident.locator('.value').innerText()).trim();
  await ident.locator('input[name=reason]').fill('Đã xác minh qua ngân hàng');
  await ident.locator('button[value=verified]').click();
  await inv.context().close();
  const citizen = await phone();
  await citizen.goto(`${BASE}/kiem-tra?q=${encodeURIComponent(value)}`);
  await citizen.click('a.dispute-link');
  await citizen.fill('#name', 'Trần Văn Bình');
  await citizen.fill('#contact', 'binh.tran@example.vn');
  await citizen.fill('#explanation', 'Tài khoản này là của tôi, tôi không lừa ai.');
  await citizen.click('main form button[type=submit]');
  assert.match((await citizen.innerText('.receipt .code')).trim(), /^KN-/);
  await citizen.context().close();

  const visited = new Map();
  const pattern = (path) => path.split('/').map((s, i) => (i > 2 && /[\d_]/.test(s) ? '*' : s)).join('/');
  for (const username of ['e2e.quantri', 'e2e.lanhdao', 'e2e.phantich']) {
    const page = await officer(username);
    const queue = [new URL(page.url()).pathname];
    const seen = new Set();
    while (queue.length && seen.size < 40) {
      const path = queue.shift();
      const key = pattern(path.split('?')[0]);
      if (seen.has(key)) continue;
      seen.add(key);
      const answer = await page.goto(`${BASE}${path}`);
      assert.ok(answer.status() < 400, `${username} ${path}: ${answer.status()}`);
      if (!visited.has(key)) {
        await noSeriousViolations(page, `${username} ${path}`);
        visited.set(key, path);
      }
      const links = await page.$$eval('a[href^="/console"]', (els) => els.map((a) => a.getAttribute('href')));
      for (const href of links) {
        const p = href.split('#')[0];
        if (/\.(docx|json|pdf|csv|xlsx)(\?|$)|dang-xuat|bang-chung/.test(p)) continue;
        if (!seen.has(pattern(p.split('?')[0]))) queue.push(p);
      }
    }
    // Pages reached by a form: the reporter's contact details (audited).
    if (username === 'e2e.lanhdao') {
      await page.goto(`${BASE}/console?q=${encodeURIComponent(code)}&status=all`);
      await page.locator('.queue-item a.code').first().click();
      await page.fill('#why-contact', 'Kiểm tra khả năng truy cập của trang');
      await page.click('form[action$="/nguoi-bao-cao"] button[type=submit]');
      assert.match(await page.innerText('main'), /Đỗ Thị Lan/);
      await noSeriousViolations(page, 'reporter contact');
      visited.set('contact', 'nguoi-bao-cao');
    }
    await page.context().close();
  }
  const signIn = await phone();
  await signIn.goto(`${BASE}/console/dang-nhap`);
  await noSeriousViolations(signIn, 'sign-in');
  await signIn.context().close();
  const lead = await officer('e2e.lanhdao');
  const missing = await lead.goto(`${BASE}/console/bao-cao/99999999`);
  assert.equal(missing.status(), 404);
  await noSeriousViolations(lead, 'a console error page');
  await lead.context().close();
  const paths = [...visited.keys()];
  for (const expected of ['/console/tam-giu/*', '/console/khieu-nai/*', 'contact', '/console', '/console/duong-day', '/console/xu-huong', '/console/thu-doan', '/console/ban-tin', '/console/tam-giu', '/console/khieu-nai', '/console/nhat-ky', '/console/co-quan', '/console/han-xu-ly', '/console/hoat-dong/tong-hop', '/console/mau-moi', '/console/thuong-hieu']) {
    assert.ok(paths.includes(expected), `${expected} was checked: ${paths.join(' ')}`);
  }
  console.log(`# axe-core checked ${visited.size} console pages: ${paths.join(' ')}`);
});
