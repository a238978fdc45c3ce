// The example browser-extension page in contrib/extension, in Chromium at 360 pixels:
// it loads the public extension feed from the server and judges websites offline — a
// lookalike of a bank, the bank's real site, and a site several people reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BASE, SHOTS, launchChromium } from './server.mjs';
import { accessible } from './officers.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const popup = fileURLToPath(new URL('../../contrib/extension/popup.html', import.meta.url));

test('the extension page warns offline from the feed', async () => {
  // Three people report the same new site: it becomes suspicious and enters the feed.
  const domain = `lua-dao-e2e-${Date.now().toString(36)}.xyz`;
  for (let i = 0; i < 3; i++) {
    const filed = await fetch(`${BASE}/api/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'website', narrative: 'Trang bán hàng giả mạo nhận tiền rồi chặn liên lạc.',
        identifiers: [{ kind: 'url', value: `https://${domain}/thanh-toan` }],
      }),
    });
    assert.equal(filed.status, 201, await filed.clone().text());
  }
  const answer = await fetch(`${BASE}/api/v1/extension/feed`);
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  const etag = answer.headers.get('etag');
  const feed = await answer.json();
  assert.equal(feed.format, 'canhgiac.extension_feed');
  assert.ok(feed.domains.some((d) => d.domain === domain && d.level === 'suspicious'), 'the reported site is in the feed');
  const again = await fetch(`${BASE}/api/v1/extension/feed`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);

  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const url = `${pathToFileURL(popup)}?feed=${encodeURIComponent(`${BASE}/api/v1/extension/feed`)}`;
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('feed-state').textContent.includes('phiên bản'));
  const judge = async (address) => {
    await page.fill('#address', address);
    await page.click('#check button[type=submit]');
    await page.waitForSelector('#answer:not([hidden])');
    return {
      level: await page.getAttribute('#answer', 'data-level'),
      title: await page.innerText('#answer-title'),
    };
  };
  let seen = await judge('https://vietcombank-hotro.com.vn/dang-nhap');
  assert.equal(seen.level, 'lookalike');
  assert.match(seen.title, /Giả mạo Vietcombank/);
  await page.screenshot({ path: `${SHOTS}/extension-lookalike-360.png`, fullPage: true });
  seen = await judge('https://www.vietcombank.com.vn/');
  assert.equal(seen.level, 'official');
  seen = await judge(`https://www.${domain}/thanh-toan`);
  assert.equal(seen.level, 'suspicious');
  assert.match(seen.title, /nhiều người đã báo cáo/);
  seen = await judge('http://vietc0mbank.com.vn');
  assert.equal(seen.level, 'lookalike');
  const link = await page.getAttribute('#answer-link', 'href');
  assert.ok(link.startsWith(`${feed.check_url}?q=`), link);
  await accessible(browser, page, 'extension page', 360);
  await context.close();
});
