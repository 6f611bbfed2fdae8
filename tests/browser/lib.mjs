// What every browser flow shares: the Chromium launch settings, the axe-core audit of a page
// (serious or critical violations are problems), and the report that ends a run.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

export const BASE = process.env.BASE_URL;
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// Playwright runs headless with a fresh temporary profile; these keep Chromium off the network.
export const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
export const PASSWORD = "netinvet-demo";

const audited = [];
const problems = [];

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Links carry single-use tokens: the report never prints them.
const redacted = (url) =>
  `${url.pathname}${url.search}`.replace(/\/(invitations|password\/reset)\/[0-9a-f]+/, "/$1/TOKEN");

/// Audits the page with axe-core; `shown` turns its URL into what the report prints.
export async function audit(page, label, shown = redacted) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const blocking = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(result.passes.length > 0, `axe checked nothing on ${label}`);
  audited.push(`${label} (${shown(new URL(page.url()))}): ${result.passes.length} rules passed, ${result.violations.length} violations, ${blocking.length} serious or critical`);
  for (const v of blocking) {
    problems.push(`${label}: [${v.impact}] ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
}

/// Runs the flow, prints the report and exits 0 when the flow worked and every audit was clean.
export async function finish(run) {
  try {
    check(BASE, "BASE_URL is not set");
    await run();
  } catch (err) {
    problems.push(`flow failed: ${err.message}`);
  }
  for (const line of audited) console.log(`audited ${line}`);
  for (const line of problems) console.log(`PROBLEM ${line}`);
  console.log(problems.length === 0 ? `browser flow passed, ${audited.length} pages audited` : `browser flow failed: ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
}
