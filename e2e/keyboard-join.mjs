#!/usr/bin/env node
// A whole journey through Samverkan with the keyboard only, in Chromium.
//
// Usage: node e2e/keyboard-join.mjs http://127.0.0.1:PORT MAILDIR
//   MAILDIR is the Maildir where the SMTP server the Samverkan server sends
//   to stores what it receives (crates/testkit/smtp_server.py), and the
//   server's base URL must be http://127.0.0.1:PORT, so the link in the
//   confirmation mail points back at it.
//
// A new person registers, opens the confirmation link from the e-mail,
// confirms, signs in, creates an organisation and applies to join the
// agreement "sjovik" for it; then the agreement's coordinator signs in and
// approves the application, and the public list of parties shows the
// organisation. Last, an official goes from their account to their
// activities, opens one and publishes a progress update, which the public
// activity page then shows, and adds to their committee's draft yearly report
// from their reports page. Every step is done the way a keyboard user does it: Tab and
// Shift+Tab move the focus, text is typed into the focused field, Space ticks
// a checkbox, arrow keys choose within a radio group or a select, Enter
// follows a link or presses a button. page.goto is used only for the start
// of each person's visit and for opening the link from the e-mail. At every
// Tab stop the script checks that the focused element is on screen and shows
// a focus indicator (an outline or a box-shadow while it matches
// :focus-visible).
//
// The last line printed is "keyboard journey: passed"; on failure the exit
// code is 1 and the last lines say which step failed and why (2 when the
// check could not run at all).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const AGREEMENT = 'sjovik';
const COORDINATOR = { email: 'samordnare@sjovik.example', password: 'sjövik demo lösenord' };
// The demo official who answers for the activity followed up in step 9.
const OFFICIAL = { email: 'anna@malmo.example', password: 'malmö demo lösenord' };
const ACTIVITY = '/agreements/malmoandan/plans/2018-2022/activities/avgiftsfria-lovaktiviteter';
// The committee report the official works on in step 9: Kulturnämnden's
// 2024 report, a draft in the demonstration data.
const REPORT = '/agreements/malmoandan/reports/2024/kulturnamnden';
const PASSWORD = 'tangentbord och kaffe i hamnen';
const LANG = 'sv';
const VIEWPORT = { width: 1280, height: 800 };
const NAV_TIMEOUT_MS = 30_000;
const MAIL_TIMEOUT_MS = 20_000;
const MAX_TABS = 80;

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

class StepFailure extends Error {}

let currentStep = '(starting)';
function step(name) {
  currentStep = name;
  console.log(`step: ${name}`);
}
function note(text) {
  console.log(`    ${text}`);
}
function fail(message) {
  throw new StepFailure(message);
}

function snippet(text, max = 200) {
  const oneLine = String(text ?? '').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

// --- the focused element ---------------------------------------------------------

// What has focus, described for predicates and messages (runs in the page).
function focusInfo() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const form = el.form || el.closest('form');
  const card = el.closest('.card');
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || '',
    name: el.getAttribute('name') || '',
    type: (el.getAttribute('type') || '').toLowerCase(),
    value: 'value' in el ? String(el.value) : '',
    checked: !!el.checked,
    href: el.getAttribute('href') || '',
    text: (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 120),
    label: label.replace(/\s+/g, ' ').trim().slice(0, 120),
    formAction: form ? form.getAttribute('action') || '' : '',
    cardText: card ? card.textContent.replace(/\s+/g, ' ').trim() : '',
    inMain: !!el.closest('main'),
    html: el.outerHTML.slice(0, 300),
  };
}

function describe(info) {
  if (!info) return '(nothing: the page itself)';
  const bits = [`<${info.tag}`];
  if (info.id) bits.push(`id="${info.id}"`);
  if (info.name) bits.push(`name="${info.name}"`);
  if (info.type) bits.push(`type="${info.type}"`);
  if (info.href) bits.push(`href="${info.href}"`);
  if (info.tag === 'input' && (info.type === 'radio' || info.type === 'checkbox')) bits.push(`value="${info.value}"`);
  let out = `${bits.join(' ')}>`;
  const words = info.text || info.label;
  if (words) out += ` "${snippet(words, 60)}"`;
  return out;
}

// Is the focused element on screen with a visible focus indicator? Runs in
// the page. An outline (not "none", wider than 0) or a box-shadow counts.
function focusVisibility() {
  const el = document.activeElement;
  if (!el || el === document.body) return { ok: false, why: 'nothing has focus' };
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const inViewport =
    r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const shown = s.visibility !== 'hidden' && Number(s.opacity) > 0.1;
  const focusVisible = el.matches(':focus-visible');
  const outlineWidth = parseFloat(s.outlineWidth) || 0;
  const hasOutline = s.outlineStyle !== 'none' && outlineWidth > 0;
  const hasShadow = !!s.boxShadow && s.boxShadow !== 'none';
  const style = `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`;
  const problems = [];
  if (!inViewport) {
    const box = [r.left, r.top, r.width, r.height].map(Math.round);
    problems.push(`not in the viewport (box at ${box[0]},${box[1]}, ${box[2]}x${box[3]})`);
  }
  if (!shown) problems.push(`hidden (visibility ${s.visibility}, opacity ${s.opacity})`);
  if (!focusVisible) problems.push('does not match :focus-visible');
  if (!hasOutline && !hasShadow) problems.push(`no focus indicator (${style})`);
  // The browser's own focus ring ("outline-style: auto") is visible but is not
  // the site's focus style; say so without failing.
  const browserDefault = hasOutline && s.outlineStyle === 'auto' && !hasShadow;
  return { ok: problems.length === 0, why: problems.join('; '), style, browserDefault };
}

const defaultRings = new Set();
async function assertFocusVisible(page, info) {
  // Allow a short CSS transition (the skip link slides in).
  let v;
  for (let i = 0; i < 5; i += 1) {
    v = await page.evaluate(focusVisibility);
    if (v.ok) break;
    await page.waitForTimeout(100);
  }
  if (!v.ok) fail(`the focus is not visible on ${describe(info)} at ${page.url()}: ${v.why}`);
  if (v.browserDefault) {
    const key = `${info.tag}${info.type ? `[type=${info.type}]` : ''}`;
    if (!defaultRings.has(key)) {
      defaultRings.add(key);
      note(`note: ${key} shows only the browser's default focus ring (${v.style}), not the site's focus style`);
    }
  }
}

// Press Tab (or Shift+Tab) until the focused element matches `pred`, checking
// at every stop that the focus is visible. `what` names the target in messages.
async function tabTo(page, what, pred, { back = false, max = MAX_TABS } = {}) {
  const key = back ? 'Shift+Tab' : 'Tab';
  const seen = [];
  for (let i = 1; i <= max; i += 1) {
    await page.keyboard.press(key);
    const info = await page.evaluate(focusInfo);
    if (info) await assertFocusVisible(page, info);
    seen.push(describe(info));
    if (info && pred(info)) {
      note(`${key} x${i} -> ${describe(info)}`);
      return info;
    }
  }
  const lastStops = seen.slice(-12).map((s) => `      ${s}`).join('\n');
  fail(`${key} pressed ${max} times on ${page.url()} without reaching ${what}; the last stops were:\n${lastStops}`);
  return null;
}

async function typeHere(page, text) {
  await page.keyboard.type(text);
}

// --- page loads -----------------------------------------------------------------

// Record each main-frame navigation response, to report the status of the page
// a key press led to.
function watchNavigations(page) {
  const log = [];
  page.on('response', (response) => {
    const req = response.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
      log.push({ status: response.status(), url: response.url(), method: req.method() });
    }
  });
  return log;
}

async function pageProblemText(page) {
  return page
    .evaluate(() => {
      const parts = [];
      const h1 = document.querySelector('h1');
      if (h1) parts.push(`h1 "${h1.textContent.replace(/\s+/g, ' ').trim()}"`);
      for (const el of document.querySelectorAll('.error-summary, .field-error, .notice-box')) {
        parts.push(`${el.className}: "${el.textContent.replace(/\s+/g, ' ').trim()}"`);
      }
      return parts.join('; ');
    })
    .catch(() => '');
}

// Press `key` on the focused element and wait for the next page to load; then
// check that the final response was not an error and the URL is as expected.
async function pressAndLoad(page, navLog, key, expectPath, what) {
  const before = navLog.length;
  const loaded = page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  await page.keyboard.press(key);
  try {
    await loaded;
  } catch (err) {
    fail(`${what}: pressing ${key} led to no new page within ${NAV_TIMEOUT_MS / 1000}s (${err.message.split('\n')[0]})`);
  }
  const hops = navLog.slice(before);
  const last = hops[hops.length - 1];
  const url = new URL(page.url());
  const where = `${url.pathname}${url.search}`;
  const chain = hops.map((h) => `${h.method} ${new URL(h.url).pathname}${new URL(h.url).search} -> ${h.status}`).join(', ');
  if (last && last.status >= 400) {
    fail(`${what}: the server answered ${last.status} (${chain}); page: ${await pageProblemText(page)}`);
  }
  const ok = typeof expectPath === 'function' ? expectPath(url) : expectPath.test(where);
  if (!ok) {
    const expected = typeof expectPath === 'function' ? 'a different page' : `a path matching ${expectPath}`;
    fail(`${what}: ended on ${where} (${chain}), expected ${expected}; page: ${await pageProblemText(page)}`);
  }
  note(`${key} -> ${chain || where}`);
  return url;
}

async function startAt(page, base, path) {
  const response = await page.goto(`${base}${path}`, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  const status = response ? response.status() : 0;
  if (status !== 200) fail(`GET ${path} answered ${status}; page: ${await pageProblemText(page)}`);
  note(`opened ${path}`);
}

// --- e-mail -----------------------------------------------------------------------

function splitMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const name = line.slice(0, i).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(i + 1).trim());
    }
  }
  return { headers, body };
}

function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    const c = joined[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(headers, body) {
  const cte = (headers.get('content-transfer-encoding') || '7bit').toLowerCase();
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

// The text/plain body of a message (the first text/plain part of a multipart one).
function plainText(raw) {
  const { headers, body } = splitMessage(raw);
  const type = headers.get('content-type') || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type);
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary[1]}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const text = plainText(part.replace(/^\r?\n/, ''));
      if (text !== null) return text;
    }
    return null;
  }
  return /^text\/plain/i.test(type) ? decodeBody(headers, body) : null;
}

function readMaildir(maildir) {
  const out = [];
  for (const sub of ['new', 'cur']) {
    let names = [];
    try {
      names = readdirSync(join(maildir, sub));
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        out.push(readFileSync(join(maildir, sub, name), 'utf8'));
      } catch {
        // a file being moved; the next poll sees it
      }
    }
  }
  return out;
}

// Decode RFC 2047 encoded words (=?utf-8?b?...?= and =?utf-8?q?...?=) in a header.
function decodeHeader(value) {
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (_, charset, enc, data) => {
    if (!/^utf-?8$/i.test(charset)) return data;
    if (enc.toLowerCase() === 'b') return Buffer.from(data, 'base64').toString('utf8');
    return decodeQuotedPrintable(data.replace(/_/g, ' '));
  });
}

// Wait for a message to `to` whose text/plain body matches `wanted`.
async function waitForMail(maildir, to, wanted, what) {
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  const needle = to.toLowerCase();
  let forThem = 0;
  while (Date.now() < deadline) {
    forThem = 0;
    for (const raw of readMaildir(maildir)) {
      const { headers } = splitMessage(raw);
      const rcpt = `${headers.get('to') || ''} ${headers.get('x-rcptto') || ''}`.toLowerCase();
      if (!rcpt.includes(needle)) continue;
      forThem += 1;
      const text = plainText(raw);
      if (text !== null && wanted.test(text)) return { raw, headers, text };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(
    `no e-mail to ${to} with ${what} arrived in ${maildir} within ${MAIL_TIMEOUT_MS / 1000}s ` +
      `(${forThem} other message(s) to that address)`,
  );
  return null;
}

// --- the journey ------------------------------------------------------------------

const isField = (id) => (f) => f.id === id;
const isSubmitOf = (action) => (f) =>
  (f.tag === 'button' || (f.tag === 'input' && f.type === 'submit')) &&
  (f.type === '' || f.type === 'submit') &&
  (typeof action === 'string' ? f.formAction === action : action.test(f.formAction));
const isLinkTo = (path) => (f) => f.tag === 'a' && (typeof path === 'string' ? f.href === path : path.test(f.href));

async function signIn(page, navLog, base, email, password, who) {
  await startAt(page, base, `/login?lang=${LANG}`);
  await tabTo(page, 'the e-mail field', isField('email'));
  await typeHere(page, email);
  await tabTo(page, 'the password field', isField('password'));
  await typeHere(page, password);
  await tabTo(page, 'the sign-in button', isSubmitOf('/login'));
  await pressAndLoad(page, navLog, 'Enter', /^\/account(\?|$)/, `signing in as ${who}`);
}

async function journey(browser, base, maildir) {
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const email = `keyboard-${stamp}@example.org`;
  const displayName = `Tangentbordstestare ${stamp}`;
  const orgName = `Tangentbordsklubben ${stamp}`;
  console.log(`keyboard journey against ${base} as ${email}`);

  const applicantContext = await browser.newContext({ viewport: VIEWPORT });
  const page = await applicantContext.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT_MS);
  const navLog = watchNavigations(page);

  // 1. Register.
  step('register a new account');
  await startAt(page, base, `/register?lang=${LANG}`);
  const skip = await tabTo(page, 'the skip link', () => true, { max: 1 });
  if (!(skip.tag === 'a' && skip.href.startsWith('#'))) fail(`the first Tab stop is not the skip link but ${describe(skip)}`);
  await tabTo(page, 'the name field', isField('display_name'));
  await typeHere(page, displayName);
  await tabTo(page, 'the e-mail field', isField('email'));
  await typeHere(page, email);
  await tabTo(page, 'the password field', isField('password'));
  await typeHere(page, PASSWORD);
  // Back and forth once, as people do to check what they typed.
  await tabTo(page, 'the e-mail field (Shift+Tab)', isField('email'), { back: true, max: 3 });
  const typed = await page.evaluate(() => document.activeElement.value);
  if (typed !== email) fail(`the e-mail field holds "${typed}" after typing "${email}"`);
  await tabTo(page, 'the password field', isField('password'), { max: 3 });
  await tabTo(page, 'the register button', isSubmitOf('/register'));
  await pressAndLoad(page, navLog, 'Enter', /^\/register(\?|$)/, 'submitting the registration form');
  const afterRegister = await pageProblemText(page);
  if (/error-summary|field-error/.test(afterRegister)) fail(`the registration form came back with problems: ${afterRegister}`);
  note(`registered; page says: ${snippet(afterRegister, 120)}`);

  // 2. The confirmation mail.
  step(`read the confirmation e-mail from ${maildir}`);
  const confirmLink = /(https?:\/\/[^\s<>"]+?)?(\/confirm\/[0-9a-f]{64})(?![0-9A-Za-z])/;
  const mail = await waitForMail(maildir, email, confirmLink, 'a /confirm/<64 hex digits> link in its text');
  note(`mail: subject "${snippet(decodeHeader(mail.headers.get('subject') || ''), 100)}"`);
  const link = confirmLink.exec(mail.text);
  if (!link[1]) fail(`the confirmation link is not absolute: ${link[0]}`);
  if (link[1] !== base) fail(`the confirmation link points at ${link[1]}, not at the server's base URL ${base}`);
  const confirmPath = link[2];
  note(`link: ${link[1]}${confirmPath.slice(0, 18)}…`);

  // 3. Open the link and confirm.
  step('open the link from the e-mail and confirm the address');
  await startAt(page, base, confirmPath);
  await tabTo(page, 'the confirm button', isSubmitOf(confirmPath));
  const confirmed = (u) => u.pathname === confirmPath || u.pathname === '/login';
  await pressAndLoad(page, navLog, 'Enter', confirmed, 'confirming the address');
  if (new URL(page.url()).pathname !== '/login') {
    const inMain = (f) => f.inMain && isLinkTo('/login')(f);
    const done = await page.evaluate(() => !!document.querySelector('main a[href="/login"]'));
    if (!done) fail(`the address was not confirmed; page: ${await pageProblemText(page)}`);
    await tabTo(page, 'the sign-in link on the confirmation page', inMain);
    await pressAndLoad(page, navLog, 'Enter', /^\/login(\?|$)/, 'following the sign-in link');
  }

  // 4. Sign in.
  step('sign in');
  await tabTo(page, 'the e-mail field', isField('email'));
  await typeHere(page, email);
  await tabTo(page, 'the password field', isField('password'));
  await typeHere(page, PASSWORD);
  await tabTo(page, 'the sign-in button', isSubmitOf('/login'));
  await pressAndLoad(page, navLog, 'Enter', /^\/account(\?|$)/, 'signing in');

  // 5. Create an organisation.
  step('create an organisation');
  await tabTo(page, 'the link to create an organisation', isLinkTo('/organisations/new'));
  await pressAndLoad(page, navLog, 'Enter', /^\/organisations\/new(\?|$)/, 'following the new-organisation link');
  await tabTo(page, 'the name field', isField('name'));
  await typeHere(page, orgName);
  await tabTo(page, 'the legal form select', isField('legal_form'));
  for (let i = 0; i < 8; i += 1) {
    const v = await page.evaluate(() => document.activeElement.value);
    if (v === 'ideell_forening') break;
    await page.keyboard.press('ArrowDown');
  }
  const legal = await page.evaluate(() => document.activeElement.value);
  if (legal !== 'ideell_forening') fail(`ArrowDown in the legal form select did not reach "ideell_forening" (value "${legal}")`);
  note('legal form: ideell_forening (ArrowDown in the select)');
  await tabTo(page, 'the description field', isField('description'));
  await typeHere(page, 'En förening som provar att göra allt med tangentbordet.');
  const challenge = await tabTo(page, 'the first challenge checkbox', (f) => f.type === 'checkbox' && f.name === 'challenge');
  await page.keyboard.press('Space');
  if (!(await page.evaluate(() => document.activeElement.checked))) fail(`Space did not tick ${describe(challenge)}`);
  const district = await tabTo(page, 'the first district checkbox', (f) => f.type === 'checkbox' && f.name === 'district');
  await page.keyboard.press('Space');
  if (!(await page.evaluate(() => document.activeElement.checked))) fail(`Space did not tick ${describe(district)}`);
  note(`ticked ${challenge.value} and ${district.value}`);
  await tabTo(page, 'the contact e-mail field', isField('contact_email'));
  await typeHere(page, email);
  await tabTo(page, 'the create button', isSubmitOf('/organisations/new'));
  const orgPage = /^\/organisations\/[a-z0-9-]+(\?|$)/;
  const orgUrl = await pressAndLoad(page, navLog, 'Enter', orgPage, 'submitting the organisation form');
  const orgSlug = orgUrl.pathname.split('/')[2];
  if (orgSlug === 'new') fail(`the organisation form came back: ${await pageProblemText(page)}`);
  const h1 = await page.evaluate(() => document.querySelector('h1')?.textContent.trim() ?? '');
  if (!h1.includes(orgName)) fail(`the new organisation's page has the heading "${h1}", expected "${orgName}"`);
  note(`organisation ${orgSlug}`);

  // 6. Apply to join the agreement for the organisation.
  step(`apply to join agreement ${AGREEMENT} for the organisation`);
  await tabTo(page, 'the footer link to all agreements', isLinkTo('/agreements'));
  await pressAndLoad(page, navLog, 'Enter', /^\/agreements(\?|$)/, 'following the all-agreements link');
  await tabTo(page, `the link to agreement ${AGREEMENT}`, isLinkTo(`/agreements/${AGREEMENT}`));
  await pressAndLoad(page, navLog, 'Enter', new RegExp(`^/agreements/${AGREEMENT}(\\?|$)`), `following the link to ${AGREEMENT}`);
  await tabTo(page, 'the parties link in the agreement menu', isLinkTo(`/agreements/${AGREEMENT}/parties`));
  await pressAndLoad(page, navLog, 'Enter', new RegExp(`^/agreements/${AGREEMENT}/parties(\\?|$)`), 'following the parties link');
  await tabTo(page, 'the link to apply', isLinkTo(`/agreements/${AGREEMENT}/join`));
  await pressAndLoad(page, navLog, 'Enter', new RegExp(`^/agreements/${AGREEMENT}/join(\\?|$)`), 'following the apply link');
  const wanted = `organisation:${orgSlug}`;
  const firstRadio = await tabTo(page, 'the party radio group', (f) => f.type === 'radio' && f.name === 'party');
  const radioCount = await page.evaluate(() => document.querySelectorAll('input[type=radio][name=party]').length);
  let radio = firstRadio;
  for (let i = 0; i < radioCount && radio.value !== wanted; i += 1) {
    await page.keyboard.press('ArrowDown');
    radio = await page.evaluate(focusInfo);
    await assertFocusVisible(page, radio);
  }
  if (radio.value !== wanted || !radio.checked) {
    fail(
      `ArrowDown in the party radio group did not reach and choose "${wanted}" ` +
        `(now on ${describe(radio)}, checked ${radio.checked})`,
    );
  }
  note(`chose ${describe(radio)} with the arrow keys`);
  await tabTo(page, 'the accept checkbox', (f) => f.type === 'checkbox' && f.name === 'accept');
  await page.keyboard.press('Space');
  if (!(await page.evaluate(() => document.activeElement.checked))) fail('Space did not tick the accept checkbox');
  await tabTo(page, 'the apply button', isSubmitOf(`/agreements/${AGREEMENT}/join`));
  await pressAndLoad(page, navLog, 'Enter', /^\/account\?done=applied$/, 'submitting the application');
  const mine = await page.evaluate(
    (name) => [...document.querySelectorAll('.card')].some((c) => c.textContent.includes(name)),
    orgName,
  );
  if (!mine) fail(`the account page does not list the application for ${orgName}`);
  await applicantContext.close();

  // 7. The coordinator approves.
  step(`sign in as the coordinator ${COORDINATOR.email} (fresh browser context)`);
  const coordContext = await browser.newContext({ viewport: VIEWPORT });
  const cpage = await coordContext.newPage();
  cpage.setDefaultTimeout(NAV_TIMEOUT_MS);
  const cnavLog = watchNavigations(cpage);
  await signIn(cpage, cnavLog, base, COORDINATOR.email, COORDINATOR.password, 'the coordinator');

  step(`approve the application on /agreements/${AGREEMENT}/applications`);
  await tabTo(cpage, 'the link to the applications', isLinkTo(`/agreements/${AGREEMENT}/applications`));
  const applicationsPath = `/agreements/${AGREEMENT}/applications`;
  await pressAndLoad(cpage, cnavLog, 'Enter', (u) => u.pathname === applicationsPath, 'following the applications link');
  const inCard = (f) => f.cardText.includes(orgName);
  const isReason = (f) => f.tag === 'textarea' && /^reason-/.test(f.id) && inCard(f);
  const reason = await tabTo(cpage, `the reason field of ${orgName}'s application`, isReason);
  await typeHere(cpage, 'Välkomna! Godkänd med tangentbordet.');
  const isApprove = (f) => f.tag === 'button' && f.name === 'decision' && f.value === 'approve' && inCard(f);
  await tabTo(cpage, 'the approve button', isApprove, { max: 4 });
  const approved = (u) => u.pathname === applicationsPath && u.searchParams.get('done') === 'approved';
  await pressAndLoad(cpage, cnavLog, 'Enter', approved, 'approving');
  const status = await cpage.evaluate((id) => {
    const card = document.getElementById(id.replace(/^reason-/, 'application-'));
    return card ? card.textContent.replace(/\s+/g, ' ').trim() : null;
  }, reason.id);
  note(`the application now reads: ${snippet(status ?? '(card gone)', 160)}`);
  await coordContext.close();

  // 8. The public list of parties.
  step(`check that /agreements/${AGREEMENT}/parties lists the organisation`);
  const publicContext = await browser.newContext({ viewport: VIEWPORT });
  const ppage = await publicContext.newPage();
  await startAt(ppage, base, `/agreements/${AGREEMENT}/parties?lang=${LANG}`);
  const listed = await ppage.evaluate(
    (href) => {
      const a = [...document.querySelectorAll('table a')].find((x) => x.getAttribute('href') === href);
      return a ? { href, text: a.textContent.trim() } : null;
    },
    `/organisations/${orgSlug}`,
  );
  if (!listed) fail(`the parties table has no link to /organisations/${orgSlug}`);
  if (listed.text !== orgName) {
    fail(`the parties table links /organisations/${orgSlug} as "${listed.text}", expected "${orgName}"`);
  }
  note(`listed: ${listed.text} -> ${listed.href}`);
  await publicContext.close();

  // 9. An official follows up an activity they answer for.
  step(`sign in as the official ${OFFICIAL.email} and open their activities`);
  const officialContext = await browser.newContext({ viewport: VIEWPORT });
  const opage = await officialContext.newPage();
  opage.setDefaultTimeout(NAV_TIMEOUT_MS);
  const onavLog = watchNavigations(opage);
  await signIn(opage, onavLog, base, OFFICIAL.email, OFFICIAL.password, 'the official');
  await tabTo(opage, 'the link to my activities', isLinkTo('/account/activities'));
  await pressAndLoad(opage, onavLog, 'Enter', (u) => u.pathname === '/account/activities', 'following the link to my activities');
  await tabTo(opage, 'the link to the activity', isLinkTo(ACTIVITY));
  await pressAndLoad(opage, onavLog, 'Enter', (u) => u.pathname === ACTIVITY, 'opening the activity');

  step('publish a progress update');
  const text = `Uppföljning med tangentbordet ${stamp}: lovprogrammet utvärderat.`;
  await tabTo(opage, 'the update text', isField('body'));
  await typeHere(opage, text);
  await tabTo(opage, 'the publish button', isSubmitOf(`${ACTIVITY}/updates`));
  const published = (u) => u.pathname === ACTIVITY && u.searchParams.get('done') === 'update-published';
  await pressAndLoad(opage, onavLog, 'Enter', published, 'publishing the update');

  step("work on the committee's yearly report from the official's reports page");
  await startAt(opage, base, `/account/reports?lang=${LANG}`);
  await tabTo(opage, 'the link to the draft report', isLinkTo(`${REPORT}/edit`));
  await pressAndLoad(opage, onavLog, 'Enter', (u) => u.pathname === `${REPORT}/edit`, 'opening the report');
  const section = ` Skrivet med tangentbordet ${stamp}.`;
  await tabTo(opage, 'the section on what went well', isField('went_well'));
  await opage.keyboard.press('End');
  await typeHere(opage, section);
  await tabTo(opage, 'the save button', isSubmitOf(`${REPORT}/edit`));
  const saved = (u) => u.pathname === `${REPORT}/edit` && u.searchParams.get('done') === 'report-saved';
  await pressAndLoad(opage, onavLog, 'Enter', saved, 'saving the report');
  const kept = await opage.evaluate((t) => document.querySelector('#went_well').value.includes(t.trim()), section);
  if (!kept) fail(`the saved report does not hold "${section.trim()}"`);
  note('the section is saved');
  await officialContext.close();

  step('check that the public activity page shows the update');
  const readerContext = await browser.newContext({ viewport: VIEWPORT });
  const rpage = await readerContext.newPage();
  await startAt(rpage, base, `${ACTIVITY}?lang=${LANG}`);
  const shown = await rpage.evaluate((t) => document.querySelector('#updates').textContent.includes(t), text);
  if (!shown) fail(`the activity's timeline does not show "${text}"`);
  note('the update is on the public timeline');
  await readerContext.close();
}

async function main() {
  const base = (process.argv[2] || '').replace(/\/+$/, '');
  const maildir = process.argv[3] || '';
  if (!/^https?:\/\/[^/]+$/.test(base) || !maildir) {
    console.error('usage: node e2e/keyboard-join.mjs http://127.0.0.1:PORT MAILDIR');
    process.exit(2);
  }
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`Chromium not found at ${executablePath}: run "apt-get install chromium" (or set CHROMIUM_PATH).`);
    process.exit(2);
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (err) {
    console.error(`could not start Chromium (${executablePath}): ${err.message}`);
    process.exit(2);
  }
  let code = 0;
  try {
    await journey(browser, base, maildir);
    console.log('keyboard journey: passed');
  } catch (err) {
    code = 1;
    const message = err instanceof StepFailure ? err.message : err.stack || String(err);
    console.log(`keyboard journey: FAILED at step "${currentStep}":`);
    console.log(`    ${message}`);
  } finally {
    await browser.close().catch(() => {});
  }
  process.exit(code);
}

await main();
