// The end-to-end slice on the real app: open the practice tenant → signed in → users table shows
// Adele Vance → another admin creates a user → Activity shows it → a desktop notification was sent.
// Each step is a check; the last line is `E2E-RESULT {"passed":N,"failed":M}` for `cargo xtask test`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { accessible, admin, checks, clickNav, graphGet, out, shot, startApp, textOf, waitForText } from "./lib.mjs";

let browser;
const { check, finish } = checks(() => browser);
// A damaged accounts file (a crash of some earlier version, a full disk): the app must still start,
// set it aside and say so (the profile is fresh, so this is the only file there).
const configDir = path.join(process.env.XDG_CONFIG_HOME ?? "", "app.entradesk.desktop");
mkdirSync(configDir, { recursive: true });
writeFileSync(path.join(configDir, "accounts.json"), '{"profiles": [{"id": "organization", "tenant": ');
try {
  browser = await startApp();
} catch (e) {
  console.log(`  FAIL start the app through tauri-driver: ${e.message}`);
  console.log(`E2E-RESULT ${JSON.stringify({ passed: 0, failed: 1 })}`);
  process.exit(1);
}

try {
  await check("a damaged accounts file is set aside with a notice, and the welcome page still opens", async () => {
    await waitForText(browser, "Sign in to your organization", 20_000);
    await waitForText(browser, "Your saved accounts could not be read", 5_000);
    const kept = readdirSync(configDir).filter((f) => f.startsWith("accounts.json.damaged-"));
    if (kept.length !== 1) throw new Error(`the damaged file is not kept aside: ${readdirSync(configDir).join(", ")}`);
    if (!(await textOf(browser)).includes(kept[0])) throw new Error(`the notice does not say where the file went (${kept[0]})`);
    await shot(browser, "00-damaged-accounts-notice.png");
    const dismiss = await browser.$("//*[@role='region'][@aria-label='Notices']//button[@aria-label='Dismiss']");
    await dismiss.waitForClickable({ timeout: 5_000 });
    await dismiss.click();
    await browser.$("//*[@role='region'][@aria-label='Notices']").waitForDisplayed({ reverse: true, timeout: 5_000 });
  });

  await check("the welcome page offers both ways in", async () => {
    await waitForText(browser, "Sign in to your organization", 20_000);
    await waitForText(browser, "Open the practice tenant", 1_000);
    await (await browser.$("#open-practice-tenant")).waitForDisplayed({ timeout: 10_000 });
    await shot(browser, "01-welcome.png");
  });
  await check("accessibility: the welcome page has no serious or critical problems (axe-core)", () => accessible(browser, "the welcome page"));

  const signedIn = await check("open the practice tenant signs in through the browser", async () => {
    const button = await browser.$("#open-practice-tenant");
    await button.waitForClickable({ timeout: 10_000 });
    await button.click();
    await waitForText(browser, "MOD Administrator", 30_000);
  });

  if (signedIn) {
    await check("the users table lists the tenant's users", async () => {
      const table = await browser.$('[data-testid="users-table"]');
      await table.waitForExist({ timeout: 20_000 });
      await waitForText(browser, "Adele Vance", 20_000);
      await waitForText(browser, "AdeleV@contoso.com", 1_000);
      await shot(browser, "02-users.png");
    });

    const name = `Test User ${Date.now().toString(36)}`;
    await check("another admin creates a user (out of band)", async () => {
      await admin("POST", "/users", {
        accountEnabled: true,
        displayName: name,
        mailNickname: name.replaceAll(" ", ""),
        userPrincipalName: `${name.replaceAll(" ", "")}@contoso.com`,
        department: "Field Testing",
        passwordProfile: { forceChangePasswordNextSignIn: true, password: "xWwvJ]6NMw+bWH-d" },
      });
    });

    await check("the Activity view shows the new user", async () => {
      await clickNav(browser, "Activity");
      // The watcher checks every 15 s (with ±10 % jitter) in this test.
      await waitForText(browser, name, 45_000);
      await waitForText(browser, "User created", 1_000);
      await (await browser.$('[data-testid="activity-row"]')).waitForExist({ timeout: 1_000 });
      await shot(browser, "03-activity.png");
    });

    await check("a desktop notification announced it", async () => {
      await browser.waitUntil(
        async () => {
          const log = readFileSync(path.join(out, "notifications.log"), "utf8");
          return log.includes("member=Notify") && log.includes(name);
        },
        { timeout: 10_000, interval: 250, timeoutMsg: `no org.freedesktop.Notifications.Notify mentioning "${name}"` },
      );
    });

    await check("adding the user to a group shows as a membership change, with a notification", async () => {
      const found = await graphGet("/groups?$filter=displayName%20eq%20'HR%20Taskforce'&$select=id");
      const groupId = found.value?.[0]?.id;
      if (!groupId) throw new Error(`no HR Taskforce group: ${JSON.stringify(found)}`);
      await admin("POST", `/groups/${groupId}/members`, { upn: `${name.replaceAll(" ", "")}@contoso.com` });
      await waitForText(browser, `${name} was added to HR Taskforce`, 45_000);
      await browser.waitUntil(
        async () => readFileSync(path.join(out, "notifications.log"), "utf8").includes(`${name} was added to HR Taskforce`),
        { timeout: 10_000, interval: 250, timeoutMsg: "no notification about the membership" },
      );
      await shot(browser, "04-activity-member.png");
    });

    await check("a new user made with the New user form appears in the users table", async () => {
      await clickNav(browser, "Users");
      const open = await browser.$("//button[normalize-space(.)='New user']");
      await open.waitForClickable({ timeout: 10_000 });
      await open.click();
      const form = await browser.$("form[aria-label='New user']");
      await form.waitForDisplayed({ timeout: 10_000 });
      const inputs = await form.$$("input");
      await inputs[0].setValue("Nestor Wilke");
      await inputs[1].setValue("NestorW");
      await shot(browser, "05-new-user.png");
      const create = await browser.$("//button[normalize-space(.)='Create user']");
      await create.waitForClickable({ timeout: 5_000 });
      await create.click();
      // The result view (the form itself has a "Temporary password" field, so wait for the title).
      await waitForText(browser, "Nestor Wilke was created", 20_000);
      const done = await browser.$("//button[normalize-space(.)='Done']");
      await done.waitForClickable({ timeout: 5_000 });
      await done.click();
      await waitForText(browser, "NestorW@", 20_000);
    });

    // Every other page, as WebKitGTK draws it (the UI's own tests run in jsdom and Chromium).
    const pages = [
      ["Groups", "HR Taskforce", "06-groups.png"],
      ["Licences", "ENTERPRISEPREMIUM", "07-licences.png"],
      ["Roles", "Global Administrator", "08-roles.png"],
      ["Deleted items", "Test@contoso.com", "08b-deleted-items.png"],
      ["Settings", "What to watch", "09-settings.png"],
    ];
    for (const [label, expected, file] of pages) {
      await check(`the ${label} page shows ${expected}`, async () => {
        await clickNav(browser, label);
        await waitForText(browser, expected, 20_000);
        await shot(browser, file);
      });
    }

    // Accessibility (axe-core) of every page, a drawer, a confirmation and a form, as WebKitGTK draws them.
    for (const [label, expected] of [
      ["Users", "Adele Vance"],
      ["Groups", "HR Taskforce"],
      ["Licences", "ENTERPRISEPREMIUM"],
      ["Roles", "Global Administrator"],
      ["Deleted items", "Test@contoso.com"],
      ["Activity", "User created"],
      ["Custom API", "Send"],
      ["Settings", "What to watch"],
    ]) {
      await check(`accessibility: the ${label} page has no serious or critical problems (axe-core)`, async () => {
        await clickNav(browser, label);
        await waitForText(browser, expected, 20_000);
        await accessible(browser, `the ${label} page`);
      });
    }
    await check("accessibility: a person's drawer, a confirmation and the New user form (axe-core)", async () => {
      // Every surface is checked and closed again; the problems are reported together at the end, so
      // that a finding never leaves a drawer or dialog open over the checks that follow.
      const problems = [];
      const audit = (what) => accessible(browser, what).catch((e) => problems.push(e.message));
      await clickNav(browser, "Users");
      // The row may be drawn again (a check refreshing the copy) between finding and clicking it: find it again.
      await browser.waitUntil(
        async () => {
          try {
            const row = await browser.$("//*[@data-testid='user-row'][contains(., 'Megan Bowen')]");
            await row.waitForClickable({ timeout: 10_000 });
            await row.click();
            return true;
          } catch (e) {
            if (/stale/i.test(String(e))) return false;
            throw e;
          }
        },
        { timeout: 30_000, interval: 250, timeoutMsg: "Megan Bowen's row could not be clicked" },
      );
      const drawer = "//*[@role='dialog'][.//h2[normalize-space(.)='Megan Bowen']]";
      await (await browser.$(drawer)).waitForDisplayed({ timeout: 10_000 });
      await audit("a person's drawer");
      const block = await browser.$(`${drawer}//button[normalize-space(.)='Block sign-in']`);
      await block.waitForClickable({ timeout: 10_000 });
      await block.click();
      const dialog = await browser.$("//*[@role='alertdialog']");
      await dialog.waitForDisplayed({ timeout: 10_000 });
      await audit("the Block sign-in confirmation");
      await (await browser.$("//*[@role='alertdialog']//button[normalize-space(.)='Cancel']")).click();
      await dialog.waitForDisplayed({ reverse: true, timeout: 10_000 });
      await (await browser.$(`${drawer}//button[@aria-label='Close']`)).click();
      await (await browser.$(drawer)).waitForDisplayed({ reverse: true, timeout: 10_000 });
      const open = await browser.$("//button[normalize-space(.)='New user']");
      await open.waitForClickable({ timeout: 10_000 });
      await open.click();
      await (await browser.$("form[aria-label='New user']")).waitForDisplayed({ timeout: 10_000 });
      await audit("the New user form");
      await browser.keys("Escape");
      await (await browser.$("form[aria-label='New user']")).waitForDisplayed({ reverse: true, timeout: 10_000 });
      if (problems.length > 0) throw new Error(problems.join("\n  "));
    });

    /** After a check that failed half-way: cancels open confirmations and forms and closes drawers. */
    async function closeEverything() {
      // A wait still running keeps its form busy: stop it first (a script click, wherever it is drawn).
      await browser.execute(() =>
        [...document.querySelectorAll("button")].filter((b) => b.textContent === "Stop waiting").forEach((b) => b.click()),
      );
      for (const button of [
        "//*[@role='alertdialog']//button[normalize-space(.)='Cancel']",
        "//*[@role='dialog'][@aria-modal='true']//button[normalize-space(.)='Cancel']",
        "//*[@role='dialog']//button[@aria-label='Close']",
      ]) {
        for (const el of await browser.$$(button)) {
          if (await el.isDisplayed().catch(() => false)) await el.click().catch(() => {});
        }
      }
    }

    await check("keyboard alone: search, open a person, ask to block them and back out, with visible focus", async () => {
      await clickNav(browser, "Users");
      await waitForText(browser, "Adele Vance", 20_000);
      // From here on only keys. Each focused control must show where the focus is.
      const focused = () =>
        browser.execute(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return { what: "nothing", visible: false };
          // The ring may be drawn on the control or on its cell (Fluent's focus-within outline).
          const ring = (node) => {
            const cs = getComputedStyle(node);
            const after = getComputedStyle(node, "::after");
            return (
              (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) ||
              (after.borderTopStyle !== "none" && parseFloat(after.borderTopWidth) > 0) ||
              cs.boxShadow !== "none"
            );
          };
          const visible = [el, el.parentElement, el.parentElement?.parentElement].some((node) => node && ring(node));
          const what = el.getAttribute("aria-label") || el.textContent?.trim().slice(0, 40) || el.tagName;
          return { what, visible, row: el.hasAttribute("data-index"), tag: el.tagName, placeholder: el.getAttribute("placeholder") };
        });
      const tabTo = async (isIt, what, limit = 25) => {
        const passed = [];
        for (let i = 0; i < limit; i++) {
          await browser.keys("Tab");
          const f = await focused();
          if (!f.visible) throw new Error(`no visible focus on "${f.what}" (${f.tag})`);
          if (isIt(f)) return;
          passed.push(f.what);
        }
        throw new Error(`${what} is not reached with Tab; focus went through: ${passed.join(" → ")}`);
      };
      const drawer = "//*[@role='dialog'][.//h2[normalize-space(.)='Megan Bowen']]";
      try {
        await keyboardOnly(drawer, focused, tabTo);
      } finally {
        // Whatever happened, the next checks start from the plain Users page.
        await closeEverything();
        // Empty the search as a person would (a controlled input ignores WebDriver's clearValue).
        const search = await browser.$("//input[@aria-label='Search users']");
        if ((await search.getValue()) !== "") {
          await search.click();
          await browser.keys(["Control", "a"]);
          await browser.keys("Backspace");
          await browser.waitUntil(async () => (await search.getValue()) === "", { timeout: 5_000, timeoutMsg: "the search box kept its text" });
        }
      }
      const enabled = (await graphGet("/users/MeganB@M365x214355.onmicrosoft.com?$select=accountEnabled")).accountEnabled;
      if (enabled !== true) throw new Error("backing out changed Megan's sign-in");
    });

    /** Tab to the search, type, Tab to the table, Enter on Megan, Tab to Block sign-in, back out, Escape. */
    async function keyboardOnly(drawer, focused, tabTo) {
      await tabTo((f) => f.tag === "INPUT" && (f.placeholder ?? "").startsWith("Search by name"), "the search box");
      await browser.keys([..."Megan"]);
      await tabTo((f) => f.row, "the first row of the table");
      await browser.keys("Enter");
      await (await browser.$(drawer)).waitForDisplayed({ timeout: 10_000 });
      await tabTo((f) => f.what === "Block sign-in", "Block sign-in in the drawer");
      await browser.keys("Enter");
      const dialog = await browser.$("//*[@role='alertdialog']");
      await dialog.waitForDisplayed({ timeout: 10_000 });
      const f = await focused();
      if (f.what !== "Cancel" || !f.visible) throw new Error(`the confirmation opens with focus on "${f.what}", not a visible Cancel`);
      await shot(browser, "10b-keyboard-confirm.png");
      await browser.keys("Enter"); // Cancel
      await dialog.waitForDisplayed({ reverse: true, timeout: 10_000 });
      // The focus is back on Block sign-in, in the drawer: Escape closes it.
      const back = await focused();
      if (back.what !== "Block sign-in") throw new Error(`after backing out the focus is on "${back.what}", not back on Block sign-in`);
      await browser.keys("Escape");
      await (await browser.$(drawer)).waitForDisplayed({ reverse: true, timeout: 10_000 });
    }

    await check("a long wait Microsoft Graph asks for is shown, and Stop waiting ends it with nothing changed", async () => {
      // Another admin's bulk job has used the organisation's quota: Graph answers the next change 429,
      // "come back in 60 s".
      await admin("POST", "/faults", { kind: "throttle", method: "PATCH", path: "/users", retry_after: 60, count: 1 });
      const before = (await graphGet("/users/MeganB@M365x214355.onmicrosoft.com?$select=jobTitle")).jobTitle;
      await clickNav(browser, "Users");
      // The row may be drawn again (a check refreshing the copy) between finding and clicking it: find it again.
      await browser.waitUntil(
        async () => {
          try {
            const row = await browser.$("//*[@data-testid='user-row'][contains(., 'Megan Bowen')]");
            await row.waitForClickable({ timeout: 10_000 });
            await row.click();
            return true;
          } catch (e) {
            if (/stale/i.test(String(e))) return false;
            throw e;
          }
        },
        { timeout: 30_000, interval: 250, timeoutMsg: "Megan Bowen's row could not be clicked" },
      );
      const drawer = "//*[@role='dialog'][.//h2[normalize-space(.)='Megan Bowen']]";
      try {
        await stopAWait(drawer, before);
      } finally {
        await closeEverything();
      }
    });

    /** Edit Megan's job title while Graph asks to wait 60 s, then stop waiting. */
    async function stopAWait(drawer, before) {
      const edit = await browser.$(`${drawer}//button[normalize-space(.)='Edit']`);
      await edit.waitForClickable({ timeout: 10_000 });
      await edit.click();
      const form = "//form[starts-with(@aria-label, 'Edit Megan Bowen')]";
      const label = await browser.$(`${form}//label[starts-with(normalize-space(.), 'Job title')]`);
      await label.waitForDisplayed({ timeout: 10_000 });
      const input = await browser.$(`//*[@id=${JSON.stringify(await label.getAttribute("for"))}]`);
      await input.setValue("Waited Auditor");
      await (await browser.$(`${form}//button[normalize-space(.)='Save']`)).click();
      const banner = await browser.$("//*[@role='region'][@aria-label='Waiting for Microsoft Graph']");
      await banner.waitForDisplayed({ timeout: 10_000 });
      const text = await banner.getText();
      if (!/too many requests/.test(text) || !/\d+ s left/.test(text)) throw new Error(`the wait says: ${text}`);
      await shot(browser, "11-waiting-for-graph.png");
      await (await banner.$(".//button[normalize-space(.)='Stop waiting']")).click();
      await banner.waitForDisplayed({ reverse: true, timeout: 5_000 });
      await waitForText(browser, "You stopped waiting for Microsoft Graph", 5_000);
      if ((await input.getValue()) !== "Waited Auditor") throw new Error("the form lost what was typed");
      await shot(browser, "11a-stopped-waiting.png");
      const after = (await graphGet("/users/MeganB@M365x214355.onmicrosoft.com?$select=jobTitle")).jobTitle;
      if (after !== before) throw new Error(`Graph changed: ${before} → ${after}`);
      await (await browser.$(`${form}//button[normalize-space(.)='Cancel']`)).click();
      await (await browser.$(`${drawer}//button[@aria-label='Close']`)).click();
      await (await browser.$(drawer)).waitForDisplayed({ reverse: true, timeout: 10_000 });
    }

    await check("the users table refreshed with the new user", async () => {
      await clickNav(browser, "Users");
      await waitForText(browser, name, 20_000);
      await shot(browser, "10-users-after.png");
    });

    await check("a person's details show the local copy at once, then what Microsoft Graph says", async () => {
      const row = await browser.$("//*[@data-testid='user-row'][contains(., 'Adele Vance')]");
      await row.waitForClickable({ timeout: 10_000 });
      await row.click();
      const drawer = await browser.$("//*[@role='dialog'][.//h2[normalize-space(.)='Adele Vance']]");
      await drawer.waitForDisplayed({ timeout: 10_000 });
      await waitForText(browser, "Retail Manager", 10_000);
      await browser.waitUntil(async () => !(await textOf(browser)).includes("Refreshing from Microsoft Graph"), {
        timeout: 20_000,
        interval: 250,
        timeoutMsg: "the live details never arrived",
      });
      await shot(browser, "10a-user-details.png");
      await browser.keys("Escape");
      await drawer.waitForDisplayed({ reverse: true, timeout: 10_000 });
    });

    await check("the Roles page shows who holds a role, read from Microsoft Graph into the local copy", async () => {
      await clickNav(browser, "Roles");
      const box = await browser.$("input[placeholder^='Search roles']");
      await box.waitForDisplayed({ timeout: 10_000 });
      await box.addValue("Global Admin");
      const role = await browser.$("//button[starts-with(normalize-space(.), 'Global Administrator')]");
      await role.waitForClickable({ timeout: 10_000 });
      await role.click();
      await waitForText(browser, "Read from Microsoft Graph at", 20_000);
      await browser.waitUntil(
        async () =>
          (
            await browser.execute(() =>
              [...document.querySelectorAll('[data-testid="holder-row"]')].map((r) => r.textContent ?? "").join("|"),
            )
          ).includes("MOD Administrator"),
        { timeout: 10_000, interval: 250, timeoutMsg: "MOD Administrator is not listed as a Global Administrator" },
      );
      await shot(browser, "10b-role-holders.png");
      await browser.keys("Escape");
    });

    await check("a read-only sign-in reads everything, disables every change with the reason, and sends none", async () => {
      const accountButton = await browser.$("//header//button[starts-with(normalize-space(.), 'Account:')]");
      await accountButton.waitForClickable({ timeout: 10_000 });
      await accountButton.click();
      const add = await browser.$("//*[@role='menuitem'][normalize-space(.)='Add account']");
      await add.waitForClickable({ timeout: 5_000 });
      await add.click();
      const readOnly = await browser.$("//label[contains(., 'look, change nothing')]");
      await readOnly.waitForClickable({ timeout: 10_000 });
      await readOnly.click();
      await (await browser.$("#open-practice-tenant")).click();
      await waitForText(browser, "Read-only sign-in", 30_000);
      await clickNav(browser, "Users");
      await waitForText(browser, "Adele Vance", 20_000);
      const newUser = await browser.$("//button[normalize-space(.)='New user']");
      await newUser.waitForDisplayed({ timeout: 10_000 });
      if ((await newUser.getAttribute("aria-disabled")) !== "true") throw new Error("New user is not disabled");
      await newUser.click();
      await browser.pause(500);
      if (await (await browser.$("form[aria-label='New user']")).isExisting()) throw new Error("the New user form opened");
      const row = await browser.$("//*[@data-testid='user-row'][contains(., 'Adele Vance')]");
      await row.click();
      const drawer = await browser.$("//*[@role='dialog'][.//h2[normalize-space(.)='Adele Vance']]");
      await drawer.waitForDisplayed({ timeout: 10_000 });
      const block = await drawer.$(".//button[normalize-space(.)='Block sign-in']");
      await block.waitForDisplayed({ timeout: 10_000 });
      for (const label of ["Block sign-in", "Edit", "Reset password", "Revoke sessions", "Delete"]) {
        const button = await drawer.$(`.//button[normalize-space(.)='${label}']`);
        if ((await button.getAttribute("aria-disabled")) !== "true") throw new Error(`${label} is not disabled`);
      }
      await block.moveTo();
      await waitForText(browser, "You signed in read-only, so nothing can be changed", 5_000);
      await shot(browser, "10c-read-only.png");
      // The first Escape closes the reason's tooltip, the next one the drawer.
      await browser.waitUntil(
        async () => {
          await browser.keys("Escape");
          await browser.pause(300);
          return !(await drawer.isDisplayed());
        },
        { timeout: 10_000, interval: 100, timeoutMsg: "Escape did not close the drawer" },
      );
      // Even asked directly (not through a button), the app sends no change.
      const since = (await admin("GET", "/requests")).value.at(-1)?.seq ?? 0;
      const answer = await browser.executeAsync((done) => {
        window.__TAURI_INTERNALS__
          .invoke("set_user_enabled", { key: "AdeleV@contoso.com", enabled: false })
          .then(() => done({ ok: true }), (e) => done(e));
      });
      if (answer?.kind !== "readOnly") throw new Error(`a change was not refused as read-only: ${JSON.stringify(answer)}`);
      const adele = await graphGet("/users/AdeleV@contoso.com?$select=accountEnabled");
      if (adele.accountEnabled !== true) throw new Error("Adele's sign-in was blocked by a read-only account");
      const log = JSON.stringify(await admin("GET", `/requests?since=${since}`));
      if (/"method":"(PATCH|POST|PUT|DELETE)"/.test(log)) throw new Error(`a change reached the practice tenant: ${log}`);
      await accessible(browser, "a read-only account's users page");
      // Back to the full sign-in for the checks that follow.
      await accountButton.click();
      const full = await browser.$("//*[@role='menuitemradio'][contains(., 'MOD Administrator (practice)')]");
      await full.waitForClickable({ timeout: 5_000 });
      await full.click();
      await browser.$("//*[@data-testid='read-only-banner']").waitForDisplayed({ reverse: true, timeout: 20_000 });
    });

    // A practice organisation of 2,000 people: the tables read the local copy, kept fresh by delta.
    const startedOver = await check("Start over with 2,000 people fills the users table from the local copy", async () => {
      await clickNav(browser, "Settings");
      const startOver = await browser.$("//button[normalize-space(.)='Start over']");
      await startOver.waitForClickable({ timeout: 10_000 });
      await startOver.click();
      const size = await browser.$("//label[contains(., '2,000 people')]");
      await size.waitForClickable({ timeout: 10_000 });
      await size.click();
      const confirm = await browser.$("//*[@role='alertdialog']//button[normalize-space(.)='Start over']");
      await confirm.waitForClickable({ timeout: 5_000 });
      await confirm.click();
      await waitForText(browser, "The practice tenant now holds a generated organisation of 2,000 people", 60_000);
      await clickNav(browser, "Users");
      // 2,000 generated people plus the sample's 8 (the separator follows the webview's locale).
      await browser.waitUntil(async () => /(^|\D)2[,.\u00a0\u202f]?008 users/.test(await textOf(browser)), {
        timeout: 90_000,
        interval: 250,
        timeoutMsg: "the users table did not reach 2,008 people",
      });
      await browser.waitUntil(async () => !(await textOf(browser)).includes("Reading your directory"), {
        timeout: 30_000,
        interval: 250,
        timeoutMsg: "the first-read status stayed after the read was done",
      });
      await shot(browser, "11-users-2000.png");
    });

    if (startedOver) {
      const search = async (text) => {
        const box = await browser.$('input[aria-label="Search users"]');
        await box.waitForDisplayed({ timeout: 10_000 });
        // Typed as a person would: WebDriver's "clear" sets the value without the input events React
        // listens for, so the old text is deleted key by key.
        const current = await box.getValue();
        if (current) await box.addValue("\uE003".repeat(current.length));
        await box.addValue(text);
      };
      const rowsText = () =>
        browser.execute(() => [...document.querySelectorAll('[data-testid="user-row"]')].map((r) => r.textContent ?? ""));

      await check("search finds people by city as you type", async () => {
        await search("Stockh");
        await browser.waitUntil(
          async () => {
            const rows = await rowsText();
            return rows.length > 0 && rows.every((r) => r.includes("Stockholm"));
          },
          { timeout: 10_000, interval: 200, timeoutMsg: "the rows shown are not all people in Stockholm" },
        );
        await waitForText(browser, "matches", 2_000);
        await shot(browser, "12-users-search-city.png");
      });

      const newcomer = `Reykjavik Newcomer ${Date.now().toString(36)}`;
      await check("a person another admin adds appears in the open, searched table without a reload", async () => {
        await search("Reykjavik");
        await waitForText(browser, "No users match your search", 10_000);
        const nick = newcomer.replaceAll(" ", "");
        await admin("POST", "/users", {
          accountEnabled: true,
          displayName: newcomer,
          mailNickname: nick,
          userPrincipalName: `${nick}@contoso.com`,
          city: "Reykjavik",
          country: "Iceland",
          passwordProfile: { forceChangePasswordNextSignIn: true, password: "xWwvJ]6NMw+bWH-d" },
        });
        // One check (every 15 s here) brings it into the local copy; the table re-reads the copy.
        await browser.waitUntil(async () => (await rowsText()).some((r) => r.includes(newcomer)), {
          timeout: 45_000,
          interval: 250,
          timeoutMsg: `${newcomer} did not appear in the open table`,
        });
        await shot(browser, "13-users-live.png");
      });
    }
  }
} finally {
  await browser.deleteSession().catch(() => {});
}

const failed = finish();
process.exit(failed === 0 ? 0 : 1);
