// Warnings in the browser: an analyst edits a catalogue method on a phone (a new
// version in its history), composes a bulletin with the live SMS count, saves it, gets
// the leaflet PDF and publishes it; a citizen reads it on /canh-bao without JavaScript
// and the Atom feed carries it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, launchChromium } from './server.mjs';
import { signIn as signInAs, accessible as accessibleOn } from './officers.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const signIn = (username, options) => signInAs(browser, username, options);
const accessible = (page, name, width) => accessibleOn(browser, page, name, width);

test('an analyst edits a method on a phone and the history keeps both versions', async () => {
  const ana = await signIn('e2e.phantich', { width: 360 });
  await ana.goto(`${BASE}/console/thu-doan`);
  await accessible(ana, 'catalogue list', 360);
  await ana.click('a[href="/console/thu-doan/traffic_fine"]');
  await accessible(ana, 'method edit form', 360);
  const summary = 'Tin nhắn giả CSGT báo “phạt nguội”, dẫn tới Cổng dịch vụ công giả để lấy thông tin thẻ. CSGT không nhắn tin đòi nộp phạt qua đường link.';
  await ana.fill('#m-summary-vi', summary);
  await ana.fill('#m-note', 'Bổ sung: CSGT không nhắn tin đòi nộp phạt');
  await ana.click('main form button[type=submit]');
  assert.match(new URL(ana.url()).pathname, /\/console\/thu-doan\/traffic_fine\/lich-su$/);
  const history = await ana.innerText('main');
  assert.match(history, /Phiên bản 2/);
  assert.match(history, /Bổ sung: CSGT không nhắn tin đòi nộp phạt/);
  assert.match(history, /Bản phát hành/, 'version 1 is the shipped one');
  await accessible(ana, 'method history', 360);

  const citizen = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 }, locale: 'vi-VN' })).newPage();
  await citizen.goto(`${BASE}/canh-bao/thu-doan/traffic_fine`);
  assert.match(await citizen.innerText('main'), /CSGT không nhắn tin đòi nộp phạt qua đường link/);
  assert.match(await citizen.innerText('h1'), /Mới/, 'a method first seen last year is marked new');
  await accessible(citizen, 'method page', 360);
});

test('compose a bulletin with the live SMS count, get its leaflet, publish it to /canh-bao and the feeds', async () => {
  const ana = await signIn('e2e.phantich', { width: 360, javaScriptEnabled: true });
  await ana.goto(`${BASE}/console/ban-tin`);
  await ana.check('input[name=methods][value=traffic_fine]');
  await ana.check('input[name=methods][value=bank_phishing]');
  await ana.check('input[name=audience][value=elderly]');
  await ana.click('#new-bulletin button[type=submit]');
  assert.match(new URL(ana.url()).pathname, /^\/console\/ban-tin\/\d+$/);
  const editUrl = ana.url();
  assert.match(await ana.inputValue('#b-zalo'), /Ông bà, cô chú lưu ý/);
  assert.match(await ana.innerText('#b-sms-plain-count'), /GSM-7/);

  // The live count reacts as the analyst types: diacritics make it UCS-2 and flagged.
  await ana.fill('#b-sms-plain', 'Cảnh giác lừa đảo');
  assert.match(await ana.innerText('#b-sms-plain-count'), /UCS-2/);
  assert.ok(await ana.locator('#b-sms-plain-count.over').count() === 1);
  await ana.fill('#b-sms-plain', 'CANH GIAC: tin nhan "phat nguoi" gia. Khong bam link, khong chuyen tien. Bao cong an: 113');
  const count = await ana.innerText('#b-sms-plain-count');
  assert.match(count, /^1 tin · \d+ ký tự · GSM-7/);
  await ana.screenshot({ path: `${SHOTS}/console-bulletin.png`, fullPage: true });
  await accessible(ana, 'bulletin composer', 360);
  await ana.click('#bulletin-form button[type=submit]');
  assert.match(await ana.innerText('main'), /Đã lưu/);

  const pdf = await ana.request.get(`${editUrl}/to-roi.pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

  // Unsaved edits block publishing (issue 14 point 13): the button is disabled and says why.
  await ana.fill('#b-title', 'Sửa dở, chưa lưu');
  assert.ok(await ana.locator('#publish-form button[type=submit]').isDisabled());
  assert.ok(await ana.isVisible('#unsaved-note'));
  await ana.goto(editUrl);
  // Publishing asks for confirmation; only the saved version goes out.
  await ana.check('#publish-form input[name=confirm]');
  let asked = '';
  ana.once('dialog', async (dialog) => { asked = dialog.message(); await dialog.accept(); });
  await ana.click('#publish-form button[type=submit]');
  await ana.waitForURL(/\/canh-bao\/ban-tin\/\d+$/);
  assert.match(asked, /không sửa hay gỡ được/);
  assert.match(new URL(ana.url()).pathname, /^\/canh-bao\/ban-tin\/\d+$/);
  const title = (await ana.innerText('h1')).trim();
  assert.match(title, /^Cảnh giác:/);

  const citizen = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 }, locale: 'vi-VN' })).newPage();
  await citizen.goto(`${BASE}/`);
  await citizen.click('nav a[href="/canh-bao"]');
  assert.match(await citizen.innerText('main'), new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await citizen.screenshot({ path: `${SHOTS}/warnings.png`, fullPage: true });
  await accessible(citizen, 'warnings page', 360);
  await citizen.click(`main a:has-text("${title}")`);
  assert.match(await citizen.innerText('.bulletin-text'), /Dấu hiệu nhận biết/);
  await accessible(citizen, 'bulletin page', 360);

  const atom = await (await citizen.request.get(`${BASE}/canh-bao/atom.xml`)).text();
  assert.match(atom, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.ok(atom.includes(title), 'the Atom feed carries the bulletin');
  const json = await (await citizen.request.get(`${BASE}/canh-bao/feed.json`)).json();
  assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
  assert.ok(json.items.some((i) => i.title === title));
});

test('an agency liaison records an activity on a phone; the leader sees it per period and exports CSV', async () => {
  const lia = await browser.newContext({ viewport: { width: 360, height: 900 }, javaScriptEnabled: false, locale: 'vi-VN' });
  const page = await lia.newPage();
  await page.goto(`${BASE}/console`);
  await page.fill('#username', 'e2e.lienlac');
  await page.fill('#password', process.env.E2E_PASSWORD);
  await page.click('main form button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/console/hoat-dong', 'a liaison lands on the activities page');
  assert.match(await page.innerText('main'), /Sở Giáo dục và Đào tạo/);
  await page.selectOption('#a-kind', 'school_session');
  await page.selectOption('#a-audience', 'students');
  await page.fill('#a-reached', '850');
  await page.fill('#a-note', 'Chào cờ đầu tuần, phát tờ rơi');
  await page.click('#activity-form button[type=submit]');
  assert.match(await page.innerText('main'), /Đã ghi nhận hoạt động/);
  assert.match(await page.innerText('ul.activities'), /Buổi tuyên truyền ở trường · Học sinh, sinh viên · 850 người/);
  await accessible(page, 'liaison activities', 360);

  const lead = await signIn('e2e.lanhdao');
  await lead.goto(`${BASE}/console/hoat-dong/tong-hop`);
  assert.match(await lead.innerText('table.reporting'), /Sở Giáo dục và Đào tạo/);
  assert.ok(Number((await lead.innerText('#total-reached')).trim()) >= 850);
  assert.ok(await lead.locator('table.silent tbody tr').count() > 90, 'the communes that reported nothing are listed');
  await lead.screenshot({ path: `${SHOTS}/console-activities.png`, fullPage: false });
  await accessible(lead, 'activity summary', 1024);
  const csv = await lead.request.get(`${BASE}/console/hoat-dong/tong-hop.csv`);
  assert.equal(csv.status(), 200);
  const text = (await csv.body()).toString('utf8');
  assert.match(text, /Buổi tuyên truyền ở trường,Học sinh\, sinh viên|Buổi tuyên truyền ở trường,"Học sinh, sinh viên"/);
});

test('trends: weekly chart and tables on a phone', async () => {
  const ana = await signIn('e2e.phantich', { width: 360 });
  await ana.goto(`${BASE}/console/xu-huong?tuan=52`);
  assert.equal(await ana.locator('figure.chart-figure svg[role=img]').count(), 1, 'a chart of weekly reports');
  assert.ok(await ana.locator('table.trends tbody tr').count() >= 3);
  await ana.screenshot({ path: `${SHOTS}/console-trends.png`, fullPage: false });
  await accessible(ana, 'trends', 360);
});
