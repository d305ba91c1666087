import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { BulkPlan, DirectoryQuery, ImportCheck, JobRow } from "../../api";
import { copyPage } from "../../test/copyPage";
import { PRACTICE_ACCOUNT, SEED_USERS, signedIn } from "../../test/fixtures";
import { findDialog, mockBackend, renderApp, renderWithProviders } from "../../test/render";
import { ImportDialog } from "./ImportDialog";
import { blockingLines, checkSentence, fixedCells, linesInOrder, problemText } from "./words";

const COLUMNS = ["Display name", "Sign-in name", "Temporary password", "Job title", "Department", "Usage location"];
const GOOD = { line: 2, cells: ["Kim Lee", "kim.lee@contoso.com", null, "Buyer", "Purchasing", "GB"], problem: null };
const BAD = {
  line: 4,
  cells: ["Pavel Bansky", "pavel bansky@contoso.com", null, "", "", ""],
  problem: { column: "Sign-in name", reason: "The sign-in name cannot contain a space." },
};
const CHECK: ImportCheck = { importId: 3, kind: "createUsers", fileName: "people.csv", columns: COLUMNS, secretColumn: 2, lines: [GOOD, BAD] };
const FIXED: ImportCheck = { ...CHECK, lines: [GOOD, { ...BAD, cells: ["Pavel Bansky", "pavel.bansky@contoso.com", null, "", "", ""], problem: null }] };

const row = (index: number, name: string): JobRow => ({
  index,
  objectId: `${name}@contoso.com`,
  name,
  check: { answer: "willChange", note: null },
  status: "planned",
  reason: null,
  requestId: null,
  change: null,
});
const COUNTS = { total: 2, willChange: 2, already: 0, needsInput: 0, refused: 0, pending: 0, done: 0, skipped: 0, failed: 0, notSent: 0 };
const PLAN: BulkPlan = {
  job: { id: 9, kind: { kind: "createUsers" }, title: "Create users", state: "planned", createdSecs: 1, counts: COUNTS },
  rows: [row(1, "Kim Lee"), row(2, "Pavel Bansky")],
  leftOut: [],
};

function backend() {
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return signedIn(PRACTICE_ACCOUNT);
      case "get_watch_status":
        return { state: "watching", lastChecked: null, nextCheck: null, message: null, syncing: null };
      case "query_users":
        return copyPage(SEED_USERS, args.query as DirectoryQuery);
      case "open_import_file":
        return CHECK;
      case "fix_import_row":
        return FIXED;
      case "save_import_template":
        return "/home/kim/create-users-template.csv";
      case "plan_import":
        return PLAN;
      case "unfinished_bulk_jobs":
        return [];
      default:
        return null;
    }
  });
}

async function openChecked() {
  const user = userEvent.setup();
  renderApp();
  await screen.findByText(/^8 users\b/);
  await user.click(screen.getByRole("button", { name: "Import from CSV" }));
  const dialog = await findDialog();
  return { user, dialog };
}

describe("CSV import", () => {
  it("counts a checked file's lines in plain words and sends null for a password left as it was", () => {
    expect(checkSentence(CHECK, new Set())).toBe("2 lines read from people.csv: 1 ready, 1 line has a problem to fix or skip.");
    expect(checkSentence(CHECK, new Set([4]))).toBe("2 lines read from people.csv: 1 ready, 1 skipped.");
    expect(blockingLines(CHECK, new Set()).map((l) => l.line)).toEqual([4]);
    expect(linesInOrder(CHECK).map((l) => l.line)).toEqual([4, 2]);
    expect(linesInOrder(FIXED).map((l) => l.line)).toEqual([2, 4]);
    expect(problemText(BAD)).toBe("Sign-in name: The sign-in name cannot contain a space.");
    expect(fixedCells(["A", "b@c.com", "", "x"], 2)).toEqual(["A", "b@c.com", null, "x"]);
    expect(fixedCells(["A", "b@c.com", "New-Pass-1", "x"], 2)).toEqual(["A", "b@c.com", "New-Pass-1", "x"]);
  });

  it("downloads the chosen kind's template through Rust's save dialog", async () => {
    const calls = backend();
    const { user, dialog } = await openChecked();
    await user.click(within(dialog).getByRole("radio", { name: "Invite guests" }));
    await user.click(within(dialog).getByRole("button", { name: "Download the “Invite guests” template" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "save_import_template")?.args).toEqual({ kind: "inviteGuests" }));
    expect(await within(dialog).findByTestId("import-template-saved")).toHaveTextContent("/home/kim/create-users-template.csv");
  });

  it("names the bad line, sends nothing until it is fixed, then hands the good rows to the bulk preview", async () => {
    const calls = backend();
    const { user, dialog } = await openChecked();
    await user.click(within(dialog).getByRole("button", { name: "Choose file…" }));
    expect(await within(dialog).findByTestId("import-summary")).toHaveTextContent("2 lines read from people.csv: 1 ready, 1 line has a problem to fix or skip.");
    expect(within(dialog).getByTestId("import-problem")).toHaveTextContent("Sign-in name: The sign-in name cannot contain a space.");
    expect(within(dialog).getByText("Problem on line 4")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Preview changes" })).toBeDisabled();
    expect(within(dialog).queryByText("Maple-Harbour-72")).toBeNull();

    await user.click(within(dialog).getByRole("button", { name: "Edit" }));
    const upn = within(dialog).getByRole("textbox", { name: "Sign-in name, line 4" });
    await user.clear(upn);
    await user.type(upn, "pavel.bansky@contoso.com");
    await user.click(within(dialog).getByRole("button", { name: "Check again" }));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "fix_import_row")?.args).toEqual({
        importId: 3,
        line: 4,
        cells: ["Pavel Bansky", "pavel.bansky@contoso.com", null, "", "", ""],
      }),
    );
    expect(calls.some((c) => c.cmd === "plan_import")).toBe(false);
    const preview = within(dialog).getByRole("button", { name: "Preview changes" });
    await waitFor(() => expect(preview).toBeEnabled());
    await user.click(preview);
    await waitFor(() => expect(calls.find((c) => c.cmd === "plan_import")?.args).toEqual({ importId: 3, skipped: [], groupId: null }));
    const job = await findDialog("alertdialog");
    expect(await within(job).findByTestId("bulk-preview-summary")).toHaveTextContent("2 will be created.");
    expect(calls.some((c) => c.cmd === "start_bulk_job")).toBe(false);
  });

  it("a skipped line is left out of the job", async () => {
    const calls = backend();
    const { user, dialog } = await openChecked();
    await user.click(within(dialog).getByRole("button", { name: "Choose file…" }));
    await user.click(await within(dialog).findByRole("button", { name: "Skip this line" }));
    expect(within(dialog).getByTestId("import-summary")).toHaveTextContent("1 ready, 1 skipped.");
    await user.click(within(dialog).getByRole("button", { name: "Preview changes" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "plan_import")?.args).toEqual({ importId: 3, skipped: [4], groupId: null }));
  });

  it("from a group's members, adds the file's people to that group", async () => {
    const members: ImportCheck = { importId: 5, kind: "addMembers", fileName: "team.csv", columns: ["Sign-in name or email"], secretColumn: null, lines: [{ line: 2, cells: ["kim.lee@contoso.com"], problem: null }] };
    const calls = mockBackend((cmd) => (cmd === "open_import_file" ? members : cmd === "plan_import" ? { ...PLAN, job: { ...PLAN.job, kind: { kind: "addToGroup", groupId: "g-1" } } } : null));
    const user = userEvent.setup();
    renderWithProviders(<ImportDialog open onClose={() => {}} initialKind="addMembers" group={{ id: "g-1", name: "Sales" }} />);
    const dialog = await findDialog();
    expect(within(dialog).getByRole("radio", { name: "Add members to a group" })).toBeChecked();
    expect(within(dialog).getByText("Group: Sales")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Choose file…" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "open_import_file")?.args).toEqual({ kind: "addMembers" }));
    await user.click(await within(dialog).findByRole("button", { name: "Preview changes" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "plan_import")?.args).toEqual({ importId: 5, skipped: [], groupId: "g-1" }));
  });
});
