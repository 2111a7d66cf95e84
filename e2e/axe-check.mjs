#!/usr/bin/env node
// Browser checks of every public page type of a running Samverkan server, and
// of the pages that need a signed-in person (the server must run with --demo:
// they use the demonstration accounts).
//
// Usage: node e2e/axe-check.mjs http://127.0.0.1:PORT [PATH-PART...]
//   (with PATH-PARTs, only the pages whose path contains one of them)
//
// For every page in PAGES and SIGNED_IN_PAGES and every language in LANGS it
// checks, in Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium):
//   - the HTTP status (200, or what the page entry says, e.g. 404);
//   - for a signed-in page: the page was not redirected elsewhere (such as to
//     the sign-in page) and shows the signed-in header (the sign-out button);
//   - <html lang> is exactly the language asked for with ?lang=xx;
//   - keyboard access: pressing Tab once from the top focuses a visible skip
//     link (<a href="#id">) whose target exists and is, holds or lies inside
//     the page's <main>;
//   - axe-core with the WCAG 2.0/2.1 A and AA rules: no violations;
//   - at a phone viewport (375x740) the page is laid out for the device width
//     and does not overflow horizontally.
// One (page, language) pair is one page check. The last line printed is
// exactly "N passed, M failed"; the exit code is 1 when any check failed
// and 2 when the checks could not run at all.

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

// The public pages. Add new page types here. `status` defaults to 200.
const PAGES = [
  { name: 'start page', path: '/' },
  { name: 'all agreements', path: '/agreements' },
  { name: 'agreement start page', path: '/agreements/malmoandan' },
  { name: 'agreement text', path: '/agreements/malmoandan/text' },
  { name: 'agreement text, version 1', path: '/agreements/malmoandan/text?version=1' },
  { name: 'versions', path: '/agreements/malmoandan/versions' },
  { name: 'version comparison', path: '/agreements/malmoandan/versions/compare?from=1&to=2' },
  { name: 'decisions', path: '/agreements/malmoandan/decisions' },
  { name: 'principles', path: '/agreements/malmoandan/principles' },
  { name: 'challenges', path: '/agreements/malmoandan/challenges' },
  { name: 'one challenge', path: '/agreements/malmoandan/challenges/ungas-halsa-och-livsstil' },
  { name: 'action plans', path: '/agreements/malmoandan/plans' },
  { name: 'contact', path: '/agreements/malmoandan/contact' },
  { name: 'working group', path: '/agreements/malmoandan/working-group' },
  { name: 'working group, a page past the last', path: '/agreements/sjovik/working-group?past=2' },
  { name: 'working group that meets', path: '/agreements/sjovik/working-group' },
  // Every page is checked in Swedish and in English: the English pages
  // show Malmöandan translated, and Sjövik falling back to Swedish.
  // The demo's first meeting (a fresh demo database numbers it 1): its
  // minutes approved, with decisions and action items.
  { name: 'a meeting with approved minutes', path: '/agreements/sjovik/working-group/meetings/1' },
  { name: 'a coming meeting', path: '/agreements/sjovik/working-group/meetings/2' },
  { name: 'parties', path: '/agreements/malmoandan/parties' },
  { name: 'city bodies', path: '/city-bodies' },
  { name: 'accessibility statement', path: '/accessibility' },
  { name: 'second agreement', path: '/agreements/sjovik' },
  { name: 'not found', path: '/no-such-page', status: 404 },
  { name: 'open data', path: '/open-data' },
  { name: 'create an account', path: '/register' },
  { name: 'sign in', path: '/login' },
  { name: 'confirm e-mail', path: '/confirm/0123456789abcdef' },
  { name: 'forgotten password', path: '/forgot-password' },
  { name: 'reset password (expired link)', path: '/reset/0123456789abcdef', status: 400 },
  { name: 'organisation directory', path: '/organisations' },
  { name: 'organisation directory, filtered', path: '/organisations?legal_form=natverk&sort=newest' },
  { name: 'organisation page', path: '/organisations/bollklubben-rosengardsstjarnan' },
  { name: 'organisation nobody keeps yet (may be claimed)', path: '/organisations/kroksbacks-box-och-kampsportsklubb' },
  { name: 'personal data', path: '/privacy' },
  { name: 'plan overview with charts', path: '/agreements/malmoandan/plans/2021-2026' },
  { name: 'plan overview, first plan', path: '/agreements/malmoandan/plans/2018-2022' },
  { name: 'challenge, filtered', path: '/agreements/malmoandan/challenges/jamlik-fritid-och-kultur?status=completed&plan=2018-2022' },
  { name: 'activity page', path: '/agreements/malmoandan/plans/2018-2022/activities/fredagsfotboll-rosengard' },
  { name: 'activity page, due for an update', path: '/agreements/malmoandan/plans/2021-2026/activities/unga-stodjer-unga' },
  { name: 'plan of the second agreement', path: '/agreements/sjovik/plans/2027-2028' },
  { name: 'agreement history', path: '/agreements/malmoandan/history' },
  { name: 'collaboration register', path: '/agreements/malmoandan/register' },
  { name: 'collaboration register, filtered', path: '/agreements/malmoandan/register?year=2022&form=iop' },
  { name: 'collaboration record', path: '/agreements/malmoandan/register/1' },
  { name: 'yearly reports overview', path: '/agreements/malmoandan/reports' },
  { name: 'city-wide report with charts', path: '/agreements/malmoandan/reports/2022' },
  { name: 'committee report, published', path: '/agreements/malmoandan/reports/2022/kulturnamnden' },
  { name: 'committee report, corrected', path: '/agreements/malmoandan/reports/2021/kulturnamnden' },
  { name: 'committee report, earlier version', path: '/agreements/malmoandan/reports/2021/kulturnamnden/versions/1' },
  { name: 'committee report, not published', path: '/agreements/malmoandan/reports/2024/fritidsnamnden' },
];

// The demonstration accounts the signed-in pages are seen as. Each signs in
// once through the sign-in form; its cookies are reused for its pages.
const ROLES = {
  'organisation admin': { email: 'ordforande@rosengardsstjarnan.example', password: 'rosengård demo lösenord' },
  'city-body official': { email: 'anna@malmo.example', password: 'malmö demo lösenord' },
  coordinator: { email: 'samordnare@sjovik.example', password: 'sjövik demo lösenord' },
  'platform admin': { email: 'admin@samverkan.example', password: 'plattform demo lösenord' },
};

// The pages behind sign-in, each with the role that sees it. Add new ones here.
const SIGNED_IN_PAGES = [
  { name: 'my account', path: '/account', as: 'organisation admin' },
  { name: 'my account, with roles', path: '/account', as: 'city-body official' },
  { name: 'organisation members', path: '/organisations/bollklubben-rosengardsstjarnan/members', as: 'organisation admin' },
  { name: 'edit organisation', path: '/organisations/bollklubben-rosengardsstjarnan/edit', as: 'organisation admin' },
  { name: 'new organisation', path: '/organisations/new', as: 'organisation admin' },
  { name: 'apply to join', path: '/agreements/sjovik/join', as: 'organisation admin' },
  { name: 'applications', path: '/agreements/sjovik/applications', as: 'coordinator' },
  { name: 'new city body', path: '/city-bodies/new', as: 'coordinator' },
  { name: 'edit city body', path: '/city-bodies/malmo/kulturnamnden', as: 'coordinator' },
  { name: 'new municipality or region', path: '/municipalities/new', as: 'platform admin' },
  { name: 'import city bodies', path: '/city-bodies/import?municipality=malmo', as: 'coordinator' },
  { name: 'import organisations', path: '/organisations/import', as: 'platform admin' },
  { name: 'new agreement', path: '/agreements/new', as: 'coordinator' },
  { name: 'agreements with the writer\'s links', path: '/agreements', as: 'platform admin' },
  { name: 'agreement workspace (adopted: text locked, steps with a decision)', path: '/agreements/sjovik/edit', as: 'coordinator' },
  { name: 'city bodies with the add buttons', path: '/city-bodies', as: 'platform admin' },
  { name: 'people (admin search)', path: '/admin?q=demo', as: 'platform admin' },
  { name: 'audit log', path: '/admin/audit', as: 'platform admin' },
  { name: 'my activities', path: '/account/activities', as: 'city-body official' },
  { name: 'activity with update and assessment forms', path: '/agreements/malmoandan/plans/2018-2022/activities/avgiftsfria-lovaktiviteter', as: 'city-body official' },
  { name: 'activity as a partner (proposal form)', path: '/agreements/malmoandan/plans/2018-2022/activities/avgiftsfria-lovaktiviteter', as: 'organisation admin' },
  { name: 'edit activity', path: '/agreements/malmoandan/plans/2018-2022/activities/avgiftsfria-lovaktiviteter/edit', as: 'city-body official' },
  { name: 'new activity', path: '/agreements/malmoandan/plans/2021-2026/activities/new', as: 'coordinator' },
  { name: 'new action plan', path: '/agreements/malmoandan/plans/new', as: 'coordinator' },
  { name: 'edit action plan', path: '/agreements/malmoandan/plans/2021-2026/edit', as: 'coordinator' },
  { name: 'import activities', path: '/agreements/malmoandan/plans/2021-2026/import', as: 'coordinator' },
  { name: 'attach a document to a plan', path: '/agreements/malmoandan/plans/2021-2026/documents', as: 'coordinator' },
  { name: 'attach a document to a version', path: '/agreements/malmoandan/versions/2/documents', as: 'coordinator' },
  { name: 'decisions with the attach links', path: '/agreements/malmoandan/decisions', as: 'coordinator' },
  { name: 'new collaboration record', path: '/agreements/malmoandan/register/new', as: 'city-body official' },
  { name: 'edit collaboration record', path: '/agreements/malmoandan/register/1/edit', as: 'coordinator' },
  { name: 'collaboration record with remark form', path: '/agreements/malmoandan/register/1', as: 'coordinator' },
  { name: 'import collaboration records', path: '/agreements/malmoandan/register/import', as: 'coordinator' },
  { name: 'my yearly reports (official)', path: '/account/reports', as: 'city-body official' },
  { name: 'my yearly reports (organisation)', path: '/account/reports', as: 'organisation admin' },
  { name: 'report workspace, draft', path: '/agreements/malmoandan/reports/2024/kulturnamnden/edit', as: 'city-body official' },
  { name: 'report workspace, submitted', path: '/agreements/malmoandan/reports/2024/fritidsnamnden/edit', as: 'city-body official' },
  { name: 'report workspace, published', path: '/agreements/malmoandan/reports/2023/kulturnamnden/edit', as: 'city-body official' },
  { name: 'committee report with contribution form', path: '/agreements/malmoandan/reports/2024/kulturnamnden', as: 'organisation admin' },
  { name: 'yearly reports with deadline form', path: '/agreements/malmoandan/reports', as: 'coordinator' },
  { name: 'roles and terms', path: '/agreements/malmoandan/governance', as: 'coordinator' },
  { name: 'roles and terms, current holders', path: '/agreements/sjovik/governance', as: 'coordinator' },
  { name: 'working group with the keepers\' links', path: '/agreements/sjovik/working-group', as: 'coordinator' },
  { name: 'plan a meeting', path: '/agreements/sjovik/working-group/meetings/new', as: 'coordinator' },
  { name: 'a meeting as its keepers see it', path: '/agreements/sjovik/working-group/meetings/2', as: 'coordinator' },
  { name: 'edit a role', path: '/agreements/sjovik/governance/roles/samordnare-kommunen', as: 'coordinator' },
  { name: 'organisation nobody keeps yet, signed in', path: '/organisations/kroksbacks-box-och-kampsportsklubb', as: 'coordinator' },
  { name: 'new action item', path: '/agreements/sjovik/working-group/actions/new', as: 'coordinator' },
];

const LANGS = ['sv', 'en'];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };
const NAV_TIMEOUT_MS = 30_000;
const MAX_NODES_PER_RULE = 10;

// Playwright itself starts Chromium with a fresh, empty --user-data-dir (a temp
// directory it deletes afterwards) and refuses that flag in `args`.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function withLang(base, path, lang) {
  const sep = path.includes('?') ? '&' : '?';
  return `${base}${path}${sep}lang=${lang}`;
}

function snippet(html, max = 300) {
  const oneLine = String(html ?? '').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

// Press Tab once from the top of a freshly loaded page and look at what got focus.
async function checkSkipLink(page) {
  const problems = [];
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { none: true };
    }
    const href = el.getAttribute('href');
    const info = {
      none: false,
      tag: el.tagName.toLowerCase(),
      href,
      html: el.outerHTML,
      text: (el.textContent || '').trim(),
    };
    if (href && href.startsWith('#') && href.length > 1) {
      let id = href.slice(1);
      try {
        id = decodeURIComponent(id);
      } catch {
        // keep the raw id
      }
      const target = document.getElementById(id);
      info.targetExists = !!target;
      if (target) {
        const main = document.querySelector('main, [role="main"]');
        info.targetTag = target.tagName.toLowerCase();
        info.hasMain = !!main;
        info.targetIsMainContent =
          !!main && (target === main || main.contains(target) || target.contains(main));
      }
    }
    return info;
  });

  if (focused.none) {
    problems.push('skip link: Tab from the top focused nothing');
    return problems;
  }
  if (focused.tag !== 'a' || !focused.href || !focused.href.startsWith('#') || focused.href.length < 2) {
    problems.push(
      `skip link: the first Tab stop is not an in-page link (<a href="#…">) but: ${snippet(focused.html, 200)}`,
    );
    return problems;
  }
  if (!focused.targetExists) {
    problems.push(`skip link: its target ${focused.href} does not exist on the page (${snippet(focused.html, 200)})`);
    return problems;
  }
  if (!focused.hasMain) {
    problems.push('skip link: the page has no <main> element');
  } else if (!focused.targetIsMainContent) {
    problems.push(`skip link: its target ${focused.href} (<${focused.targetTag}>) is not the <main> content`);
  }
  if (!focused.text) {
    problems.push(`skip link: it has no text (${snippet(focused.html, 200)})`);
  }
  // A skip link must be visible while it has focus (WCAG 2.4.7), so sighted
  // keyboard users see where they are. Allow a short CSS transition.
  const visible = await page
    .waitForFunction(
      () => {
        const el = document.activeElement;
        if (!el) return false;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return (
          r.width > 2 &&
          r.height > 2 &&
          r.bottom > 0 &&
          r.right > 0 &&
          r.top < window.innerHeight &&
          r.left < window.innerWidth &&
          s.visibility !== 'hidden' &&
          Number(s.opacity) > 0.1
        );
      },
      null,
      { timeout: 1_000, polling: 100 },
    )
    .then(() => true)
    .catch(() => false);
  if (!visible) {
    problems.push(`skip link: it is not visible on screen while it has focus (${snippet(focused.html, 200)})`);
  }
  return problems;
}

async function runAxe(page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations;
}

function describeViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`    [${v.impact ?? 'unknown'}] ${v.id}: ${v.help}`);
    lines.push(`      ${v.helpUrl}`);
    const nodes = v.nodes.slice(0, MAX_NODES_PER_RULE);
    for (const n of nodes) {
      lines.push(`      - target: ${n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', ')}`);
      lines.push(`        html:   ${snippet(n.html)}`);
      if (n.failureSummary) {
        const summary = n.failureSummary.split('\n').map((s) => s.trim()).filter(Boolean).join(' | ');
        lines.push(`        why:    ${snippet(summary, 400)}`);
      }
    }
    if (v.nodes.length > nodes.length) {
      lines.push(`      … and ${v.nodes.length - nodes.length} more node(s)`);
    }
  }
  return lines;
}

// Sign in through the sign-in form in a fresh context and return its storage
// state (the session and CSRF cookies) for the role's page checks.
async function signIn(browser, base, role) {
  const account = ROLES[role];
  if (!account) throw new Error(`no such role "${role}" in ROLES`);
  const context = await browser.newContext({ viewport: DESKTOP });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(NAV_TIMEOUT_MS);
    const response = await page.goto(`${base}/login`, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    if (!response || response.status() !== 200) {
      throw new Error(`GET /login answered ${response ? response.status() : 'nothing'}`);
    }
    const form = page.locator('form[action="/login"]');
    await form.locator('input[name="email"]').fill(account.email);
    await form.locator('input[name="password"]').fill(account.password);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT_MS }),
      form.locator('button[type="submit"], input[type="submit"]').first().click(),
    ]);
    const path = new URL(page.url()).pathname;
    const signedIn = await page.locator('form[action="/logout"]').count();
    if (path !== '/account' || signedIn === 0) {
      const said = await page
        .evaluate(() => (document.querySelector('.error-summary') || document.querySelector('h1'))?.textContent ?? '')
        .catch(() => '');
      throw new Error(`the sign-in form led to ${path}, not to /account signed in (${snippet(said, 120)})`);
    }
    return await context.storageState();
  } finally {
    await context.close();
  }
}

async function checkPhoneLayout(browser, url, storageState) {
  const problems = [];
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    storageState,
  });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(NAV_TIMEOUT_MS);
    await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    if (storageState && new URL(page.url()).pathname !== new URL(url).pathname) {
      const landed = new URL(page.url());
      problems.push(`phone layout: redirected to ${landed.pathname}${landed.search}, so the signed-in page was not checked`);
      return problems;
    }
    const m = await page.evaluate(() => {
      const de = document.documentElement;
      const out = { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, offenders: [] };
      if (de.scrollWidth > de.clientWidth) {
        // Name the elements where the layout breaks out past the screen's
        // right edge: an element sticks out (its box, or its own text) while
        // its parent's box does not, and no scrolling or hidden-overflow
        // ancestor clips it. Absolutely positioned elements are clipped only
        // by ancestors from their containing block up, so a visually hidden
        // element can escape an overflow-x:auto wrapper that is not positioned.
        const limit = de.clientWidth + 1;
        const clips = (a) =>
          a !== de && a !== document.body && getComputedStyle(a).overflowX !== 'visible';
        const isClipped = (el) => {
          let mode = getComputedStyle(el).position;
          for (let a = el.parentElement; a; a = a.parentElement) {
            if (mode === 'fixed') return false;
            const pos = getComputedStyle(a).position;
            if (mode === 'absolute' && pos === 'static') continue;
            if (clips(a)) return true;
            mode = pos;
          }
          return false;
        };
        const textRight = (el) => {
          let right = -Infinity;
          for (const n of el.childNodes) {
            if (n.nodeType !== Node.TEXT_NODE || !n.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            right = Math.max(right, range.getBoundingClientRect().right);
          }
          return right;
        };
        const seen = new Map();
        for (const el of document.body ? document.body.querySelectorAll('*') : []) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) continue;
          const cs = getComputedStyle(el);
          const right = Math.max(r.right, cs.overflowX === 'visible' ? textRight(el) : -Infinity);
          if (right <= limit) continue;
          const pos = cs.position;
          const parent = el.parentElement;
          const escapes = pos === 'absolute' || pos === 'fixed';
          if (!escapes && parent && parent !== document.body && parent.getBoundingClientRect().right > limit) continue;
          if (isClipped(el)) continue;
          const html = el.outerHTML.slice(0, 200);
          const key = `${el.tagName} ${el.className} ${pos}`;
          if (seen.has(key)) {
            seen.get(key).count += 1;
            continue;
          }
          const o = { right: Math.round(right), html, position: pos, count: 1 };
          seen.set(key, o);
          out.offenders.push(o);
        }
        out.offenders = out.offenders.slice(0, 8);
      }
      return out;
    });
    if (m.clientWidth > PHONE.width) {
      problems.push(
        `phone layout: the page is laid out ${m.clientWidth}px wide on a ${PHONE.width}px screen ` +
          '(missing <meta name="viewport" content="width=device-width, initial-scale=1">?)',
      );
    }
    if (m.scrollWidth > m.clientWidth) {
      problems.push(
        `phone layout: horizontal overflow at ${PHONE.width}x${PHONE.height}: scrollWidth ${m.scrollWidth} > clientWidth ${m.clientWidth}`,
      );
    }
    for (const o of m.offenders) {
      const more = o.count > 1 ? ` (and ${o.count - 1} more like it)` : '';
      const pos = o.position === 'static' ? '' : `, position: ${o.position}`;
      problems.push(`  sticks out (right edge at ${o.right}px${pos})${more}: ${snippet(o.html, 200)}`);
    }
  } finally {
    await context.close();
  }
  return problems;
}

// `storageState` (from signIn) makes it a signed-in page check.
async function checkPage(browser, base, entry, lang, storageState) {
  const url = withLang(base, entry.path, lang);
  const expectStatus = entry.status ?? 200;
  const problems = [];
  let violations = [];

  const context = await browser.newContext({ viewport: DESKTOP, storageState });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(NAV_TIMEOUT_MS);
    const response = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
    const status = response ? response.status() : 0;
    if (status !== expectStatus) {
      problems.push(`HTTP status ${status}, expected ${expectStatus}`);
    }
    if (storageState) {
      const landed = new URL(page.url());
      if (landed.pathname !== new URL(url).pathname) {
        problems.push(`redirected to ${landed.pathname}${landed.search}: not signed in as the ${entry.as}, or not allowed`);
      } else if ((await page.locator('form[action="/logout"]').count()) === 0) {
        problems.push(`the page does not show the ${entry.as} as signed in (no sign-out button)`);
      }
    }
    const contentType = response ? response.headers()['content-type'] ?? '' : '';
    if (!contentType.startsWith('text/html')) {
      problems.push(`content-type is "${contentType}", expected text/html`);
    }
    const htmlLang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
    if (htmlLang !== lang) {
      problems.push(`<html lang> is ${htmlLang === null ? 'missing' : `"${htmlLang}"`}, expected "${lang}"`);
    }
    problems.push(...(await checkSkipLink(page)));
    violations = await runAxe(page);
  } catch (err) {
    problems.push(`could not check the page: ${err.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }

  try {
    problems.push(...(await checkPhoneLayout(browser, url, storageState)));
  } catch (err) {
    problems.push(`phone layout: could not check the page: ${err.message.split('\n')[0]}`);
  }

  const name = entry.as ? `${entry.name}, as ${entry.as}` : entry.name;
  return { url, name, lang, problems, violations };
}

async function main() {
  const base = (process.argv[2] || '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(base)) {
    console.error('usage: node e2e/axe-check.mjs http://127.0.0.1:PORT [PATH-PART...]');
    process.exit(2);
  }
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`Chromium not found at ${executablePath}: run "apt-get install chromium" (or set CHROMIUM_PATH).`);
    process.exit(2);
  }

  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  } catch (err) {
    console.error(`could not start Chromium (${executablePath}): ${err.message}`);
    process.exit(2);
  }

  const filters = process.argv.slice(3);
  const matches = (p) => !filters.length || filters.some((f) => p.path.includes(f));
  const pages = [...PAGES, ...SIGNED_IN_PAGES].filter(matches);
  if (pages.length === 0) {
    console.error(`no page matches ${filters.join(', ')}`);
    process.exit(2);
  }
  const signedInCount = pages.filter((p) => p.as).length;
  console.log(
    `Checking ${pages.length} pages (${pages.length - signedInCount} public, ${signedInCount} signed in) x ${LANGS.length} languages against ${base}`,
  );
  console.log(`axe-core rules: ${AXE_TAGS.join(', ')}; phone viewport ${PHONE.width}x${PHONE.height}`);
  let passed = 0;
  let failed = 0;
  // role -> storage state after signing in, or an Error when that failed.
  const sessions = new Map();
  try {
    for (const entry of pages) {
      let storageState;
      if (entry.as) {
        if (!sessions.has(entry.as)) {
          try {
            sessions.set(entry.as, await signIn(browser, base, entry.as));
            console.log(`signed in as the ${entry.as} (${ROLES[entry.as].email})`);
          } catch (err) {
            sessions.set(entry.as, err instanceof Error ? err : new Error(String(err)));
          }
        }
        storageState = sessions.get(entry.as);
      }
      for (const lang of LANGS) {
        const r =
          storageState instanceof Error
            ? {
                url: withLang(base, entry.path, lang),
                name: `${entry.name}, as ${entry.as}`,
                lang,
                problems: [`could not sign in as the ${entry.as} (${ROLES[entry.as]?.email}): ${storageState.message.split('\n')[0]}`],
                violations: [],
              }
            : await checkPage(browser, base, entry, lang, storageState);
        const ok = r.problems.length === 0 && r.violations.length === 0;
        if (ok) passed += 1;
        else failed += 1;
        const count = `${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}`;
        console.log(`${ok ? 'PASS' : 'FAIL'}  ${lang}  ${r.url}  (${r.name}): ${count}`);
        for (const p of r.problems) console.log(`    ${p}`);
        for (const line of describeViolations(r.violations)) console.log(line);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

await main();
