// A centre admin invites a learner; the learner opens the invitation from the development
// mailbox, accepts it and lands in the centre's workspace. Every page visited gets an axe-core
// audit; any serious or critical violation fails the run.
//
// Usage: BASE_URL=http://127.0.0.1:PORT node invitation_flow.mjs
// Exits 0 when the flow works and the audits are clean, 1 otherwise.

import { chromium } from "playwright-core";
import { ARGS, BASE, CHROMIUM, PASSWORD, audit, check, finish } from "./lib.mjs";

const ADMIN = "admin.lyon@demo.netinvet.example";
const LEARNER = "new.learner@example.org";

async function run() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    // bypassCSP only lets the audit inject axe; the pages themselves run no script.
    const admin = await (await browser.newContext({ bypassCSP: true })).newPage();

    await admin.goto(`${BASE}/`);
    await audit(admin, "home");

    await admin.goto(`${BASE}/sign-in`);
    await audit(admin, "sign-in");
    await admin.fill("#email", ADMIN);
    await admin.fill("#password", PASSWORD);
    await Promise.all([admin.waitForURL(`${BASE}/c/lycee-lyon/`), admin.click("form.stack button[type=submit]")]);
    await audit(admin, "centre dashboard (admin)");

    await admin.fill("#invite-email", LEARNER);
    await admin.selectOption("#invite-role", "learner");
    await admin.selectOption("#invite-language", "en");
    await Promise.all([admin.waitForURL(/\/c\/lycee-lyon\/\?invited=1$/), admin.click("form[action='/c/lycee-lyon/invitations'] button[type=submit]")]);
    check((await admin.textContent("main")).includes(LEARNER), "the pending invitation is not listed");
    await audit(admin, "centre dashboard after inviting");

    // The worker sends the email in the background: wait for it in the mailbox.
    let found = false;
    for (let attempt = 0; attempt < 40 && !found; attempt++) {
      await admin.goto(`${BASE}/dev/mailbox`);
      found = (await admin.locator("tbody tr", { hasText: LEARNER }).count()) > 0;
      if (!found) await admin.waitForTimeout(250);
    }
    check(found, "the invitation email never reached the development mailbox");
    await audit(admin, "development mailbox");
    await Promise.all([admin.waitForURL(/\/dev\/mailbox\/\d+$/), admin.locator("tbody tr", { hasText: LEARNER }).locator("a").first().click()]);
    await audit(admin, "email in the mailbox");
    const link = await admin.locator("main ul a[href*='/invitations/']").first().getAttribute("href");
    check(link && link.startsWith(`${BASE}/invitations/`), `no invitation link in the email (found ${link})`);

    // The learner, in a browser of their own.
    const learner = await (await browser.newContext({ bypassCSP: true })).newPage();
    await learner.goto(link);
    await audit(learner, "invitation");
    await learner.fill("#name", "New Learner");
    await learner.fill("#password", "a long learner password");
    await learner.fill("#password_confirmation", "a long learner password");
    await Promise.all([learner.waitForURL(`${BASE}/c/lycee-lyon/`), learner.click("form.stack button[type=submit]")]);
    const workspace = await learner.textContent("main");
    check(workspace.includes("New Learner"), "the learner is not listed in the workspace");
    check((await learner.locator("#invite-email").count()) === 0, "a learner must not see the invitation form");
    await audit(learner, "centre dashboard (learner)");

    await learner.goto(`${BASE}/account`);
    await audit(learner, "account");
    await learner.goto(`${BASE}/no-such-page`);
    await audit(learner, "not found");

    // The committee's pages, including a refused form with its field errors.
    const committee = await (await browser.newContext({ bypassCSP: true })).newPage();
    await committee.goto(`${BASE}/sign-in`);
    await committee.fill("#email", "committee@demo.netinvet.example");
    await committee.fill("#password", PASSWORD);
    await Promise.all([committee.waitForURL(`${BASE}/committee/`), committee.click("form.stack button[type=submit]")]);
    await audit(committee, "committee centres");
    await committee.goto(`${BASE}/committee/centres/new`);
    await audit(committee, "new centre form");
    await committee.fill("#name", "Centre with errors");
    await committee.fill("#slug", "no");
    await committee.fill("#city", "Porto");
    await committee.fill("#admin_email", "admin@example.pt");
    await committee.click("form.stack button[type=submit]");
    check((await committee.locator("p.error").count()) >= 3, "the refused form shows its field errors");
    await audit(committee, "new centre form with errors");
    await committee.goto(`${BASE}/committee/centres/lycee-lyon`);
    await audit(committee, "committee view of a centre");
    await committee.goto(`${BASE}/committee/deliveries`);
    await audit(committee, "email deliveries");

    // A visitor who forgot their password.
    const visitor = await (await browser.newContext({ bypassCSP: true })).newPage();
    await visitor.goto(`${BASE}/password/forgot`);
    await audit(visitor, "forgotten password");
    await visitor.fill("#email", ADMIN);
    await visitor.click("form.stack button[type=submit]");
    await audit(visitor, "reset link sent");
    await visitor.goto(`${BASE}/password/reset/${"0".repeat(64)}`);
    await audit(visitor, "unknown link");
  } finally {
    await browser.close();
  }
}

await finish(run);
