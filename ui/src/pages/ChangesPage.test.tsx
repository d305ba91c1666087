import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ChangeRow, DirectoryQuery, UndoPlanView } from "../api";
import { PRACTICE_ACCOUNT, SEED_USERS, signedIn } from "../test/fixtures";
import { copyPage } from "../test/copyPage";
import { mockBackend, renderApp } from "../test/render";

const ME = { id: "admin", name: "Megan Bowen" };

const TITLE: ChangeRow = {
  undoable: true,
  entry: {
    id: 1,
    at: "2026-12-07T10:00:00Z",
    account: ME,
    action: { kind: "updateUser" },
    target: { kind: "user", id: "u-adele", name: "Adele Vance" },
    changes: [{ property: "jobTitle", before: "Retail Manager", after: "Chief Gardener" }],
    requestId: "rid-title-1",
    outcome: { result: "done" },
    job: null,
    undoes: null,
    undoneBy: null,
  },
};

const MEMBER: ChangeRow = {
  undoable: true,
  entry: {
    ...TITLE.entry,
    id: 2,
    at: "2026-12-07T10:05:00Z",
    action: { kind: "addMember", group: { id: "g-golf", name: "Golf Discussion" } },
    changes: [],
    requestId: "rid-member-2",
  },
};

const FAILED: ChangeRow = {
  undoable: false,
  entry: {
    ...TITLE.entry,
    id: 3,
    at: "2026-12-07T10:06:00Z",
    action: { kind: "block" },
    target: { kind: "user", id: "ghost@contoso.com", name: "ghost@contoso.com" },
    changes: [],
    requestId: "rid-failed-3",
    outcome: { result: "failed", reason: "Nobody in the directory has the sign-in name ghost@contoso.com." },
  },
};

function backend(plan: UndoPlanView) {
  let rows = [FAILED, MEMBER, TITLE];
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return signedIn(PRACTICE_ACCOUNT);
      case "query_users":
        return copyPage(SEED_USERS, args.query as DirectoryQuery);
      case "get_watch_status":
        return { state: "watching", lastChecked: null, nextCheck: null, message: null, syncing: null };
      case "list_changes": {
        const filter = args.filter as { failed: boolean | null; actions: string[] };
        return rows.filter(
          (r) =>
            (filter.failed === null || (r.entry.outcome.result === "failed") === filter.failed) &&
            (filter.actions.length === 0 || filter.actions.includes(r.entry.action.kind)),
        );
      }
      case "plan_undo":
        return plan;
      case "undo_change":
        rows = rows.map((r) => (r.entry.id === args.id ? { undoable: false, entry: { ...r.entry, undoneBy: 9 } } : r));
        return { message: "Undone: Put back 1 property of Adele Vance: job title ‘Retail Manager’" };
      default:
        return null;
    }
  });
}

async function openPage() {
  const user = userEvent.setup();
  renderApp();
  await user.click(await screen.findByRole("button", { name: /changes made here/i }));
  await screen.findByText("Golf Discussion");
  return user;
}

const rowOf = (text: string) => screen.getAllByTestId("change-row").find((r) => r.textContent?.includes(text))!;

describe("Changes made here", () => {
  it("lists the changes newest first, with failures and their reason", async () => {
    backend({ what: null, refused: null, requests: [] });
    await openPage();
    const rows = screen.getAllByTestId("change-row").map((r) => r.textContent ?? "");
    expect(rows[0]).toContain("Blocked from signing in");
    expect(rows[0]).toContain("Failed");
    expect(rows[0]).toContain("Nobody in the directory has the sign-in name ghost@contoso.com.");
    expect(rows[1]).toContain("Added to a group");
    expect(rows[2]).toContain("Person's details changed");
    expect(within(rowOf("ghost@")).getByRole("button", { name: "Undo" })).toBeDisabled();
  });

  it("shows an entry's values before and after and its request id", async () => {
    backend({ what: null, refused: null, requests: [] });
    const user = await openPage();
    await user.click(within(rowOf("Person's details")).getByRole("button", { name: "Details" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText("Job title")).toBeInTheDocument();
    expect(within(dialog).getByText("Retail Manager")).toBeInTheDocument();
    expect(within(dialog).getByText("Chief Gardener")).toBeInTheDocument();
    expect(within(dialog).getByTestId("request-id")).toHaveTextContent("rid-title-1");
  });

  it("narrows the list to failed attempts through Rust's filter", async () => {
    const calls = backend({ what: null, refused: null, requests: [] });
    const user = await openPage();
    await user.click(screen.getByRole("combobox", { name: "Result" }));
    await user.click(await screen.findByRole("option", { name: "Failed" }));
    await waitFor(() => expect(screen.queryByText("Golf Discussion")).not.toBeInTheDocument());
    expect(screen.getAllByTestId("change-row")).toHaveLength(1);
    expect(calls.filter((c) => c.cmd === "list_changes").at(-1)?.args).toMatchObject({ filter: { failed: true } });
  });

  it("undoes after showing what it will do and the request, and the entry then shows it was undone", async () => {
    const calls = backend({
      what: "Put back 1 property of Adele Vance: job title ‘Retail Manager’.",
      refused: null,
      requests: [
        { method: "PATCH", url: "https://graph/v1.0/users/u-adele", headers: [], body: '{"jobTitle": "Retail Manager"}', powershell: "Invoke-MgGraphRequest" },
      ],
    });
    const user = await openPage();
    await user.click(within(rowOf("Person's details")).getByRole("button", { name: "Undo" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(await within(dialog).findByTestId("undo-what")).toHaveTextContent("job title ‘Retail Manager’");
    expect(within(dialog).getByTestId("shown-request")).toHaveTextContent("PATCH");
    await user.click(within(dialog).getByRole("button", { name: "Undo" }));
    expect(await screen.findByText(/Undone: Put back 1 property of Adele Vance/)).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "undo_change")?.args).toEqual({ id: 1 });
    await waitFor(() => expect(within(rowOf("Person's details")).getByText("Undone")).toBeInTheDocument());
  });

  it("refuses with the reason when the object changed since, and sends nothing", async () => {
    const calls = backend({
      what: null,
      refused: "Changed since: the job title is now ‘Head of Parks’, not ‘Chief Gardener’ as this app left it.",
      requests: [],
    });
    const user = await openPage();
    await user.click(within(rowOf("Person's details")).getByRole("button", { name: "Undo" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(await within(dialog).findByTestId("undo-refused")).toHaveTextContent("Changed since: the job title is now ‘Head of Parks’");
    expect(within(dialog).getByRole("button", { name: "Undo" })).toBeDisabled();
    expect(calls.some((c) => c.cmd === "undo_change")).toBe(false);
  });
});
