// `make bench`, Lighthouse (mobile preset) on the sign-in page and the signed-in pages of a running portal.
//
//   CHROME_PATH=/usr/bin/chromium node scripts/lighthouse.mjs <portal url> <username> <password>
//
// The session lives in the tab's sessionStorage, so a fresh tab is signed out: one Lighthouse user flow
// drives one tab (puppeteer-core, Lighthouse's own dependency), signs in there between the first and the
// next measurements, and keeps storage between them. Prints one JSON object on stdout; with
// LIGHTHOUSE_FLOW=<file>, also writes the whole flow result (every audit) there.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFlow } from 'lighthouse';
import puppeteer from 'puppeteer-core';

const [base, username, password] = process.argv.slice(2);
if (!base || !username || !password) {
  console.error('usage: node scripts/lighthouse.mjs <portal url> <username> <password>');
  process.exit(2);
}
const PAGES = [
  ['home', '/'],
  ['results', '/results'],
  ['appointments', '/appointments'],
  ['messages', '/messages'],
  ['billing', '/billing'],
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
// The portal's own files by path; others (Stripe, Lighthouse's "Unattributable") as they are.
const shortUrl = (url) => (url?.startsWith(base) ? url.slice(base.length) : url);

const profile = mkdtempSync(join(tmpdir(), 'portal-lighthouse-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const flow = await startFlow(page, {
    name: 'Clinic Portal',
    config: { extends: 'lighthouse:default', settings: { onlyCategories: CATEGORIES } },
    flags: { disableStorageReset: true },
  });
  await flow.navigate(`${base}/`, { name: 'sign-in' });

  // Sign in in the same tab (the sign-in form's own labels, as a person would).
  await page.waitForSelector('#signin-username');
  await page.type('input[autocomplete="username"]', username);
  await page.type('input[autocomplete="current-password"]', password);
  await Promise.all([
    page.waitForFunction(() => document.querySelector('h1')?.textContent?.startsWith('Hello'), { timeout: 30000 }),
    page.click('button[type="submit"]'),
  ]);

  // Each page must really be the signed-in one (an expired session would measure the sign-in page again).
  const signedIn = {};
  for (const [name, path] of PAGES) {
    await flow.navigate(`${base}${path}`, { name, flags: { disableStorageReset: true } });
    signedIn[name] = await page.evaluate(() => Boolean(document.querySelector('#site-nav')));
  }
  const result = await flow.createFlowResult();
  // The whole flow (every audit of every step), to read what the summary below leaves out.
  if (process.env.LIGHTHOUSE_FLOW) writeFileSync(process.env.LIGHTHOUSE_FLOW, JSON.stringify(result));
  const pages = {};
  for (const step of result.steps) {
    const lhr = step.lhr;
    const score = (id) => (lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100));
    pages[step.name] = {
      url: lhr.finalDisplayedUrl,
      performance: score('performance'),
      accessibility: score('accessibility'),
      best_practices: score('best-practices'),
      cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? null,
      lcp_ms: lhr.audits['largest-contentful-paint']?.numericValue ?? null,
      // What the performance score is made of, and Lighthouse's biggest savings, to see what costs.
      metrics: Object.fromEntries(
        ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'speed-index', 'interactive'].map(
          (id) => [id, Math.round(lhr.audits[id]?.numericValue ?? 0)],
        ),
      ),
      opportunities: Object.values(lhr.audits)
        .filter((a) => a.details?.type === 'opportunity' && (a.details.overallSavingsMs ?? 0) > 0)
        .map((a) => ({ id: a.id, savings_ms: Math.round(a.details.overallSavingsMs) })),
      // What blocks the main thread: script time per file, time per kind of work, and the long tasks.
      bootup: (lhr.audits['bootup-time']?.details?.items ?? [])
        .map((i) => ({
          url: shortUrl(i.url),
          total_ms: Math.round(i.total),
          scripting_ms: Math.round(i.scripting),
          parse_ms: Math.round(i.scriptParseCompile),
        })),
      main_thread: Object.fromEntries(
        (lhr.audits['mainthread-work-breakdown']?.details?.items ?? []).map((i) => [i.group, Math.round(i.duration)]),
      ),
      long_tasks: (lhr.audits['long-tasks']?.details?.items ?? []).map((i) => ({
        url: shortUrl(i.url),
        start_ms: Math.round(i.startTime),
        duration_ms: Math.round(i.duration),
      })),
      // The portal's scripts this page ran, with their size (not gzipped: the service worker may serve them).
      scripts: (lhr.audits['network-requests']?.details?.items ?? [])
        .filter((i) => i.resourceType === 'Script' && i.url.startsWith(base))
        .map((i) => ({ url: shortUrl(i.url), kb: Math.round((i.resourceSize ?? 0) / 100) / 10 })),
      // Scripts fetched from elsewhere (a card processor's, say): none is expected before a card form.
      other_origin_scripts: (lhr.audits['network-requests']?.details?.items ?? [])
        .filter((i) => i.resourceType === 'Script' && !i.url.startsWith(base))
        .map((i) => i.url),
      signed_in: signedIn[step.name] ?? false,
      warnings: lhr.runWarnings,
    };
  }

  // Installable: the manifest the page names, and a service worker controlling the page.
  await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
  const installable = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    let manifest = null;
    if (link) {
      const answer = await fetch(link.href);
      manifest = answer.ok ? await answer.json() : null;
    }
    const registration = await navigator.serviceWorker?.getRegistration();
    return {
      manifest: Boolean(manifest?.name && manifest?.start_url && manifest?.icons?.length),
      display: manifest?.display ?? null,
      service_worker: Boolean(registration?.active),
    };
  });
  process.stdout.write(JSON.stringify({ lighthouse: result.steps[0]?.lhr.lighthouseVersion, pages, installable }));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
