// What the e2e scripts share: starting the app through tauri-driver, checks that count towards
// `E2E-RESULT {"passed":N,"failed":M}`, waiting on what the page shows, screenshots, and the practice
// tenant's admin API and Microsoft Graph endpoints (another admin's view of the directory).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { remote } from "webdriverio";

export const root = path.resolve(import.meta.dirname, "../..");
// The debug build, or the binary `cargo xtask bundle` unpacked from the .deb (E2E_APP).
export const app = process.env.E2E_APP ?? path.join(root, "target/debug/entra-desk");
export const shots = process.env.E2E_SCREENSHOTS ?? path.join(root, "target/e2e-screenshots");
export const out = process.env.E2E_OUT ?? path.join(root, "target/e2e");
export const sandbox = `http://127.0.0.1:${process.env.ENTRA_DESK_PRACTICE_PORT}`;

/** Starts the app (a new session: a new app with its own window). */
export async function startApp() {
  return remote({
    hostname: "127.0.0.1",
    port: Number(process.env.E2E_DRIVER_PORT ?? 4444),
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true },
  });
}

/** A list of named checks; each failure is printed with a screenshot and what the page said. */
export function checks(getBrowser) {
  const results = [];
  async function check(name, fn) {
    const t = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`  ok   ${name} (${Date.now() - t} ms)`);
      return true;
    } catch (e) {
      results.push({ name, ok: false });
      console.log(`  FAIL ${name}: ${e?.message ?? e}`);
      const browser = getBrowser();
      const file = `failed-${path.basename(process.argv[1] ?? "e2e", ".mjs")}-${results.length}.png`;
      await browser?.saveScreenshot(path.join(shots, file)).catch(() => {});
      console.log(`       screenshot: target/e2e-screenshots/${file}`);
      // An error boundary's message and stack (the message is the alert's text before its details).
      const details = await browser
        ?.execute(() => {
          const alert = [...document.querySelectorAll("[role=alert]")].find((a) => a.querySelector("pre"));
          if (!alert) return "";
          const pre = alert.querySelector("pre")?.textContent ?? "";
          return `${(alert.textContent ?? "").replace(pre, "").slice(0, 300)}\n${pre}`;
        })
        .catch(() => "");
      if (details) console.log(`       the page said: ${details.split("\n").slice(0, 12).join("\n         ")}`);
      return false;
    }
  }
  function finish() {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    console.log(`E2E-RESULT ${JSON.stringify({ passed, failed })}`);
    return failed;
  }
  return { check, finish, results };
}

// The page's text as rendered (textContent: WebKitWebDriver's getText drops text cut short by an ellipsis).
export const textOf = (browser) => browser.execute(() => document.body.textContent ?? "");
export const waitForText = (browser, text, timeout) =>
  browser.waitUntil(async () => (await textOf(browser)).includes(text), {
    timeout,
    interval: 150,
    timeoutMsg: `"${text}" did not appear within ${timeout} ms`,
  });
export const waitForNoText = (browser, text, timeout) =>
  browser.waitUntil(async () => !(await textOf(browser)).includes(text), {
    timeout,
    interval: 150,
    timeoutMsg: `"${text}" was still shown after ${timeout} ms`,
  });
// Screenshots wait for two animation frames, so that what is in the page has been painted.
export const shot = async (browser, file) => {
  // Best effort: WebKitWebDriver now and then cannot parse an async script's answer while the page is busy
  // repainting (a job's progress); the screenshot is taken all the same.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))).catch(() => {});
  await browser.saveScreenshot(path.join(shots, file));
};
export const clickNav = async (browser, label) => {
  const item = await browser.$(`//*[self::a or self::button or @role='tab' or @role='menuitem' or @role='link'][normalize-space(.)='${label}']`);
  await item.waitForClickable({ timeout: 10_000 });
  await item.click();
};

/** The notifications sent on the private D-Bus session (dbus-monitor's log), one text per Notify call. */
export function notifications() {
  const log = readFileSync(path.join(out, "notifications.log"), "utf8");
  return log.split(/\n(?=method call|signal|method return|error)/).filter((b) => b.includes("member=Notify"));
}

/**
 * The practice tenant's out-of-band admin API (another admin acting on the directory). It answers only
 * with the tenant's secret, which run.sh hands to the app as ENTRA_DESK_PRACTICE_ADMIN_SECRET.
 */
export async function admin(method, route, body) {
  const secret = { "x-sandbox-secret": process.env.ENTRA_DESK_PRACTICE_ADMIN_SECRET ?? "" };
  const res = await fetch(`${sandbox}/_sandbox${route}`, {
    method,
    headers: body === undefined ? secret : { ...secret, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin API ${method} ${route} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

let token;
/** After the app (and the practice tenant inside it) restarted: its tokens are signed with a new key. */
export function forgetToken() {
  token = undefined;
}
/** Microsoft Graph on the practice tenant, as its administrator (not through the app). */
export async function graph(method, route, body, headers = {}) {
  token ??= (await admin("POST", "/tokens", { upn: "admin@contoso.com" })).access_token;
  const res = await fetch(`${sandbox}/v1.0${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
/** GET that must succeed; follows @odata.nextLink. */
export async function graphGet(route) {
  let r = await graph("GET", route);
  if (r.status !== 200) throw new Error(`Graph GET ${route} answered ${r.status}: ${JSON.stringify(r.body)}`);
  const body = r.body;
  if (!Array.isArray(body.value)) return body;
  const all = [...body.value];
  let next = body["@odata.nextLink"];
  while (next) {
    r = await graph("GET", next.replace(/^.*?\/v1\.0/, ""));
    all.push(...r.body.value);
    next = r.body["@odata.nextLink"];
  }
  return { ...body, value: all };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/**
 * Runs axe-core (WCAG 2.x A/AA rules and best practices) on the window as it is now, open dialogs
 * included; throws with each serious or critical problem (rule, what to fix, where). Left out: Fluent's
 * focus manager (tabster) puts invisible `<i tabindex=0 aria-hidden data-tabster-dummy>` sentinels at
 * the edges of toolbars and dialogs; focus that reaches one is moved on at once, so no one ever rests on
 * it, but axe reports each as an aria-hidden focusable element.
 */
export async function accessible(browser, what) {
  await browser.execute(`if (!window.axe) { ${axeSource} }`);
  const found = await browser.executeAsync((done) => {
    window.axe
      .run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] })
      .then((r) =>
        done(
          r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.help} — at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
        ),
      )
      .catch((e) => done([`axe-core could not run: ${e}`]));
  });
  if (found.length > 0) throw new Error(`${what}: ${found.length} serious or critical accessibility problem(s):\n      ${found.join("\n      ")}`);
}
