// Two demo centres run a learner mobility in a real browser, each in its own session: Lyon finds
// Köln's offer and requests places; Köln accepts; they sign a partnership agreement and a
// learning agreement; Lyon ticks its charter checklist and starts the mobility; Köln completes
// it and records the results; Lyon records the recognition and closes it. Messages and a
// document are exchanged on the way. Every page visited gets an axe-core audit; any serious or
// critical violation fails the run.
//
// Usage: BASE_URL=http://127.0.0.1:PORT node mobility_flow.mjs

import { chromium } from "playwright-core";
import { ARGS, BASE, CHROMIUM, PASSWORD, audit, check, finish } from "./lib.mjs";


async function signIn(browser, email) {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForLoadState("load"), page.click("form.stack button[type=submit]")]);
  // Everyone reads English here, so the script can find things by their English names.
  await page.selectOption("#language-switch", "en");
  await Promise.all([page.waitForLoadState("load"), page.click("header form.inline button[type=submit]")]);
  return page;
}

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState("load"), page.click(selector)]);
  const errors = await page.locator("p.error").allTextContents();
  check(errors.length === 0, `${selector} on ${page.url()} was refused: ${errors.join(" | ")}`);
}

async function act(page, action) {
  await submit(page, `form:has(input[name=action][value=${action}]) button[type=submit]`);
}

async function run() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const lyon = await signIn(browser, "admin.lyon@demo.netinvet.example");
    const koeln = await signIn(browser, "admin.koeln@demo.netinvet.example");

    await lyon.goto(`${BASE}/c/lycee-lyon/`);
    await audit(lyon, "dashboard");
    await lyon.goto(`${BASE}/c/lycee-lyon/partners`);
    await lyon.selectOption("#country", "DE");
    await Promise.all([lyon.waitForURL(/country=DE/), lyon.click("form.filters button[type=submit]")]);
    await audit(lyon, "partner search");
    await Promise.all([lyon.waitForURL(/\/partners\/offers\/\d+$/), lyon.click("ul.listing a")]);
    await audit(lyon, "offer");
    const start = await lyon.getAttribute("#period_start", "min");
    const end = new Date(Date.parse(start) + 13 * 86400000).toISOString().slice(0, 10);
    await lyon.fill("#participants", "1");
    await lyon.fill("#period_start", start);
    await lyon.fill("#period_end", end);
    await lyon.fill("#message", "One learner for two weeks.");
    await submit(lyon, "form.stack button[type=submit]");
    check(/\/operations\/\d+$/.test(lyon.url()), `the request did not open the operation (${lyon.url()})`);
    const opId = lyon.url().split("/").pop();
    await audit(lyon, "operation requested");

    await koeln.goto(`${BASE}/c/bk-koeln/operations`);
    await audit(koeln, "operations (host)");
    await koeln.goto(`${BASE}/c/bk-koeln/operations/${opId}`);
    await act(koeln, "accept");
    await audit(koeln, "operation accepted (host)");

    await lyon.goto(`${BASE}/c/lycee-lyon/agreements`);
    await audit(lyon, "agreements");
    await lyon.selectOption("#partner", "bk-koeln");
    await lyon.check("label:has-text('Transport technician (EQF 4)') input");
    for (const code of ["TT-1", "TT-2", "TT-3"]) await lyon.check(`label:has-text('${code} ·') input`);
    await lyon.fill("#assessment", "The host tutor assesses each unit with the shared grid.");
    await lyon.fill("#validation", "The sending centre's jury validates the units.");
    await lyon.fill("#recognition", "Validated units count towards the Bac pro OTM.");
    await lyon.fill("#valid_from", "2026-09-01");
    await lyon.fill("#valid_until", "2029-08-31");
    await submit(lyon, "form[action='/c/lycee-lyon/agreements'] button[type=submit]");
    await audit(lyon, "agreement drafted");
    await submit(lyon, "form[action$='/sign'] button");
    const agreementPath = new URL(lyon.url()).pathname.replace("/c/lycee-lyon/", "/c/bk-koeln/");
    await koeln.goto(`${BASE}${agreementPath}`);
    await submit(koeln, "form[action$='/sign'] button");
    check((await koeln.textContent("main")).includes("is in force"), "the agreement is not in force after both signatures");
    await audit(koeln, "agreement signed (host)");

    await lyon.goto(`${BASE}/c/lycee-lyon/operations/${opId}`);
    await lyon.selectOption("#agreement", { index: 1 });
    await lyon.fill("#accommodation", "Host family in Köln-Ehrenfeld.");
    await lyon.fill("#insurance", "Policy 123.");
    await lyon.fill("#emergency_contacts", "Marc Dubois");
    await submit(lyon, "form[action$='/details'] button[type=submit]");
    await submit(lyon, "form[action$='/participants'] button[type=submit]");
    await act(lyon, "prepare");
    await audit(lyon, "operation preparing");
    await Promise.all([lyon.waitForURL(/\/learning\/\d+$/), lyon.click("a:text('learning agreement')")]);
    await lyon.fill("#activities", "Plan the regional rounds of the depot.");
    await lyon.fill("#assessment_method", "Observation by the tutor.");
    await submit(lyon, "form:has(input[value=add-unit]) button[type=submit]");
    await act(lyon, "sign");
    await audit(lyon, "learning agreement signed (sending)");
    const laPath = new URL(lyon.url()).pathname.replace("/c/lycee-lyon/", "/c/bk-koeln/");
    await koeln.goto(`${BASE}${laPath}`);
    await act(koeln, "sign");
    await audit(koeln, "learning agreement (host)");

    await lyon.goto(`${BASE}/c/lycee-lyon/operations/${opId}`);
    for (let guard = 0; guard < 30; guard++) {
      const next = lyon.locator("#checklist form:has(input[name=done][value=true]) button");
      if ((await next.count()) === 0) break;
      await submit(lyon, "#checklist form:has(input[name=done][value=true]) button >> nth=0");
    }
    await act(lyon, "start");
    check((await lyon.textContent(".lead")).includes("In progress"), "the mobility did not start");
    await audit(lyon, "operation in progress");

    await koeln.goto(`${BASE}/c/bk-koeln/operations/${opId}`);
    await koeln.fill("#body", "Welcome to Köln! The tutor meets the learner on Monday.");
    await submit(koeln, "form[action$='/messages'] button[type=submit]");
    await act(koeln, "complete");
    await koeln.goto(`${BASE}${laPath}`);
    for (const select of await koeln.locator("select[name^=result_]").all()) await select.selectOption("achieved");
    await submit(koeln, "form:has(input[value=record]) button[type=submit]");
    await audit(koeln, "results recorded (host)");

    await lyon.goto(`${BASE}/c/lycee-lyon/operations/${opId}`);
    await lyon.setInputFiles("#file", { name: "insurance.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 policy") });
    await submit(lyon, "form[action$='/documents'] button[type=submit]");
    await act(lyon, "evaluate");
    await lyon.goto(`${BASE}/c/lycee-lyon/operations/${opId}/learning/${laPath.split("/").pop()}`);
    for (const select of await lyon.locator("select[name^=recognition_]").all()) await select.selectOption("validated");
    await submit(lyon, "form:has(input[value=record]) button[type=submit]");
    await audit(lyon, "recognition recorded (sending)");
    await lyon.goto(`${BASE}/c/lycee-lyon/operations/${opId}`);
    await act(lyon, "close");
    check((await lyon.textContent(".lead")).includes("Closed"), "the operation did not close");
    check((await lyon.textContent("#messages")).includes("Welcome to Köln!"), "the host's message is not on the thread");
    await audit(lyon, "operation closed");

    await lyon.goto(`${BASE}/c/lycee-lyon/operations`);
    await audit(lyon, "operations (sending)");
    await lyon.goto(`${BASE}/c/lycee-lyon/offers`);
    await audit(lyon, "our offers");
    await lyon.locator("form[action='/c/lycee-lyon/offers'] button").evaluate((b) => { b.form.noValidate = true; });
    await Promise.all([lyon.waitForLoadState("load"), lyon.click("form[action='/c/lycee-lyon/offers'] button")]);
    check((await lyon.locator("p.error").count()) >= 3, "the refused offer shows its errors");
    await audit(lyon, "offer refused");
  } finally {
    await browser.close();
  }
}

await finish(run);
