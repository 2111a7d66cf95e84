#!/usr/bin/env node
// The first run of a fresh install, in Chromium, as its first administrator
// does it with a mouse and a keyboard.
//
// Usage: node e2e/first-run.mjs http://127.0.0.1:PORT RESET-LINK
//   The server runs without --demo on an empty database; RESET-LINK is the
//   one-time link that `samverkan admin create --email kansli@kommun.example
//   --name "Kommunens kansli"` printed for it.
//
// The administrator opens the link and sets a password, signs in, adds the
// region and two of its bodies, writes an agreement (three sections in
// Swedish with an English translation, its principles and challenges and
// its name, summary and vision in English too), opens
// it for consultation, adopts it with a decision and its signed PDF, makes an
// adopted plan with the challenges and names themself coordinator for a
// period. The public pages then show it all, in Swedish and in English: the
// agreement, its text, the history with the decision and the PDF, the plan,
// the principles, the challenges and the contact page; and the working
// group meets: a member named for a period, a meeting with its agenda, its
// minutes hidden from visitors until approved, a decision and an action item.
//
// Every page the walk reaches, and every new public page in both languages,
// is checked with axe (WCAG 2.1 A and AA): 0 violations allowed. The public
// pages are also loaded at a phone's width, where nothing may overflow
// sideways.
//
// The last line printed is "first run: passed"; on failure the exit code is
// 1 and the last lines say which step failed and why (2 when the check could
// not run at all).

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const EMAIL = 'kansli@kommun.example';
const NAME = 'Kommunens kansli';
const PASSWORD = 'vår första fras för plattformen';
const SLUG = 'skaneandan';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const NAV_TIMEOUT_MS = 30_000;
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

const TEXT = `## Vision

Ett Skåne där *alla* kan delta.

## Principer

Vi utgår från [dialog](https://example.org).

- Självständighet
- Öppenhet

## Uppföljning

Vi följer upp varje år.
`;
const TEXT_EN = `## Vision

A Skåne where *everyone* can take part.

## Principles

We start from [dialogue](https://example.org).

- Independence
- Openness

## Follow-up

We follow up every year.
`;
const PRINCIPLES = `## Dialog

Vi lyssnar på varandra.

## Självständighet

Sektorn är fri.
`;
const CHALLENGES = `## Unga i hela regionen

Alla unga ska kunna delta.

## Ofrivillig ensamhet

Fler mötesplatser på landsbygden.
`;
const PRINCIPLES_EN = `## Dialogue

We listen to each other.

## Independence

The sector is free.
`;
const CHALLENGES_EN = `## Young people across the region

All young people can take part.

## Involuntary loneliness

More meeting places in the countryside.
`;
// A small PDF, as a scanner or an office program would make it.
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

class StepFailure extends Error {}
let currentStep = '(starting)';
function step(name) {
  currentStep = name;
  console.log(`step: ${name}`);
}
function fail(message) {
  throw new StepFailure(message);
}
function snippet(text, max = 300) {
  const oneLine = String(text ?? '').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** YYYY-MM-DD of today plus `days`, in UTC. */
function day(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const checked = new Set();
let axeFailures = 0;

/** Runs axe on the page as it is now, once per path and language. */
async function axe(page) {
  const url = new URL(page.url());
  const key = `${url.pathname}${url.search}`;
  if (checked.has(key)) return;
  checked.add(key);
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (violations.length === 0) {
    console.log(`    axe ok: ${key}`);
    return;
  }
  axeFailures += 1;
  console.log(`    axe FAILED: ${key}`);
  for (const v of violations) {
    console.log(`      [${v.impact ?? 'unknown'}] ${v.id}: ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) console.log(`        ${snippet(n.html, 200)}`);
  }
}

/** Opens `path`; the answer must be `status`; the page is checked. */
async function open(page, base, path, status = 200) {
  const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
  if (!res || res.status() !== status) {
    fail(`GET ${path} answered ${res ? res.status() : 'nothing'}, not ${status}: ${snippet(await page.locator('main').innerText().catch(() => ''))}`);
  }
  await axe(page);
}

/**
 * Fills the form whose action is `action` on the page that is open and
 * sends it with its button. `fields` maps a name to a value: text goes into
 * inputs and text areas, a select chooses the option of that value, radios
 * and checkboxes are ticked by value (an array ticks several), and
 * `{ file }` attaches a file. The answer must be `status` (after its
 * redirect); the page it shows is checked.
 */
async function send(page, action, fields, status = 200) {
  const form = page.locator(`form[action="${action}"]`).first();
  if ((await form.count()) === 0) fail(`no form sends to ${action} on ${page.url()}`);
  for (const [name, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${name}"]`);
    if ((await field.count()) === 0) fail(`the form to ${action} has no field ${name}`);
    const kind = await field.first().evaluate((el) => `${el.tagName.toLowerCase()}:${el.type || ''}`);
    if (value && typeof value === 'object' && 'file' in value) {
      await field.first().setInputFiles(value.file);
    } else if (kind === 'select:select-one' || kind === 'select:select-multiple') {
      await field.first().selectOption(value);
    } else if (kind === 'input:radio' || kind === 'input:checkbox') {
      for (const v of [value].flat()) await form.locator(`[name="${name}"][value="${v}"]`).check();
    } else {
      await field.first().fill(value);
    }
  }
  const button = form.locator('button[type="submit"]').first();
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT_MS }),
    button.click(),
  ]);
  if (!res || res.status() !== status) {
    fail(`sending ${action} answered ${res ? res.status() : 'nothing'}, not ${status}: ${snippet(await page.locator('main').innerText().catch(() => ''))}`);
  }
  await axe(page);
  return res;
}

/** The page's main text must hold every one of `texts`. */
async function shows(page, texts) {
  const main = await page.locator('main').innerText();
  for (const t of texts) {
    if (!main.includes(t)) fail(`${page.url()} does not show "${t}": ${snippet(main)}`);
  }
}

/** The page, at a phone's width, must not scroll sideways. */
async function fitsPhone(browser, base, path, storageState) {
  const context = await browser.newContext({ viewport: PHONE, storageState });
  const page = await context.newPage();
  await page.goto(`${base}${path}`, { waitUntil: 'load' });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await context.close();
  if (wide > 1) fail(`${path} is ${wide}px wider than a ${PHONE.width}px phone`);
}

async function walk(browser, base, link) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'sv-SE' });
  const page = await context.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT_MS);

  step('the empty start page says how to get started');
  await open(page, base, '/');
  await shows(page, ['Så kommer ni i gång', 'samverkan admin create']);

  step('the link from `admin create` sets the password');
  await open(page, base, new URL(link).pathname);
  await send(page, new URL(link).pathname, { password: PASSWORD });

  step('the administrator signs in');
  await open(page, base, '/login');
  await send(page, '/login', { email: EMAIL, password: PASSWORD });

  step('the region: a bad name first, then the right one');
  await open(page, base, '/municipalities/new');
  await send(page, '/municipalities/new', { name: 'X' }, 422);
  await shows(page, ['Skriv namnet, 2–100 tecken']);
  await send(page, '/municipalities/new', { name: 'Region Skåne', kind: 'region' });
  await shows(page, ['Kommunen eller regionen är tillagd.']);

  step('two of its bodies');
  for (const [name, kind] of [['Regionfullmäktige', 'municipal_council'], ['Regionstyrelsen', 'executive_board']]) {
    await open(page, base, '/city-bodies/new?municipality=region-skane');
    await send(page, '/city-bodies/new', { municipality: 'region-skane', name, kind });
  }
  await open(page, base, '/city-bodies');
  await shows(page, ['Region Skåne', 'Regionfullmäktige', 'Regionstyrelsen']);

  step('a new agreement, in draft');
  await open(page, base, '/agreements/new');
  await send(page, '/agreements/new', {
    municipality: 'region-skane',
    name: 'Överenskommelse om samverkan i Skåne',
    short_name: 'Skåneandan',
    summary: 'Hur regionen och den idéburna sektorn samverkar.',
    vision: 'Ett Skåne där alla kan delta.',
    signatories: 'Skånes idéburna råd',
  });
  const edit = `/agreements/${SLUG}/edit`;
  if (new URL(page.url()).pathname !== edit) fail(`the new agreement went to ${page.url()}, not ${edit}`);
  const stranger = await browser.newContext();
  const hidden = await stranger.request.get(`${base}/agreements/${SLUG}`);
  await stranger.close();
  if (hidden.status() !== 404) fail(`a draft answered ${hidden.status()} to a visitor, not 404`);

  step('its text in three sections, in Swedish and English');
  await send(page, `${edit}/text`, { label: 'Utkast till remiss', text: 'Utan rubrik' }, 422);
  await shows(page, ['Rad 1']);
  await send(page, `${edit}/text`, { label: 'Utkast till remiss', text: TEXT, text_en: TEXT_EN });

  step('its principles and challenges, in Swedish and English');
  await send(page, `${edit}/parts`, { principles: PRINCIPLES, challenges: CHALLENGES, principles_en: '## Dialogue\n\nOnly one.' }, 422);
  await shows(page, ['2 / 1']);
  await send(page, `${edit}/parts`, {
    principles: PRINCIPLES,
    challenges: CHALLENGES,
    commitments: 'Vi möts ofta.\n- Vi säger som det är.',
    principles_en: PRINCIPLES_EN,
    challenges_en: CHALLENGES_EN,
    commitments_en: 'We meet often.\nWe say how it is.',
  });

  step('its name, summary and vision in English');
  await send(page, edit, {
    name_en: 'Agreement on collaboration in Skåne',
    short_name_en: 'The Skåne spirit',
    summary_en: 'How the region and the idea-based sector work together.',
    vision_en: 'A Skåne where everyone can take part.',
  });

  step('a draft is not offered for adoption: it is opened for consultation');
  const offered = await page.locator(`form[action="${edit}/step"] input[name="step"][value="adopted"]`).count();
  if (offered !== 0) fail('the step form offers to adopt a text never consulted on');
  await send(page, `${edit}/step`, { step: 'consultation' });
  await shows(page, ['ute på remiss']);

  step('adopted with the decision and its signed PDF');
  await open(page, base, edit);
  await send(page, `${edit}/step`, {
    step: 'adopted',
    decided_on: day(-1),
    decided_by: 'region-skane/regionfullmaktige',
    reference: 'RF-2026-42',
    title: 'Regionfullmäktige antar Skåneandan',
    document: { file: { name: 'protokoll.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) } },
  });

  step('an adopted plan with both challenges');
  await open(page, base, `/agreements/${SLUG}/plans/new`);
  const decision = await page.locator('select[name="decision"] option').nth(1).getAttribute('value');
  await send(page, `/agreements/${SLUG}/plans/new`, {
    title: 'Handlingsplan 2027–2028',
    slug: '2027-2028',
    starts_on: '2027-01-01',
    ends_on: '2028-12-31',
    status: 'adopted',
    decision,
    summary: 'Den första handlingsplanen.',
    challenges: ['unga-i-hela-regionen', 'ofrivillig-ensamhet'],
  });

  step('a coordinator named for a period');
  const governance = `/agreements/${SLUG}/governance`;
  await open(page, base, governance);
  await send(page, `${governance}/roles`, {
    kind: 'coordinator',
    side: 'joint',
    title: 'Samordnare',
    mailbox: 'samverkan@skane.example',
    description: 'Håller ihop arbetet med överenskommelsen.',
  });
  await send(page, `${governance}/terms`, {
    role: 'samordnare',
    holder: EMAIL,
    starts_on: day(0),
    ends_on: day(730),
  });

  step('the working group: a member, a meeting with its agenda, approved minutes, an action item');
  await send(page, `${governance}/roles`, {
    kind: 'working_group',
    side: 'sector',
    title: 'Arbetsgrupp',
    description: 'Sektorns ledamöter i arbetsgruppen.',
  });
  await send(page, `${governance}/terms`, {
    role: 'arbetsgrupp',
    holder: EMAIL,
    starts_on: day(0),
    ends_on: day(730),
  });
  const wg = `/agreements/${SLUG}/working-group`;
  await open(page, base, `${wg}/meetings/new`);
  await send(page, `${wg}/meetings/new`, {
    title: 'Arbetsgruppens första möte',
    meets_on: day(-1),
    starts_at: '13:30',
    place: 'Regionhuset',
    agenda: 'Välkommen\nHandlingsplanen\nNästa möte',
  });
  const meeting = new URL(page.url()).pathname;
  if (!/\/meetings\/\d+$/.test(meeting)) fail(`the new meeting went to ${page.url()}`);
  await send(page, `${meeting}/minutes`, { minutes: 'Arbetsgruppen gick igenom handlingsplanen.' });
  await send(page, `${meeting}/decisions`, {
    decision: 'Handlingsplanen följs upp i juni.',
    decision_challenge: 'unga-i-hela-regionen',
  });
  const stranger2 = await browser.newContext();
  const draft = await stranger2.newPage();
  await draft.goto(`${base}${meeting}`);
  const drafted = await draft.locator('main').innerText();
  await stranger2.close();
  if (drafted.includes('Arbetsgruppen gick igenom')) fail('minutes not yet approved are shown to a visitor');
  await send(page, `${meeting}/minutes/approve`, {});
  await open(page, base, `${wg}/actions/new`);
  await send(page, `${wg}/actions/new`, {
    title: 'Bjud in fler föreningar',
    owner: EMAIL,
    due_on: day(60),
    status: 'in_progress',
    challenge: 'unga-i-hela-regionen',
  });

  step('the signed-in pages in English');
  for (const path of [edit, governance, '/agreements/new', '/municipalities/new', '/city-bodies/new', `${wg}/meetings/new`, `${wg}/actions/new`]) {
    await open(page, base, `${path}?lang=en`);
  }
  const signedIn = await context.storageState();
  await context.close();

  step('the public pages show it all, in Swedish and English');
  const visitor = await browser.newContext({ viewport: DESKTOP });
  const pub = await visitor.newPage();
  const a = `/agreements/${SLUG}`;
  const expected = {
    sv: {
      [a]: ['Överenskommelse om samverkan i Skåne'],
      [`${a}/text`]: ['Ett Skåne där alla kan delta.', 'Självständighet', 'Vi följer upp varje år.'],
      [`${a}/history`]: ['Skapad som utkast', 'Skickad på remiss', 'Antagen', 'av Kommunens kansli', 'RF-2026-42', 'Regionfullmäktige antar Skåneandan', 'Skånes idéburna råd', 'PDF'],
      [`${a}/decisions`]: ['Regionfullmäktige antar Skåneandan'],
      [`${a}/principles`]: ['Dialog', 'Vi lyssnar på varandra.', 'Vi säger som det är.'],
      [`${a}/challenges`]: ['Unga i hela regionen', 'Ofrivillig ensamhet'],
      [`${a}/plans/2027-2028`]: ['Handlingsplan 2027–2028', 'Unga i hela regionen', 'Ofrivillig ensamhet'],
      [`${a}/contact`]: ['Samordnare', NAME, 'samverkan@skane.example'],
      [`${a}/working-group`]: ['Arbetsgruppens första möte', 'Bjud in fler föreningar', NAME],
      [meeting]: ['Välkommen', 'Handlingsplanen', 'Arbetsgruppen gick igenom handlingsplanen.', 'Handlingsplanen följs upp i juni.'],
      '/city-bodies': ['Region Skåne', 'Regionstyrelsen'],
    },
    en: {
      [a]: ['Agreement on collaboration in Skåne', 'How the region and the idea-based sector work together.', 'Young people across the region'],
      [`${a}/principles`]: ['Dialogue', 'We listen to each other.', 'Independence', 'We say how it is.'],
      [`${a}/challenges`]: ['Young people across the region', 'Involuntary loneliness'],
      [`${a}/text`]: ['A Skåne where everyone can take part.', 'Independence', 'We follow up every year.'],
      [`${a}/history`]: ['Opened for consultation', 'Adopted', 'RF-2026-42', 'Skånes idéburna råd'],
      [`${a}/contact`]: [NAME, 'samverkan@skane.example'],
      [`${a}/working-group`]: ['Arbetsgruppens första möte', 'Bjud in fler föreningar'],
      [meeting]: ['Arbetsgruppen gick igenom handlingsplanen.'],
    },
  };
  for (const [lang, pages] of Object.entries(expected)) {
    for (const [path, texts] of Object.entries(pages)) {
      await open(pub, base, `${path}?lang=${lang}`);
      await shows(pub, texts);
    }
  }
  for (const path of Object.keys(expected.sv)) {
    await open(pub, base, `${path}?lang=en`);
  }

  step('the signed PDF is served as it was sent');
  await open(pub, base, `${a}/history`);
  const href = await pub.locator('main a[href^="/documents/"]').first().getAttribute('href');
  if (!href) fail('the history links no document');
  const pdf = await visitor.request.get(`${base}${href}`);
  if (pdf.status() !== 200 || (await pdf.text()) !== PDF) fail(`${href} answered ${pdf.status()} with other bytes`);
  await visitor.close();

  step('the new pages fit a phone');
  for (const path of [a, `${a}/text`, `${a}/history`, `${a}/contact`, `${a}/plans/2027-2028`, `${a}/working-group`, meeting]) {
    await fitsPhone(browser, base, path, undefined);
  }
  for (const path of [edit, governance, meeting]) {
    await fitsPhone(browser, base, path, signedIn);
  }
}

async function main() {
  const base = (process.argv[2] || '').replace(/\/+$/, '');
  const link = process.argv[3] || '';
  if (!/^https?:\/\/[^/]+$/.test(base) || !/\/reset\/\S+$/.test(link)) {
    console.error('usage: node e2e/first-run.mjs http://127.0.0.1:PORT RESET-LINK');
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
    await walk(browser, base, link);
    if (axeFailures > 0) fail(`${axeFailures} of ${checked.size} pages have axe violations (listed above)`);
    console.log(`axe: ${checked.size} pages, 0 violations`);
    console.log('first run: passed');
  } catch (err) {
    code = 1;
    console.log(`first run: FAILED at "${currentStep}": ${err instanceof StepFailure ? err.message : err.stack}`);
  } finally {
    await browser.close();
  }
  process.exit(code);
}

main();
