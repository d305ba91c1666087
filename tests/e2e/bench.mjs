// The app-level step of `cargo xtask bench`: the real app (release build, `E2E_APP`) with the practice tenant
// started over at 100,000 people and 10,000 groups, measured from its webview:
//
// * the Users table's first window read from the local copy as an IPC round trip (`query_users`,
//   the exact query the table sends), N=200 calls timed with performance.now() in the webview;
// * one change made by another admin (the sandbox's admin API), then `check_now`: the time until the
//   watch status reports the check done and the change is visible through `query_users`, and the
//   requests the practice tenant answered meanwhile (its request log and counters);
// * the app's memory with the 100k copy open: VmRSS of the app process and its WebKit children
//   (from /proc), the main process's VmHWM;
// * P6: the Users table with 100,000 people: first rows painted after navigating to it, and rows
//   shown after jumps to far offsets (see `usersTablePaint`).
//
// Run like the smoke test: `xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash
// tests/e2e/run.sh tests/e2e/bench.mjs` (cargo xtask bench does that). The last line is
// `BENCH-RESULT {…}` (JSON) for bench.rs; on failure it carries `"error"`.
import { readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import { remote } from "webdriverio";
import { admin } from "./lib.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const app = process.env.E2E_APP ?? path.join(root, "target/debug/entra-desk");
const out = process.env.E2E_OUT ?? path.join(root, "target/e2e");
const shots = process.env.E2E_SCREENSHOTS ?? out;
const N = Number(process.env.BENCH_IPC_CALLS ?? 200);
const result = { build: process.env.E2E_APP ? "release" : "debug", calls: N };
const log = (m) => console.log(`  ${m}`);

// The Users table's first window, as useWindowedTable sends it (WINDOW_SIZE in ui/src/components/useDataTable.ts).
const FIRST_WINDOW = { text: null, criteria: [], sort: "displayName", descending: false, offset: 0, limit: 200 };

const textOf = (browser) => browser.execute(() => document.body.textContent ?? "");
const waitForText = (browser, text, timeout) =>
  browser.waitUntil(async () => (await textOf(browser)).includes(text), {
    timeout,
    interval: 250,
    timeoutMsg: `"${text}" did not appear within ${timeout} ms`,
  });
const clickNav = async (browser, label) => {
  const item = await browser.$(`//*[self::a or self::button or @role='tab' or @role='menuitem' or @role='link'][normalize-space(.)='${label}']`);
  await item.waitForClickable({ timeout: 10_000 });
  await item.click();
};
const shot = async (browser, file) => {
  try {
    await browser?.saveScreenshot(path.join(shots, file));
  } catch {}
};

// ---- /proc: the app process and its WebKit children ----
const procStatus = (pid) => {
  try {
    const fields = {};
    for (const line of readFileSync(`/proc/${pid}/status`, "utf8").split("\n")) {
      const m = /^(\w+):\s+(.*)$/.exec(line);
      if (m) fields[m[1]] = m[2];
    }
    return fields;
  } catch {
    return null;
  }
};
const kib = (v) => (v ? Number.parseInt(v, 10) : 0);
const pssKib = (pid) => {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
function processes() {
  const list = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStatus(name);
    if (!s) continue;
    let exe = "";
    try {
      exe = readlinkSync(`/proc/${name}/exe`);
    } catch {}
    // The executable's file name: /proc's Name is cut at 15 characters (WebKitNetworkPr).
    list.push({ pid: Number(name), ppid: Number(s.PPid), name: exe ? path.basename(exe) : s.Name, exe, status: s });
  }
  return list;
}
function appMemory() {
  const all = processes();
  const mains = all.filter((p) => p.exe === app);
  if (mains.length !== 1) throw new Error(`expected one ${app} process, found ${mains.length}`);
  const main = mains[0];
  // Every descendant (WebKitGTK may put a bwrap sandbox between the app and its web process).
  const tree = [main];
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.includes(p) && tree.some((t) => t.pid === p.ppid)) {
        tree.push(p);
        grew = true;
      }
    }
  }
  const webkit = tree.filter((p) => p !== main && /^WebKit/.test(p.name));
  const counted = [main, ...webkit];
  return {
    mainPid: main.pid,
    mainRssKib: kib(main.status.VmRSS),
    mainHwmKib: kib(main.status.VmHWM),
    processes: counted.map((p) => ({ pid: p.pid, name: p.name, rssKib: kib(p.status.VmRSS), hwmKib: kib(p.status.VmHWM) })),
    totalRssKib: counted.reduce((n, p) => n + kib(p.status.VmRSS), 0),
    totalPssKib: counted.reduce((n, p) => n + pssKib(p.pid), 0),
  };
}
// The local copy's SQLite file(s) under the scratch profile run.sh made.
function mirrorFiles() {
  const base = process.env.XDG_DATA_HOME;
  if (!base) return null;
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.sqlite3(-wal|-shm)?$/.test(e.name)) files.push({ file: path.relative(base, p), bytes: statSync(p).size });
    }
  };
  try {
    walk(base);
  } catch {
    return null;
  }
  return files;
}

// P6 (runs in the webview): `runs` times, from clicking "Users" in the navigation (coming from
// Groups) until the first loaded rows of the Users table are painted — rows in the DOM (seen by a
// MutationObserver), then the next animation frame after them (its callback runs once the frame
// holding them was drawn); then, for each offset, from setting the table's scrollTop to that row
// until the rows in view are loaded (no "Loading…" in view) and painted (the same next frame).
const P6_RUNS = Number(process.env.BENCH_P6_RUNS ?? 5);
const P6_OFFSETS = [1_000, 10_000, 50_000, 99_000];
async function usersTablePaint(runs, offsets, done) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const nav = (label) =>
    [...document.querySelectorAll("a, button, [role=tab], [role=menuitem], [role=link]")].find((e) => e.textContent.trim() === label);
  const table = () => document.querySelector('[data-testid="users-table"]');
  const loaded = (r) => !r.textContent.includes("Loading…");
  // The next frame after the current DOM: its rAF callback runs after the frame with it was painted.
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const until = (pred, what) =>
    new Promise((resolve, reject) => {
      if (pred()) return resolve();
      const timer = setTimeout(() => {
        obs.disconnect();
        reject(new Error(`${what}: not within 60 s`));
      }, 60_000);
      const obs = new MutationObserver(() => {
        if (pred()) {
          obs.disconnect();
          clearTimeout(timer);
          resolve();
        }
      });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  try {
    const firstRowsMs = [];
    for (let i = 0; i < runs; i++) {
      nav("Groups").click();
      await until(() => !table(), "leaving Users");
      await sleep(1_000);
      const t0 = performance.now();
      nav("Users").click();
      await until(() => [...(table()?.querySelectorAll("[data-index]") ?? [])].some(loaded), "first rows");
      await nextFrame();
      firstRowsMs.push(Math.round(performance.now() - t0));
      await sleep(500);
    }
    const scroller = [...table().querySelectorAll("div")].find((d) => d.scrollHeight > d.clientHeight + 100);
    const rowHeight = table().querySelector("[data-index]").getBoundingClientRect().height;
    const inView = () => {
      const top = scroller.scrollTop;
      return [...scroller.querySelectorAll("[data-index]")].filter((r) => {
        const y = Number(r.dataset.index) * rowHeight;
        return y + rowHeight > top && y < top + scroller.clientHeight;
      });
    };
    const scrollMs = [];
    for (let i = 0; i < runs; i++) {
      for (const offset of offsets) {
        scroller.scrollTop = 0;
        await nextFrame();
        await sleep(300);
        const t0 = performance.now();
        scroller.scrollTop = offset * rowHeight;
        await until(() => {
          const rows = inView();
          return rows.length > 0 && rows.every(loaded) && rows.some((r) => Number(r.dataset.index) >= offset - 1);
        }, `rows at ${offset}`);
        await nextFrame();
        scrollMs.push(Math.round(performance.now() - t0));
      }
    }
    done({ firstRowsMs, scrollMs, offsets, rowHeight });
  } catch (e) {
    done({ error: String(e?.message ?? e) });
  }
}

let browser;
let failed = null;
try {
  browser = await remote({
    hostname: "127.0.0.1",
    port: Number(process.env.E2E_DRIVER_PORT ?? 4444),
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true },
  });
  await browser.setTimeout({ script: 600_000 });

  log("signing in to the practice tenant");
  const open = await browser.$("#open-practice-tenant");
  await open.waitForClickable({ timeout: 30_000 });
  await open.click();
  await waitForText(browser, "MOD Administrator", 30_000);

  log("Settings → Start over with 100,000 people");
  await clickNav(browser, "Settings");
  const startOver = await browser.$("//button[normalize-space(.)='Start over']");
  await startOver.waitForClickable({ timeout: 20_000 });
  await startOver.click();
  const size = await browser.$("//label[contains(., '100,000 people')]");
  await size.waitForClickable({ timeout: 10_000 });
  await size.click();
  const confirm = await browser.$("//*[@role='alertdialog']//button[normalize-space(.)='Start over']");
  await confirm.waitForClickable({ timeout: 5_000 });
  const resetStarted = Date.now();
  await confirm.click();
  await waitForText(browser, "The practice tenant now holds a generated organisation of 100,000 people", 300_000);
  result.resetMs = Date.now() - resetStarted;
  log(`practice tenant regenerated in ${(result.resetMs / 1000).toFixed(1)} s; waiting for the first read of the copy`);
  await clickNav(browser, "Users");
  // 100,000 generated people plus the sample's 8 (the separator follows the webview's locale).
  await browser.waitUntil(async () => /(^|\D)100[,.\u00a0\u202f]?008 users/.test(await textOf(browser)), {
    timeout: 1_800_000,
    interval: 500,
    timeoutMsg: "the users table did not reach 100,008 people",
  });
  await browser.waitUntil(
    async () => {
      if ((await textOf(browser)).includes("Reading your directory")) return false;
      const s = await browser.executeAsync((done) => {
        window.__TAURI_INTERNALS__.invoke("get_watch_status").then(done, (e) => done({ error: String(e) }));
      });
      return s.state === "watching" && !s.syncing && !!s.lastChecked;
    },
    { timeout: 1_800_000, interval: 500, timeoutMsg: "the first read of the directory did not finish" },
  );
  result.firstSyncMs = Date.now() - resetStarted;
  log(`copy read: ${(result.firstSyncMs / 1000).toFixed(1)} s after Start over`);
  await shot(browser, "bench-01-users-100k.png");
  // Let the page settle (the table's own first read, the activity badge) before timing.
  await browser.pause(3_000);

  // ---- (a) the Users table's first window as an IPC round trip ----
  log(`timing ${N} query_users calls (the Users table's first window) in the webview`);
  const ipc = await browser.executeAsync(
    async (query, n, done) => {
      try {
        const invoke = window.__TAURI_INTERNALS__.invoke;
        let page;
        for (let i = 0; i < 5; i++) page = await invoke("query_users", { query }); // warm-up
        const times = [];
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          page = await invoke("query_users", { query });
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        done({
          medianMs: times[Math.floor(n / 2)],
          p95Ms: times[Math.min(n - 1, Math.floor((n * 95) / 100))],
          maxMs: times[n - 1],
          minMs: times[0],
          total: page.total,
          rows: page.rows.length,
          bytes: JSON.stringify(page).length,
        });
      } catch (e) {
        done({ error: String(e?.message ?? JSON.stringify(e)) });
      }
    },
    FIRST_WINDOW,
    N,
  );
  if (ipc.error) throw new Error(`query_users: ${ipc.error}`);
  result.ipc = ipc;
  log(`query_users: median ${ipc.medianMs.toFixed(1)} ms, p95 ${ipc.p95Ms.toFixed(1)} ms, max ${ipc.maxMs.toFixed(1)} ms (${ipc.rows} rows of ${ipc.total})`);

  // ---- (c) memory with the 100k copy open ----
  result.memory = appMemory();
  result.mirrorFiles = mirrorFiles();
  result.mirrorBytes = result.mirrorFiles?.reduce((n, f) => n + f.bytes, 0) ?? null;
  for (const f of result.mirrorFiles ?? []) log(`local copy file ${f.file}: ${(f.bytes / 1048576).toFixed(1)} MiB`);
  log(
    `memory: ${result.memory.processes.map((p) => `${p.name} ${Math.round(p.rssKib / 1024)} MiB`).join(", ")}; ` +
      `main VmHWM ${Math.round(result.memory.mainHwmKib / 1024)} MiB`,
  );

  // ---- (d) P6: the Users table with 100,000 people, first rows painted and scroll ----
  log(`P6: the Users table's first rows painted, ${P6_RUNS} times, and rows shown after jumps to ${P6_OFFSETS.join(", ")}`);
  const p6 = await browser.executeAsync(usersTablePaint, P6_RUNS, P6_OFFSETS);
  if (p6.error) throw new Error(`P6: ${p6.error}`);
  result.p6 = p6;
  log(`P6: first rows painted ${p6.firstRowsMs.join(", ")} ms; rows shown after a jump ${p6.scrollMs.join(", ")} ms`);
  await shot(browser, "bench-03-users-scrolled.png");

  // ---- (b) one change by another admin, shown after one check (one delta walk) ----
  const word = `Benchmark${Date.now().toString(36)}`;
  const probe = { ...FIRST_WINDOW, text: word };
  const before = await browser.executeAsync(
    (q, done) => window.__TAURI_INTERNALS__.invoke("query_users", { query: q }).then((p) => done(p.total), (e) => done(String(e))),
    probe,
  );
  if (before !== 0) throw new Error(`"${word}" already matched ${before} people`);
  await admin("DELETE", "/requests");
  await admin("PATCH", "/users/AdeleV@contoso.com", { jobTitle: word });
  log(`another admin set Adele Vance's job title to ${word}; check_now`);
  const delta = await browser.executeAsync(
    async (q, done) => {
      try {
        const invoke = window.__TAURI_INTERNALS__.invoke;
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        const was = (await invoke("get_watch_status")).lastChecked;
        const t0 = performance.now();
        await invoke("check_now");
        let statusPolls = 0;
        let checkedMs;
        for (;;) {
          const s = await invoke("get_watch_status");
          statusPolls++;
          if (s.lastChecked && s.lastChecked !== was && s.state === "watching") {
            checkedMs = performance.now() - t0;
            break;
          }
          if (s.state === "needsAttention" || s.state === "offline") throw new Error(`check failed: ${s.state} ${s.message}`);
          if (performance.now() - t0 > 300_000) throw new Error("the check did not finish within 5 min");
          await sleep(5);
        }
        let visibleMs;
        for (;;) {
          const page = await invoke("query_users", { query: q });
          if (page.total > 0) {
            visibleMs = performance.now() - t0;
            break;
          }
          if (performance.now() - t0 > 300_000) throw new Error("the change did not become visible within 5 min");
          await sleep(5);
        }
        done({ checkedMs, visibleMs, statusPolls });
      } catch (e) {
        done({ error: String(e?.message ?? JSON.stringify(e)) });
      }
    },
    probe,
  );
  if (delta.error) throw new Error(`one change: ${delta.error}`);
  const counters = await admin("GET", "/counters");
  const requests = (await admin("GET", "/requests")).value ?? [];
  result.delta = {
    ...delta,
    requests: counters.requests,
    byRoute: counters.by_route,
    // Paths without their queries (delta and skip tokens are long and say nothing here).
    log: requests.map((r) => `${r.method} ${r.path.split("?")[0]}${r.path.includes("?") ? "?…" : ""} ${r.status}`),
  };
  log(`one change shown ${delta.visibleMs.toFixed(0)} ms after check_now (check done at ${delta.checkedMs.toFixed(0)} ms); ${counters.requests} requests`);
  for (const line of result.delta.log) log(`    ${line}`);
  await clickNav(browser, "Users").catch(() => {});
  await shot(browser, "bench-02-users-after-change.png");
  // Memory again, after the delta walk (the main process's peak covers the whole run).
  result.memoryAfter = appMemory();
} catch (e) {
  failed = e?.message ?? String(e);
  console.log(`  FAIL ${failed}`);
  await shot(browser, "bench-failed.png");
} finally {
  await browser?.deleteSession().catch(() => {});
}

if (failed) result.error = failed;
console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
process.exit(failed ? 1 : 0);
