// The UI as a person uses it, for the e2e scripts: elements by XPath, forms by their labels, pickers,
// dialogs and drawers, the navigation. `ui(() => browser)` gives the helpers for one app session.
import { clickNav, waitForNoText, waitForText } from "./lib.mjs";

/** The helpers, acting on the session `getBrowser()` returns when they run. */
export function ui(getBrowser) {
  const browser = new Proxy(
    {},
    {
      get(_, key) {
        const b = getBrowser();
        const value = b[key];
        return typeof value === "function" ? value.bind(b) : value;
      },
    },
  );


  const q = (s) => (s.includes("'") ? `"${s}"` : `'${s}'`); // an XPath string literal
  const DRAWER = (title) => `//*[@role='dialog'][.//h2[normalize-space(.)=${q(title)}]]`;
  const DIALOG = (title) => `//*[@role='dialog' or @role='alertdialog'][.//h2[normalize-space(.)=${q(title)}]]`;

  async function el(xpath, timeout = 10_000) {
    const e = await browser.$(xpath);
    await e.waitForDisplayed({ timeout });
    return e;
  }
  async function click(xpath, timeout = 10_000) {
    const e = await browser.$(xpath);
    await e.waitForClickable({ timeout });
    await e.click();
  }
  /** A button by its text, inside `scope` (an XPath). */
  const clickButton = (label, scope = "", timeout) => click(`${scope}//button[normalize-space(.)=${q(label)}]`, timeout);
  /** Confirms the open confirmation dialog with its red (or primary) button. */
  const confirm = (label) => click(`//*[@role='alertdialog']//button[normalize-space(.)=${q(label)}]`);

  /** Replaces an input's text as a person would: deletes what is there key by key, then types. */
  async function typeInto(input, text) {
    await input.click();
    const current = await input.getValue();
    if (current) {
      // The caret to the end (a click leaves it where it landed), then Backspace key by key.
      await browser.execute((e) => e.setSelectionRange?.(e.value.length, e.value.length), input);
      await input.addValue("\uE003".repeat(current.length));
    }
    if (text) await input.addValue(text);
  }
  /** The input (or textarea, or dropdown button) a Field's label names, inside `scope`. */
  async function field(label, scope = "") {
    const l = await el(`${scope}//label[normalize-space(.)=${q(label)} or starts-with(normalize-space(.), ${q(`${label} `)}) or normalize-space(.)=${q(`${label}*`)}]`);
    const id = await l.getAttribute("for");
    if (id) return el(`//*[@id=${q(id)}]`);
    // A Field whose control is drawn by a function labels it with aria-labelledby instead.
    const labelId = await l.getAttribute("id");
    if (!labelId) throw new Error(`the label "${label}" names no control`);
    return el(`${scope}//*[self::input or self::textarea or @role='combobox'][contains(concat(' ', @aria-labelledby, ' '), ${q(` ${labelId} `)})]`);
  }
  const fill = async (label, text, scope = "") => typeInto(await field(label, scope), text);

  /** Opens a dropdown (a Fluent combobox) and picks the option whose text starts with `option`. */
  async function choose(dropdown, option) {
    await dropdown.click();
    await click(`//*[@role='option'][starts-with(normalize-space(.), ${q(option)})]`);
  }
  /** Types into a people picker and picks the person named `name` (their tag then shows in the picker). */
  async function pick(inputLabel, typed, name, scope = "") {
    const input = await el(`${scope}//input[@aria-label=${q(inputLabel)}]`);
    await input.click();
    await input.addValue(typed);
    // The list follows the typing a moment later: pick once it lists only people matching what was typed.
    await waitUntil(
      async () => {
        const options = await browser.execute(
          (input) => [...(document.getElementById(input.getAttribute("aria-controls") ?? "")?.querySelectorAll("[role=option]") ?? [])].map((o) => o.textContent ?? ""),
          input,
        );
        return options.length > 0 && options.every((o) => o.toLowerCase().includes(typed.toLowerCase()));
      },
      `the picker did not list people matching "${typed}"`,
    );
    await click(`//*[@role='option'][starts-with(normalize-space(.), ${q(name)})]`);
    await el(`${scope}//*[@aria-label=${q(`Remove ${name}`)}]`, 5_000);
  }

  /** Label → text of a drawer's property list ("Not set" for empty). */
  const properties = (title) =>
    browser.execute((title) => {
      const drawer = [...document.querySelectorAll("[role=dialog]")].find((d) => d.querySelector("h2")?.textContent?.trim() === title);
      const out = {};
      for (const dt of drawer?.querySelectorAll("dl dt") ?? []) out[dt.textContent.trim()] = dt.nextElementSibling?.textContent?.trim() ?? "";
      return out;
    }, title);
  /** The items of a list (ul) by its aria-label, as text. */
  const listItems = (label) =>
    browser.execute((label) => [...(document.querySelector(`ul[aria-label="${label}"]`)?.querySelectorAll("li") ?? [])].map((li) => li.textContent.trim()), label);
  /** After Create user: the steps the result lists ("created", "added to …"), once it is shown (the chain may wait for Microsoft). */
  const stepsShown = async () => {
    await el("//ol[@aria-label='What was done']", 60_000);
    return browser.execute(() => [...(document.querySelector("ol[aria-label='What was done']")?.querySelectorAll("li") ?? [])].map((li) => li.textContent.trim()));
  };
  const rowsText = (testId) => browser.execute((id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((r) => r.textContent ?? ""), testId);
  const waitUntil = (fn, timeoutMsg, timeout = 10_000) => browser.waitUntil(fn, { timeout, interval: 150, timeoutMsg });

  /**
   * Closes whatever is open (a confirmation, a dialog, a drawer), so that a check starts from a page even
   * when the one before it failed half-way.
   */
  async function closeAll() {
    for (let i = 0; i < 6; i++) {
      const before = await browser.execute(() => {
        const open = [...document.querySelectorAll("[role=alertdialog], [role=dialog]")];
        const top = open[open.length - 1];
        if (!top) return 0;
        const buttons = [...top.querySelectorAll("button")];
        const close =
          top.querySelector(":scope > * button[aria-label=Close], header button[aria-label=Close]") ??
          buttons.find((b) => ["Cancel", "Done"].includes(b.textContent.trim())) ??
          top.querySelector("button[aria-label=Close]");
        close?.click();
        return open.length;
      });
      if (before === 0) return;
      await browser
        .waitUntil(async () => (await browser.execute(() => document.querySelectorAll("[role=alertdialog], [role=dialog]").length)) < before, {
          timeout: 3_000,
          interval: 100,
        })
        .catch(() => {});
    }
  }

  /** Goes to a page from the navigation, with nothing left open. */
  async function go(label) {
    await closeAll();
    await clickNav(browser, label);
  }

  /** Opens a person's drawer with "Find a person" on the Users page; waits for Graph's live details. */
  async function openUser(key, name) {
    await go("Users");
    const find = await el("//input[@aria-label='Find a person by ID, sign-in name or email']");
    await typeInto(find, key);
    await browser.keys("Enter");
    await el(DRAWER(name));
    await waitForNoText(browser, "Refreshing from Microsoft Graph", 20_000);
    return DRAWER(name);
  }
  async function closeDrawer(title) {
    await click(`${DRAWER(title)}//button[@aria-label='Close']`);
    await browser.$(DRAWER(title)).waitForDisplayed({ reverse: true, timeout: 10_000 });
  }
  /** Opens a group's drawer from the Groups page's search. */
  async function openGroup(name) {
    await go("Groups");
    await typeInto(await el("//input[@aria-label='Search groups']"), name);
    // The table re-renders its rows as the search narrows it: a click that landed on a row being
    // replaced did nothing (WebDriver: stale element), so it is made again until the drawer opens.
    const row = `//*[@data-testid='group-row'][.//*[normalize-space(.)=${q(name)}]]`;
    for (let attempt = 1; ; attempt++) {
      await click(row);
      const opened = await browser
        .$(DRAWER(name))
        .waitForDisplayed({ timeout: 3_000 })
        .catch(() => false);
      if (opened) break;
      if (attempt === 3) throw new Error(`clicking the row of ${name} three times did not open its drawer`);
    }
    await waitForNoText(browser, "Refreshing from Microsoft Graph", 20_000);
    return DRAWER(name);
  }
  /** Waits for the "done" sentence a successful action shows. */
  const done = (text) => waitForText(browser, text, 20_000);

  return { q, DRAWER, DIALOG, el, click, clickButton, confirm, typeInto, field, fill, choose, pick, properties, listItems, stepsShown, rowsText, waitUntil, closeAll, go, openUser, closeDrawer, openGroup, done };
}
