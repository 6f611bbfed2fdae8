// The public space and the committee's maintenance pages in a real browser: every public page
// in English and in French (through the language switcher), the directory's filter form, the
// application to join (refused, then accepted), a centre's declarations, and every committee
// page for references, qualifications, charters, news and applications, including refused
// forms. Each page gets an axe-core audit; any serious or critical violation fails the run.
//
// Usage: BASE_URL=http://127.0.0.1:PORT node public_space.mjs
// Exits 0 when the flow works and the audits are clean, 1 otherwise.

import { chromium } from "playwright-core";
import { ARGS, BASE, CHROMIUM, PASSWORD, audit, check, finish } from "./lib.mjs";


async function visit(page, path, label, expected) {
  const response = await page.goto(`${BASE}${path}`);
  check(response.status() === 200, `${label}: ${path} answered ${response.status()}`);
  if (expected) check((await page.textContent("main")).includes(expected), `${label}: ${path} lacks "${expected}"`);
  const title = await page.title();
  check(title.includes("NETINVET"), `${label}: no proper title (${title})`);
  await audit(page, label);
}

// Submits the form around `button` with the browser's own checks off, so the server's field
// errors are what the audit sees (the pages keep `required` and `pattern` for real visitors).
async function submitUnchecked(page, button) {
  await page.locator(button).evaluate((b) => { b.form.noValidate = true; });
  await Promise.all([page.waitForLoadState("load"), page.click(button)]);
}

async function signIn(browser, email) {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForLoadState("load"), page.click("form.stack button[type=submit]")]);
  return page;
}

const PUBLIC_PAGES = [
  ["/", "home", null],
  ["/members", "member directory", null],
  ["/members/lycee-lyon", "centre profile", null],
  ["/references", "shared references", null],
  ["/references/import-export-sales-assistant", "reference profile", "IESA-3"],
  ["/references/qualifications", "national qualifications", null],
  ["/charters", "charters", null],
  ["/charters/centres", "charter for centres", "C-PREP-3"],
  ["/charters/companies/v/1", "charter for companies, version 1", "CO-ACA-2"],
  ["/news", "news", null],
  ["/news/portal-opens", "news article", null],
  ["/join", "application form", null],
];

async function run() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
    for (const [path, label, expected] of PUBLIC_PAGES) await visit(visitor, path, label, expected);

    // The directory's filters work as a plain form.
    await visitor.goto(`${BASE}/members`);
    await visitor.selectOption("#country", "DE");
    await visitor.selectOption("#label", "labelled");
    await Promise.all([visitor.waitForURL(/country=DE/), visitor.click("form.filters button[type=submit]")]);
    const listed = await visitor.locator("ul.listing > li").count();
    check(listed === 1 && (await visitor.textContent("ul.listing")).includes("Köln"), `the filtered directory lists ${listed} centres`);
    await audit(visitor, "filtered directory");

    // French, through the switcher in the header.
    await visitor.goto(`${BASE}/`);
    await visitor.selectOption("#language-switch", "fr");
    await Promise.all([visitor.waitForLoadState("load"), visitor.click("header form.inline button[type=submit]")]);
    check((await visitor.getAttribute("html", "lang")) === "fr", "the switcher did not switch to French");
    for (const [path, label, expected] of PUBLIC_PAGES) await visit(visitor, path, `${label} (fr)`, expected);

    // Applying: a refused form shows its errors; a complete one is acknowledged.
    await visitor.goto(`${BASE}/join`);
    await visitor.fill("#centre_name", "Escola Profissional de Setúbal");
    await submitUnchecked(visitor, "form.stack button[type=submit]");
    check((await visitor.locator("p.error").count()) >= 5, "the refused application shows its field errors");
    await audit(visitor, "application refused (fr)");
    await visitor.selectOption("#country", "PT");
    await visitor.fill("#city", "Setúbal");
    await visitor.check("input[name=sectors][value=transport_logistics]");
    await visitor.check("input[name=languages][value=pt]");
    await visitor.fill("#contact_name", "Ana Pereira");
    await visitor.fill("#contact_email", "ana.pereira@example.pt");
    await visitor.fill("#contact_role", "Coordenadora de mobilidade");
    await visitor.fill("#motivation", "Enviamos 20 alunos de logística por ano.");
    await visitor.check("input[name=consent]");
    await Promise.all([visitor.waitForURL(`${BASE}/join/thanks`), visitor.click("form.stack button[type=submit]")]);
    await audit(visitor, "application received (fr)");
    await visitor.goto(`${BASE}/sitemap.xml`);
    check((await visitor.content()).includes("/members/bk-koeln"), "the sitemap lists centre profiles");

    // A centre admin's declarations.
    const admin = await signIn(browser, "admin.koeln@demo.netinvet.example");
    await visit(admin, "/c/bk-koeln/profile", "centre declarations", null);
    await admin.fill("#website", "not a web address");
    await submitUnchecked(admin, "form.stack button[type=submit]");
    check((await admin.locator("#website-error").count()) === 1, "the refused declarations show the website error");
    await audit(admin, "centre declarations refused");
    const teacher = await signIn(browser, "teacher.koeln@demo.netinvet.example");
    await visit(teacher, "/c/bk-koeln/profile", "centre declarations (read only)", null);

    // The committee.
    const committee = await signIn(browser, "committee@demo.netinvet.example");
    await visit(committee, "/committee/references", "committee references", "Import-export sales assistant");
    await committee.fill("#code", "bad code!");
    await submitUnchecked(committee, "form[action='/committee/references/sectors'] button[type=submit]");
    check((await committee.locator("#code-error").count()) === 1, "the refused sector shows its errors");
    await audit(committee, "new sector refused");
    await committee.goto(`${BASE}/committee/references`);
    await Promise.all([committee.waitForURL(/\/committee\/references\/profiles\/\d+$/), committee.click("a:text('Warehouse technician')")]);
    await audit(committee, "committee profile");
    const profileUrl = committee.url();
    await committee.fill("#unit-code", "WT-1");
    await submitUnchecked(committee, "form[action$='/units'] button[type=submit]");
    check((await committee.locator("#unit-code-error").count()) === 1, "a duplicate unit code is refused");
    await audit(committee, "add unit refused");
    await committee.goto(profileUrl);
    await Promise.all([committee.waitForURL(/\/committee\/references\/units\/\d+$/), committee.click("a:text('WT-2')")]);
    await audit(committee, "committee unit");
    const unitUrl = committee.url();
    await Promise.all([committee.waitForLoadState("load"), committee.click("form[action$='/status'] button")]);
    check((await committee.textContent("h1")).includes("Retired"), "retiring the unit shows its new status");
    await audit(committee, "committee unit retired");
    await Promise.all([committee.waitForLoadState("load"), committee.click("form[action$='/status'] button")]);
    check(committee.url() === unitUrl && (await committee.textContent("h1")).includes("Published"), "reinstating the unit");
    await committee.goto(`${BASE}/committee/references`);
    await Promise.all([committee.waitForURL(/\/committee\/references\/sectors\/\d+$/), committee.click("h2 a:text('Transport & Logistics')")]);
    await audit(committee, "committee sector");
    await visit(committee, "/committee/references/profiles/new", "new profile form", null);
    await submitUnchecked(committee, "form.stack button[type=submit]");
    check((await committee.locator("p.error").count()) >= 4, "the refused profile shows its errors");
    await audit(committee, "new profile refused");
    await visit(committee, "/committee/references/qualifications", "committee qualifications", "Berufskraftfahrer");
    await Promise.all([committee.waitForURL(/\/committee\/references\/qualifications\/\d+$/), committee.click("td a:text('Professional Driver')")]);
    await audit(committee, "committee qualification");

    await visit(committee, "/committee/charters", "committee charters", null);
    await Promise.all([committee.waitForURL(/\/committee\/charters\/centres\/v\/2$/), committee.click("form[action='/committee/charters/centres/draft'] button")]);
    await audit(committee, "charter draft editor");
    await committee.fill("#section-new-title_en", "Digital tools");
    await submitUnchecked(committee, "#section-new form button[type=submit]");
    check((await committee.locator("#section-new-title_fr-error").count()) === 1, "the refused section shows its error");
    await audit(committee, "charter draft with a refused section");
    await visit(committee, "/committee/charters/centres/v/1", "published charter version (committee)", null);

    await visit(committee, "/committee/news", "committee news", null);
    await visit(committee, "/committee/news/new", "new article form", null);
    await committee.fill("#slug", "Not A Slug");
    await submitUnchecked(committee, "form.stack button[type=submit]");
    check((await committee.locator("#slug-error").count()) === 1, "the refused article shows its errors");
    await audit(committee, "new article refused");
    await committee.goto(`${BASE}/committee/news`);
    await Promise.all([committee.waitForURL(/\/committee\/news\/\d+$/), committee.click("td a")]);
    await audit(committee, "edit article");

    await visit(committee, "/committee/applications", "committee applications", "Setúbal");
    await Promise.all([committee.waitForURL(/\/committee\/applications\/\d+$/), committee.click("td a")]);
    check((await committee.textContent("main")).includes("Enviamos 20 alunos"), "the application shows its motivation");
    await audit(committee, "committee application");
  } finally {
    await browser.close();
  }
}

await finish(run);
