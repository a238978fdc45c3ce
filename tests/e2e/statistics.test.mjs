// Statistics on a 360-pixel phone without JavaScript: a leader reads the year's figures
// and their charts, drafts the periodic report and downloads its DOCX and PDF; the public page
// shows the same province totals; an analyst opens the sector loopholes.
import { test, before, after } from 'node:test';
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { BASE, launchChromium } from './server.mjs';
import { signIn as signInAs, accessible as accessibleOn } from './officers.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const signIn = (username, options) => signInAs(browser, username, options);
const accessible = (page, name, width) => accessibleOn(browser, page, name, width);
const year = String(new Date().getFullYear());

test('the statistics, the periodic report and the public page fit a phone', async () => {
  const lead = await signIn('e2e.lanhdao', { width: 360 });
  await lead.goto(`${BASE}/console/thong-ke`);
  await lead.selectOption('select[name=ky]', year);
  await lead.click('form.filters button[type=submit]');
  assert.match(await lead.innerText('h1'), new RegExp(`năm ${year}`));
  const reports = (await lead.innerText('#summary tr[data-key=reports] td:nth-child(2)')).trim();
  assert.ok(Number(reports.replace(/\./g, '')) > 0, `reports this year: ${reports}`);
  assert.ok(await lead.locator('figure.chart-figure svg').count() >= 1, 'a chart');
  await accessible(lead, 'statistics', 360);

  await lead.goto(`${BASE}/console/bao-cao-dinh-ky`);
  await lead.selectOption('select[name=ky]', year);
  await lead.click('form.filters button[type=submit]');
  assert.match(new URL(lead.url()).pathname, /^\/console\/bao-cao-dinh-ky\/\d+$/);
  await lead.fill('input[name=number]', '12/BC-CAT');
  await lead.fill('textarea[name=section_proposals]', 'Đề nghị các ngân hàng phản hồi trong ngày.');
  await lead.click('#periodic-form button[type=submit]');
  assert.match(await lead.innerText('p.notice'), /Đã lưu/);
  await accessible(lead, 'periodic report', 360);
  const [download] = await Promise.all([
    lead.waitForEvent('download'),
    lead.click('a[href$="/bao-cao.docx"] >> nth=0'),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`bao-cao-${year}\\.docx`));
  const [pdf] = await Promise.all([
    lead.waitForEvent('download'),
    lead.click('a[href$="/bao-cao.pdf"] >> nth=0'),
  ]);
  assert.match(pdf.suggestedFilename(), new RegExp(`bao-cao-${year}\\.pdf`));
  const pdfBytes = await readFile(await pdf.path());
  assert.equal(pdfBytes.subarray(0, 5).toString(), '%PDF-', 'the download is a PDF');

  const citizen = await (await browser.newContext({
    javaScriptEnabled: false, locale: 'vi-VN', viewport: { width: 360, height: 740 },
  })).newPage();
  await citizen.goto(`${BASE}/thong-ke?ky=${year}`);
  const publicReports = (await citizen.innerText('#summary tr[data-key=reports] td:nth-child(2)')).trim();
  assert.equal(publicReports, reports, 'the public page shows the same total');
  const width = await citizen.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `public statistics: ${width}px wide on a 360px screen`);
  const text = await citizen.innerText('main');
  assert.doesNotMatch(text, /\b0\d{9}\b/, 'no phone number on the public page');
});

test('an analyst reads the sector loopholes and a campaign on a phone', async () => {
  const analyst = await signIn('e2e.phantich', { width: 360 });
  await analyst.goto(`${BASE}/console/lo-hong?ky=${year}`);
  assert.ok(await analyst.locator('table.stats tbody tr').count() > 0, 'sector lines');
  await accessible(analyst, 'sector loopholes', 360);
  const lead = await signIn('e2e.lanhdao', { width: 360 });
  await lead.goto(`${BASE}/console/dot-cao-diem`);
  await lead.fill('input[name=name]', 'Cao điểm Zalo');
  await lead.fill('input[name=from]', `${year}-01-01`);
  await lead.fill('input[name=to]', `${year}-03-31`);
  await lead.check('input[name=channels][value=zalo]');
  await lead.click('#campaign-form button[type=submit]');
  assert.match(new URL(lead.url()).pathname, /^\/console\/dot-cao-diem\/\d+$/);
  assert.equal(await lead.locator('#windows tbody tr').count(), 3);
  await accessible(lead, 'campaign', 360);
});
