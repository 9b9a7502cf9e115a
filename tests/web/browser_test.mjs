// Browser tests of the station's web pages: headless Chromium (the Debian package, never a
// downloaded browser) driven by playwright-core against a station this script starts on
// 127.0.0.1. Signs in as each role, checks what is and is not shown, downloads CSVs, and saves
// screenshots and downloads under the artefacts directory.
//
// usage: node browser_test.mjs STATION_BINARY ARTEFACTS_DIR
// env:   BCMA_CHROMIUM (default /usr/bin/chromium)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.error('playwright-core is not installed in tests/web: run tools/install-deps.sh ' +
                '(it runs `npm ci` there)');
  process.exit(1);
}

const [stationBinary, artefacts] = process.argv.slice(2);
if (!stationBinary || !artefacts) {
  console.error('usage: node browser_test.mjs STATION_BINARY ARTEFACTS_DIR');
  process.exit(2);
}
const executablePath = process.env.BCMA_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.error(`no Chromium at ${executablePath}: run tools/install-deps.sh (Debian package chromium)`);
  process.exit(1);
}
fs.rmSync(artefacts, { recursive: true, force: true });
fs.mkdirSync(artefacts, { recursive: true });

const PERIOD = 'from=2026-03-01&to=2026-03-31';
let passed = 0;
let failed = 0;
const failures = [];

function check(name, condition, detail = '') {
  if (condition) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(`${name}${detail ? ': ' + detail : ''}`);
    console.log(`FAILED: ${name}${detail ? ': ' + detail : ''}`);
  }
}

async function startStation() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bcma-web-'));
  const child = spawn(stationBinary, [dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the station did not start in 60 s')), 60000);
    child.once('exit', (code) => reject(new Error(`the station exited with ${code}`)));
    lines.once('line', (line) => { clearTimeout(timer); resolve(line); });
  });
  return { child, dir, info: JSON.parse(first) };
}

async function signIn(page, base, user) {
  await page.goto(`${base}/login`);
  await page.fill('#badge', user.badge);
  await page.fill('#pin', user.pin);
  await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
}

async function statusOf(page, url) {
  const response = await page.goto(url);
  return response.status();
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true });
}

async function download(page, selector, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(artefacts, name);
  await dl.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}

function noIdentifiers(name, text, identifiers) {
  const lower = text.toLowerCase();
  const found = identifiers.filter((id) => lower.includes(String(id).toLowerCase()));
  check(name, found.length === 0, `shows ${found.join(', ')}`);
}

const { child, dir, info } = await startStation();
const base = `https://127.0.0.1:${info.port}`;
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
const external = [];
try {
  async function newContext() {
    // The station's certificate chains to its own CA, which this browser does not trust.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base + '/')) return route.continue();
      external.push(url);
      return route.abort();
    });
    return context;
  }

  // Nobody signed in: every page sends you to the sign-in form; downloads are refused.
  {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${base}/reports/waste`);
    check('anonymous: a report page redirects to sign-in', page.url() === `${base}/login`, page.url());
    check('anonymous: the CSV download is refused', (await statusOf(page, `${base}/reports/waste.csv`)) === 401);
    await page.goto(`${base}/login`);
    await page.fill('#badge', info.users.care_worker.badge);
    await page.fill('#pin', '0000');
    await page.click('#sign-in');
    check('wrong PIN: refused with a plain message',
          (await page.textContent('#error')) === 'Badge or PIN not recognised.');
    await shot(page, 'login-refused');
    await context.close();
  }

  // Care worker: no reports, no evaluation, no export; the session cookie is locked down.
  {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, base, info.users.care_worker);
    check('care worker: signed in', (await page.textContent('#user')).includes('care worker'));
    check('care worker: told there are no reports', await page.isVisible('#nothing'));
    check('care worker: no report links', (await page.locator('a.report-link').count()) === 0);
    const cookie = (await context.cookies()).find((c) => c.name === 'bcma_session');
    check('session cookie is Secure, HttpOnly, SameSite=Strict',
          cookie && cookie.secure && cookie.httpOnly && cookie.sameSite === 'Strict',
          JSON.stringify(cookie));
    check('session cookie is out of reach of page scripts',
          !(await page.evaluate(() => document.cookie)).includes('bcma_session'));
    await shot(page, 'care-worker-home');
    check('care worker: the pharmacist\'s waste report is forbidden',
          (await statusOf(page, `${base}/reports/waste?${PERIOD}`)) === 403);
    check('care worker: its CSV too', (await statusOf(page, `${base}/reports/waste.csv?${PERIOD}`)) === 403);
    await shot(page, 'care-worker-forbidden');
    check('care worker: the evaluation is forbidden', (await statusOf(page, `${base}/evaluation`)) === 403);
    check('care worker: the export is forbidden',
          (await statusOf(page, `${base}/evaluation/events.csv`)) === 403);
    await page.goto(`${base}/`);
    await Promise.all([page.waitForLoadState('load'), page.click('#logout')]);
    check('sign out returns to the sign-in form', page.url() === `${base}/login`, page.url());
    await page.goto(`${base}/`);
    check('after sign out the start page needs sign-in again', page.url() === `${base}/login`);
    await context.close();
  }

  // Pharmacist: the reports, a chart, sorting, and a CSV download.
  {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, base, info.users.pharmacist);
    const titles = await page.locator('a.report-link').allTextContents();
    check('pharmacist: sees the reports', titles.length >= 5, titles.join(' | '));
    check('pharmacist: sees the waste report', titles.some((t) => t.startsWith('Waste')));
    check('pharmacist: no export download link', (await page.locator('#export-link').count()) === 0);
    await shot(page, 'pharmacist-home');
    const status = await statusOf(page, `${base}/reports/waste?${PERIOD}`);
    check('pharmacist: the waste report opens', status === 200, String(status));
    const rows = await page.locator('#report-table tbody tr').count();
    check('pharmacist: the waste report has the dropped tablet', rows >= 1, String(rows));
    await shot(page, 'pharmacist-waste');
    const csv = await download(page, '#csv-download', 'waste.csv');
    const header = (await page.locator('#report-table thead th').allTextContents()).join(',');
    check('pharmacist: the CSV has the table\'s headings', csv.startsWith(header), csv.slice(0, 120));
    check('pharmacist: the CSV has the rows', csv.trim().split('\r\n').length === rows + 1);
    await page.goto(`${base}/reports/timing?${PERIOD}`);
    const th = page.locator('#report-table thead th').first();
    await th.click();
    check('a click on a heading sorts the table', (await th.getAttribute('aria-sort')) === 'ascending');
    await th.click();
    check('a second click sorts the other way', (await th.getAttribute('aria-sort')) === 'descending');
    await shot(page, 'pharmacist-timing');
    let charts = 0;
    for (const name of ['waste', 'timing', 'prevented_errors', 'refusals_omissions']) {
      await page.goto(`${base}/reports/${name}?${PERIOD}`);
      charts += await page.locator('svg.chart').count();
    }
    check('pharmacist: reports draw inline SVG charts', charts >= 1, String(charts));
    check('pharmacist: the evaluation summary opens', (await statusOf(page, `${base}/evaluation?${PERIOD}`)) === 200);
    check('pharmacist: the pseudonymised export is not for this role',
          (await statusOf(page, `${base}/evaluation/events.csv?${PERIOD}`)) === 403);
    await context.close();
  }

  // Evaluator: only pseudonymised data.
  {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, base, info.users.evaluator);
    check('evaluator: no report links', (await page.locator('a.report-link').count()) === 0);
    check('evaluator: the evaluation link', await page.isVisible('#evaluation-link'));
    await shot(page, 'evaluator-home');
    for (const name of ['waste', 'stock_on_hand', 'overrides', 'prescribing_alerts']) {
      check(`evaluator: report ${name} is forbidden`,
            (await statusOf(page, `${base}/reports/${name}?${PERIOD}`)) === 403);
    }
    await page.goto(`${base}/evaluation?${PERIOD}`);
    const headline = await page.locator('#headline tbody tr').allTextContents();
    check('evaluator: scan compliance 13 of 14', headline[0].includes('92.9 %') && headline[0].includes('13 scanned, 1 manual'),
          headline[0]);
    check('evaluator: the summary draws its charts', (await page.locator('svg.chart').count()) === 2);
    check('evaluator: weekly rows', (await page.locator('#weeks tbody tr').count()) === 3);
    noIdentifiers('evaluator: the summary names nobody', await page.content(), info.identifiers);
    await shot(page, 'evaluator-summary');
    const csv = await download(page, '#csv-download', 'audit_events.csv');
    check('evaluator: the export has pseudonyms', /,R-[0-9a-f]{16},/.test(csv));
    check('evaluator: the export has every event', csv.trim().split('\r\n').length > 15);
    noIdentifiers('evaluator: the export names nobody', csv, info.identifiers);
    await context.close();
  }

  // Manager: reports, evaluation and export.
  {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, base, info.users.manager);
    check('manager: sees reports', (await page.locator('a.report-link').count()) >= 5);
    check('manager: sees the export link', await page.isVisible('#export-link'));
    check('manager: prescribing alerts are the pharmacist\'s only',
          (await statusOf(page, `${base}/reports/prescribing_alerts?${PERIOD}`)) === 403);
    await shot(page, 'manager-forbidden');
    await context.close();
  }
  check('no request left the station', external.length === 0, external.join(' '));
} catch (e) {
  failed += 1;
  failures.push(String(e && e.stack ? e.stack : e));
  console.log(`FAILED: ${e && e.stack ? e.stack : e}`);
} finally {
  await browser.close();
  child.stdin.end();
  await new Promise((resolve) => { child.once('exit', resolve); setTimeout(resolve, 10000); });
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`screenshots and downloads: ${artefacts}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
