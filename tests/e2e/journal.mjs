// "Changes made here", end to end on the real app and its practice tenant: changes made through the
// UI are listed; Undo shows what it will send and takes each back (checked through the practice
// tenant's Graph, never through the app); the table's Export CSV lands a file through the system's
// save dialog (a GTK window under Xvfb, driven with xdotool as a person would type a path).
// Screenshots: target/e2e-screenshots/journal-*.png. The last line is `E2E-RESULT {"passed":N,"failed":M}`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { accessible, checks, graph, graphGet, shot, startApp, textOf, waitForText } from "./lib.mjs";
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
const { q, DIALOG, el, click, clickButton, fill, pick, rowsText, waitUntil, go, openUser, openGroup, done } = ui(() => browser);

const ADELE = "AdeleV@contoso.com";
const GROUP = "Golf Discussion";
const NEW_TITLE = `Chief Gardener ${Date.now().toString(36)}`;
// Read from the practice tenant's Graph once the app has started it (the sign-in check).
let adele;
let group;
const isMember = async () => (await graphGet(`/groups/${group.id}/members?$select=id`)).value.some((m) => m.id === adele.id);
const row = (text) => `//*[@data-testid='change-row'][.//*[contains(normalize-space(.), ${q(text)})]]`;

/** Changes Adele's job title through her drawer's Edit form, as a person would. */
async function setJobTitle(title) {
  const drawer = await openUser(ADELE, "Adele Vance");
  await clickButton("Edit", drawer);
  const form = "//form[@aria-label='Edit Adele Vance']";
  await el(form);
  await fill("Job title", title, form);
  await clickButton("Save", form);
  await done("Adele Vance's details were saved.");
}

/** Opens Undo on the row, checks the preview (plain words and the request), confirms, and waits for the result. */
async function undo(rowText, expectWhat, expectRequest, screenshot) {
  await click(`${row(rowText)}//button[normalize-space(.)='Undo']`);
  const dialog = "//*[@role='alertdialog']";
  const what = await el(`${dialog}//*[@data-testid='undo-what']`, 20_000);
  const said = await what.getText();
  if (!said.includes(expectWhat)) throw new Error(`the undo says "${said}", not "${expectWhat}"`);
  await clickButton("Show the request", dialog).catch(() => {});
  const request = await (await el(`${dialog}//*[@data-testid='shown-request']`)).getText();
  if (!request.includes(expectRequest)) throw new Error(`the request shown is "${request}", not ${expectRequest}`);
  if (screenshot) await shot(browser, screenshot);
  await clickButton("Undo", dialog);
  // This undo's own sentence (an earlier undo's may still be shown), then the dialog closes.
  await done(`Undone: ${said.trim().replace(/\.$/, "")}`);
  await browser.$(dialog).waitForDisplayed({ reverse: true, timeout: 10_000 });
}

try {
  const signedIn = await check("journal: open the practice tenant and sign in", async () => {
    await click("//*[@id='open-practice-tenant']", 30_000);
    await waitForText(browser, "MOD Administrator", 30_000);
    await waitForText(browser, "Adele Vance", 20_000);
    adele = await graphGet(`/users/${ADELE}?$select=id,jobTitle`);
    group = (await graphGet(`/groups?$filter=${encodeURIComponent(`displayName eq '${GROUP}'`)}`)).value[0];
    if (await isMember()) throw new Error(`Adele Vance is already a member of ${GROUP} in the seed`);
  });
  if (!signedIn) throw new Error("not signed in");

  await check("journal: a job title changed and a membership added through the UI are listed under Changes made here", async () => {
    await setJobTitle(NEW_TITLE);
    if ((await graphGet(`/users/${adele.id}?$select=jobTitle`)).jobTitle !== NEW_TITLE) throw new Error("Graph does not have the new title");

    const groupDrawer = await openGroup(GROUP);
    await clickButton("Add members", groupDrawer);
    const dialog = DIALOG(`Add members to ${GROUP}`);
    await el(dialog);
    await pick("People to add", "Adele", "Adele Vance", dialog);
    await clickButton("Add member", dialog);
    await browser.$(dialog).waitForDisplayed({ reverse: true, timeout: 10_000 });
    if (!(await isMember())) throw new Error("Graph does not list Adele Vance as a member");

    await go("Changes made here");
    await waitUntil(async () => (await rowsText("change-row")).length >= 2, "fewer than two changes are listed");
    const rows = await rowsText("change-row");
    if (!rows[0].includes("Added to a group") || !rows[0].includes(GROUP) || !rows[0].includes("Adele Vance")) throw new Error(`the newest change is "${rows[0]}"`);
    if (!rows[1].includes("Person's details changed") || !rows[1].includes("Adele Vance")) throw new Error(`the change before is "${rows[1]}"`);
    await shot(browser, "journal-changes-made-here.png");

    // Details: before → after and Graph's request id.
    await click(`${row("Person's details changed")}//button[normalize-space(.)='Details']`);
    const details = "//*[@role='dialog'][.//*[@data-testid='request-id']]";
    const text = await (await el(details)).getText();
    const before = adele.jobTitle ?? "(empty)";
    if (!text.includes(before) || !text.includes(NEW_TITLE)) throw new Error(`the details do not show ${before} → ${NEW_TITLE}: ${text}`);
    if (!(await (await el(`${details}//*[@data-testid='request-id']`)).getText()).trim()) throw new Error("no request id is shown");
    await shot(browser, "journal-change-details.png");
    await clickButton("Close", details);
  });

  await check("accessibility: the Changes made here page and an entry's details have no serious or critical problems (axe-core)", async () => {
    await el(row("Added to a group"));
    // The details dialog closed by the check before may still be animating out (the page aria-hidden behind it).
    const settled = () => browser.execute(() => !document.querySelector("[role='dialog'], [role='alertdialog']") && !document.getElementById("root")?.hasAttribute("aria-hidden"));
    await waitUntil(settled, "a dialog is still open over the page", 10_000);
    await accessible(browser, "the Changes made here page");
    await click(`${row("Added to a group")}//button[normalize-space(.)='Details']`);
    const details = "//*[@role='dialog'][.//*[@data-testid='request-id']]";
    await el(details);
    await accessible(browser, "an entry's details");
    await clickButton("Close", details);
  });

  await check("journal: Undo shows the request, then takes the membership back (Graph no longer lists it)", async () => {
    await undo("Added to a group", `Remove Adele Vance from ${GROUP}`, "DELETE", "journal-undo-confirmation.png");
    await waitUntil(async () => !(await isMember()), "Graph still lists Adele Vance as a member", 15_000);
    await waitUntil(async () => (await textOf(browser)).includes("Undone"), "the entry does not show it was undone");
  });

  await check("journal: Undo puts the old job title back (read from Graph)", async () => {
    await undo("Person's details changed", "job title", "PATCH");
    const now = (await graphGet(`/users/${adele.id}?$select=jobTitle`)).jobTitle ?? null;
    if (now !== (adele.jobTitle ?? null)) throw new Error(`Graph's job title is "${now}", not the old "${adele.jobTitle}"`);
  });

  await check("journal: a change made since is not overwritten: Undo says why and sends nothing", async () => {
    await setJobTitle(NEW_TITLE);
    // Another admin changes it again, outside the app.
    await graph("PATCH", `/users/${adele.id}`, { jobTitle: "Head of Parks" });
    await go("Changes made here");
    await el(row("Person's details changed"));
    await click(`(${row("Person's details changed")})[1]//button[normalize-space(.)='Undo']`);
    const refused = await (await el("//*[@role='alertdialog']//*[@data-testid='undo-refused']", 20_000)).getText();
    if (!refused.includes("Changed since: the job title is now ‘Head of Parks’")) throw new Error(`the refusal says "${refused}"`);
    await shot(browser, "journal-undo-refused.png");
    await clickButton("Cancel", "//*[@role='alertdialog']");
    if ((await graphGet(`/users/${adele.id}?$select=jobTitle`)).jobTitle !== "Head of Parks") throw new Error("the title was changed");
  });

  await check("export: Export CSV lands a file through the save dialog with the table's header and rows", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "entra-desk-export-")), "changes.csv");
    await clickButton("Export CSV");
    // The system's save dialog is a window of its own: type the path and press Enter, as a person would.
    const win = execFileSync("xdotool", ["search", "--sync", "--name", "Export as CSV"], { timeout: 20_000 }).toString().trim().split("\n")[0];
    execFileSync("xdotool", ["windowfocus", "--sync", win]);
    execFileSync("xdotool", ["key", "--window", win, "ctrl+a"]);
    execFileSync("xdotool", ["type", "--window", win, "--delay", "20", file]);
    execFileSync("xdotool", ["key", "--window", win, "Return"]);
    await waitUntil(async () => fs.existsSync(file), `no file was written at ${file}`, 20_000);
    await done("Saved to");
    const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    if (lines[0] !== "Time,Change,On,Result,By") throw new Error(`the header is "${lines[0]}"`);
    const shown = (await rowsText("change-row")).length;
    if (lines.length - 1 !== shown) throw new Error(`${lines.length - 1} rows in the file, ${shown} in the table`);
    if (!lines.some((l) => l.includes("Added to a group") && l.includes("Adele Vance"))) throw new Error(`no row for the membership: ${lines.join(" | ")}`);
    await shot(browser, "journal-exported.png");
  });
} catch (e) {
  console.log(`  FAIL journal: ${e.message}`);
} finally {
  await browser?.deleteSession().catch(() => {});
}
process.exit(finish() > 0 ? 1 : 0);
