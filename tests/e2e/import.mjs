// Import from CSV on the real app and its practice tenant: the "create users" template downloaded
// through the system's save dialog; a file of 5 people with one bad line chosen through the
// system's open dialog (GTK windows under Xvfb, driven with xdotool as a person would type a path);
// the bad line named with its line number and nothing sent to the practice tenant (read from its
// Graph, not from the app); the line fixed in place; the preview, the run, and the 5 people read
// back from the practice tenant's Graph, each once.
// Screenshots: target/e2e-screenshots/import-*.png. The last line is `E2E-RESULT {"passed":N,"failed":M}`.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { accessible, checks, graphGet, shot, startApp, waitForText } from "./lib.mjs";
import { ui } from "./ui.mjs";

let browser;
const { check, finish } = checks(() => browser);
try {
  browser = await startApp();
} catch (e) {
  console.log(`  FAIL start the app through tauri-driver: ${e.message}`);
  console.log(`E2E-RESULT ${JSON.stringify({ passed: 0, failed: 1 })}`);
  process.exit(1);
}
const { q, el, click, clickButton, waitUntil } = ui(() => browser);

const sfx = Date.now().toString(36);
const PEOPLE = [1, 2, 3, 4, 5].map((n) => ({ name: `Imported ${n} ${sfx}`, upn: `imported${n}.${sfx}@contoso.com` }));
const BAD_UPN = `imported 4.${sfx}@contoso.com`;
const IMPORT = "//*[@role='dialog'][.//form[@aria-label='Import from CSV']]";
const JOB = "//*[@data-testid='bulk-dialog']";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-desk-import-"));

/** How many people sign in as `upn`, read from the practice tenant's Graph. */
const count = async (upn) => (await graphGet(`/users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn}'`)}&$select=id`)).value.length;

/** Types `file` into the system's file dialog titled `title` and presses Enter, as a person would. */
function answerFileDialog(title, file, { location }) {
  const win = execFileSync("xdotool", ["search", "--sync", "--name", title], { timeout: 20_000 }).toString().trim().split("\n")[0];
  execFileSync("xdotool", ["windowfocus", "--sync", win]);
  // The open dialog takes a typed path in its location bar (Ctrl+L); the save dialog's name is focused.
  execFileSync("xdotool", ["key", "--window", win, location ? "ctrl+l" : "ctrl+a"]);
  execFileSync("xdotool", ["type", "--window", win, "--delay", "20", file]);
  execFileSync("xdotool", ["key", "--window", win, "Return"]);
  // The open dialog's location bar may take the first Enter to accept its completion: press Enter
  // again while the dialog is still there (the typed path is a file, so Enter opens it).
  for (let i = 0; i < 4 && location; i += 1) {
    execFileSync("sleep", ["1"]);
    const still = spawnSync("xdotool", ["search", "--name", title]).stdout.toString().trim();
    if (!still) return;
    execFileSync("xdotool", ["key", "--window", still.split("\n")[0], "Return"]);
  }
}

try {
  const signedIn = await check("import: open the practice tenant and sign in", async () => {
    await click("//*[@id='open-practice-tenant']", 30_000);
    await waitForText(browser, "MOD Administrator", 30_000);
  });
  if (!signedIn) throw new Error("not signed in");

  await check("import: Users → Import from CSV → the create-users template lands through the save dialog", async () => {
    await clickButton("Import from CSV");
    await el(IMPORT);
    await shot(browser, "import-choose.png");
    const file = path.join(dir, "template.csv");
    await clickButton("Download the “Create users” template", IMPORT);
    answerFileDialog("Save the template", file, { location: false });
    await waitUntil(async () => fs.existsSync(file), `no template was written at ${file}`, 20_000);
    await el(`${IMPORT}//*[@data-testid='import-template-saved']`);
    const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    if (lines[0] !== "Display name,Sign-in name,Temporary password,Job title,Department,Usage location") throw new Error(`the template's header is "${lines[0]}"`);
    if (lines.length !== 2) throw new Error(`the template has ${lines.length} lines, not a header and an example`);
  });

  await check("import: a file of 5 people with a bad line 4 — the line is named, and nothing is sent to the practice tenant", async () => {
    const file = path.join(dir, "people.csv");
    const rows = PEOPLE.map((p, i) => `${p.name},${i === 3 ? BAD_UPN : p.upn},Harbour-Maple-93,Buyer,Purchasing,GB`);
    fs.writeFileSync(file, `Display name,Sign-in name,Temporary password,Job title,Department,Usage location\n${rows.join("\n")}\n`);
    await clickButton("Choose file…", IMPORT);
    answerFileDialog("Choose the CSV file to import", file, { location: true });
    const summary = await (await el(`${IMPORT}//*[@data-testid='import-summary']`, 20_000)).getText();
    if (!summary.includes("5 lines read from people.csv: 4 ready, 1 line has a problem")) throw new Error(`the summary says "${summary}"`);
    const bad = `${IMPORT}//*[@data-testid='import-line'][@data-line='5']`;
    const problem = await (await el(`${bad}//*[@data-testid='import-problem']`)).getText();
    if (!problem.startsWith("Sign-in name: The sign-in name cannot contain")) throw new Error(`the problem says "${problem}"`);
    await el(`${bad}//*[normalize-space(.)='Problem on line 5']`);
    const preview = await browser.$(`${IMPORT}//button[normalize-space(.)='Preview changes']`);
    if (await preview.isEnabled()) throw new Error("Preview changes is on while a bad line is left");
    if ((await (await browser.$(IMPORT)).getText()).includes("Harbour-Maple-93")) throw new Error("the temporary password is shown");
    await shot(browser, "import-bad-line.png");
    await accessible(browser, "the import dialog with a bad line");
    for (const p of PEOPLE) if ((await count(p.upn)) !== 0) throw new Error(`${p.upn} exists in the practice tenant before anything was confirmed`);
  });

  await check("import: the bad line fixed in place, the preview says 5 will be created, and still nothing is sent", async () => {
    const bad = `${IMPORT}//*[@data-testid='import-line'][@data-line='5']`;
    await clickButton("Edit", bad);
    const input = await el(`${bad}//input[@aria-label=${q("Sign-in name, line 5")}]`);
    await input.click();
    await browser.execute((e) => e.select(), input);
    await input.addValue(PEOPLE[3].upn);
    await clickButton("Check again", bad);
    await waitUntil(async () => (await (await browser.$(`${IMPORT}//*[@data-testid='import-summary']`)).getText()).includes("5 ready"), "the fixed line is not ready");
    await clickButton("Preview changes", IMPORT);
    const said = await (await el(`${JOB}//*[@data-testid='bulk-preview-summary']`, 30_000)).getText();
    if (!said.startsWith("5 will be created")) throw new Error(`the preview says "${said}"`);
    await shot(browser, "import-preview.png");
    for (const p of PEOPLE) if ((await count(p.upn)) !== 0) throw new Error(`${p.upn} exists before the job was confirmed`);
  });

  await check("import: apply → 5 done, and the 5 people read back from the practice tenant's Graph, each once", async () => {
    await click(`${JOB}//button[normalize-space(.)='Create users: apply 5 changes']`);
    const result = await el("//*[@data-testid='bulk-results-summary']", 60_000);
    const summary = await result.getText();
    // The first results shown are the final ones (the dialog waits for the rows read after the end).
    if (!summary.startsWith("5 done, 0 skipped, 0 failed")) throw new Error(`the results say "${summary}"`);
    await shot(browser, "import-results.png");
    for (const p of PEOPLE) {
      const found = (await graphGet(`/users?$filter=${encodeURIComponent(`userPrincipalName eq '${p.upn}'`)}&$select=id,displayName,jobTitle`)).value;
      if (found.length !== 1) throw new Error(`${p.upn}: ${found.length} people in the practice tenant`);
      if (found[0].displayName !== p.name || found[0].jobTitle !== "Buyer") throw new Error(`${p.upn} is ${JSON.stringify(found[0])}`);
    }
  });
} catch (e) {
  console.log(`  FAIL import: ${e.message}`);
} finally {
  await browser?.deleteSession().catch(() => {});
}
process.exit(finish() > 0 ? 1 : 0);
