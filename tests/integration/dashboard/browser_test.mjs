// The real-browser test of the dashboard (docs/dashboard.md): a producer, a processor and a
// standalone dashboard against the real stack; headless Chromium (Debian's) loads the page, checks
// that the charts render with data points, that a Q1 typed into the page equals `ratingstream query
// avg-duration` for the same input, that a bad request shows its error in the page, and saves a
// screenshot under tests/artifacts/. Exit 0 when all holds; 1 naming the first check that failed.
//
// Environment (set by CTest): RS_BINARY, RS_SOURCE_ROOT, RS_NODE_MODULES (playwright-core).

import { spawn, execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const binary = process.env.RS_BINARY;
const sourceRoot = process.env.RS_SOURCE_ROOT;
const nodeModules = process.env.RS_NODE_MODULES;
if (!binary || !sourceRoot || !nodeModules) {
  console.error("RS_BINARY, RS_SOURCE_ROOT and RS_NODE_MODULES must be set (ctest sets them)");
  process.exit(2);
}
const { chromium } = createRequire(path.join(nodeModules, "noop.js"))("playwright-core");
const run = promisify(execFile);

const unique = `dash_browser_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const me = "Stelios Giagkos";
const children = [];

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

// Polls `probe` (async, returns a truthy value when done) until it holds or `timeoutMs` passes.
async function eventually(what, probe, timeoutMs = 60000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

// Starts `ratingstream args...` in the background, keeping its stderr to find logged ports.
function start(name, args) {
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderrText = "";
  child.stderr.on("data", (d) => { child.stderrText += d; });
  child.name = name;
  children.push(child);
  return child;
}

async function loggedPort(child, pattern) {
  return eventually(`${child.name} to log its port`, () => {
    if (child.exitCode !== null) throw new Error(`${child.name} exited ${child.exitCode}: ${child.stderrText}`);
    const m = child.stderrText.match(pattern);
    return m && Number(m[1]);
  }, 120000);
}

async function getJson(url) {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

function minuteText(ms) {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + "Z";
}

let context;
let userDataDir;
try {
  start("producer", ["produce", "-t", unique, "--interval", "1s", "--quiet"]);
  const processor = start("processor", ["process", "-t", unique, "--keyspace", unique, "--group", unique,
                                        "--trigger", "1s", "--starting-offsets", "earliest", "--metrics-port", "0",
                                        "--metrics-address", "127.0.0.1"]);
  const processorPort = await loggedPort(processor, /metrics on http:\/\/[0-9.]+:(\d+)\/metrics/);
  const dashboard = start("dashboard", ["dashboard", "--port", "0", "--address", "127.0.0.1", "--keyspace", unique,
                                        "--processor", `http://127.0.0.1:${processorPort}`]);
  const dashboardPort = await loggedPort(dashboard, /dashboard on http:\/\/[0-9.]+:(\d+)\//);
  const page_url = `http://127.0.0.1:${dashboardPort}/`;

  // Live data: rows written and every person of the producer seen in the overview.
  await eventually("rows written by the processor", async () =>
    (await getJson(`http://127.0.0.1:${processorPort}/api/pipeline`)).body.totals.written >= 30, 180000);
  await eventually("the overview to list the producer's people", async () =>
    (await getJson(`${page_url}api/overview`)).body.people.length >= 15, 60000);

  userDataDir = mkdtempSync(path.join(tmpdir(), "rs-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(page_url);

  // The charts: uPlot canvases of non-zero size, holding data points that keep coming.
  await eventually("the pipeline charts to hold 5 points", () =>
    page.evaluate(() => window.dashboardState.pipelinePoints >= 5 && window.dashboardState.minutePoints >= 1), 60000);
  const canvases = await page.$$eval(".chart canvas", (cs) => cs.map((c) => ({ w: c.width, h: c.height })));
  check(canvases.length >= 4, `${canvases.length} chart canvases rendered (at least 4)`);
  check(canvases.every((c) => c.w > 0 && c.h > 0), "every chart canvas has a non-zero size");
  const updates = await page.evaluate(() => window.dashboardState.pipelineUpdates);
  await eventually("the page to update itself without reloading", () =>
    page.evaluate((n) => window.dashboardState.pipelineUpdates > n, updates), 10000);
  const people = await page.$$eval("#people tbody tr", (rows) => rows.length);
  check(people >= 15, `${people} people listed with their latest ratings`);
  const written = Number((await page.textContent("#total-written")).replace(/[^0-9]/g, ""));
  check(written >= 30, `the page shows ${written} records written`);

  // Q1 in the page equals `ratingstream query avg-duration` for the same input. The producer
  // stops first so the window's rows stop changing; the two are compared until the processor
  // has caught up (both read the same table: they agree once it holds still).
  const from = minuteText(Date.now() - 3600000);
  const to = minuteText(Date.now() + 120000);
  children[0].kill("SIGTERM");
  await page.fill("#q-name", me);
  await page.fill("#q-from", from);
  await page.fill("#q-to", to);
  const agreed = await eventually("the page's Q1 to equal the command line's", async () => {
    await page.click("#q1-button");
    const answer = await page.waitForSelector("#q1-answer", { timeout: 5000 });
    const shown = await answer.getAttribute("data-avg-duration");
    const cli = await run(binary, ["query", "avg-duration", "--keyspace", unique, "--name", me, "--from", from,
                                   "--to", to, "--format", "json"]);
    const expected = JSON.parse(cli.stdout)[0].avg_duration;
    // The command line's JSON prints the two-decimal figure as a number (130.5), the page as text (130.50).
    return shown && expected !== null && Number(shown) === Number(expected) ? { shown, expected } : false;
  }, 60000, 1000);
  check(true, `Q1 in the page ${agreed.shown} equals ratingstream query avg-duration ${agreed.expected}`);

  // A bad request: its error shows in the page, and the server keeps answering.
  await page.fill("#q-name", "Nobody Rated Anything");
  await page.click("#q1-button");
  await eventually("the unknown person's error in the page", async () =>
    (await page.isVisible("#q-error")) && (await page.textContent("#q-error")).includes("unknown person"), 10000);
  await page.fill("#q-name", me);
  await page.fill("#q-from", "not a time");
  await page.click("#q2-button");
  await eventually("the bad window's error in the page", async () =>
    (await page.textContent("#q-error")).includes("from"), 10000);
  check(true, "bad requests show their error in the page");
  await page.fill("#q-from", from);
  await page.click("#q2-button");
  await page.waitForSelector("#q2-answer", { timeout: 10000 });
  check(true, "Q2 answered after the errors: the server is still up");

  // The same page at / on the processor's metrics port.
  const processorPage = await fetch(`http://127.0.0.1:${processorPort}/`);
  check(processorPage.status === 200 && (await processorPage.text()).includes("uPlot"),
        "the processor serves the page at / on --metrics-port");

  const artifacts = path.join(sourceRoot, "tests", "artifacts");
  mkdirSync(artifacts, { recursive: true });
  await page.fill("#q-from", from);
  await page.click("#q1-button");
  await page.waitForSelector("#q1-answer");
  await page.screenshot({ path: path.join(artifacts, "dashboard.png"), fullPage: true });
  check(pageErrors.length === 0, `no script errors in the page (${pageErrors.join("; ")})`);
  console.log(`screenshot: ${path.join(artifacts, "dashboard.png")}`);
} catch (e) {
  console.error(e.stack || e.message);
  for (const c of children) console.error(`--- ${c.name} stderr (last lines)\n${(c.stderrText || "").split("\n").slice(-15).join("\n")}`);
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}
