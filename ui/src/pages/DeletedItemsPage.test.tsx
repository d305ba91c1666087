import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { DeletedItem, DirectoryQuery } from "../api";
import { PRACTICE_ACCOUNT, READ_ONLY_ACCOUNT, SEED_USERS, signedIn } from "../test/fixtures";
import { copyPage } from "../test/copyPage";
import { mockBackend, renderApp } from "../test/render";
import { daysLeftText } from "./DeletedItemsPage";

const KIM: DeletedItem = {
  id: "k1",
  kind: "user",
  displayName: "Kim Lee",
  detail: "kim.lee@contoso.com",
  deleted: "2026-12-01T10:00:00Z",
  daysLeft: 24,
  overdue: false,
};
const TEAM: DeletedItem = { id: "g1", kind: "group", displayName: "Old Team", detail: "oldteam@contoso.com", deleted: "2026-11-10T10:00:00Z", daysLeft: 0, overdue: false };

function backend(account = PRACTICE_ACCOUNT) {
  let items = [KIM, TEAM];
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return signedIn(account);
      case "query_users":
        return copyPage(SEED_USERS, args.query as DirectoryQuery);
      case "get_watch_status":
        return { state: "watching", lastChecked: null, nextCheck: null, message: null, syncing: null };
      case "list_deleted_items":
        return items;
      case "restore_deleted_item":
        items = items.filter((i) => i.id !== args.id);
        return { message: "Kim Lee was restored, with their groups and licences." };
      case "delete_permanently":
        items = items.filter((i) => i.id !== args.id);
        return { message: "Old Team was deleted for good. It cannot be restored." };
      default:
        return null;
    }
  });
}

async function openPage() {
  const user = userEvent.setup();
  renderApp();
  await user.click(await screen.findByRole("button", { name: /deleted items/i }));
  await screen.findByText("Kim Lee");
  return user;
}

describe("Deleted items", () => {
  it("says the days left in plain words", () => {
    expect(daysLeftText(24)).toBe("24 days left");
    expect(daysLeftText(1)).toBe("1 day left");
    expect(daysLeftText(0)).toBe("last day");
    expect(daysLeftText(null)).toBe("");
    expect(daysLeftText(0, true)).toBe("due for removal");
  });

  it("lists deleted users and groups, restores one after asking, and the list follows", async () => {
    const calls = backend();
    const user = await openPage();
    const kim = screen.getAllByTestId("deleted-row").find((r) => r.textContent?.includes("Kim Lee"))!;
    expect(kim).toHaveTextContent("24 days left");
    await user.click(within(kim).getByRole("button", { name: "Restore" }));
    const dialog = await screen.findByRole("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Restore" }));
    expect(await screen.findByText("Kim Lee was restored, with their groups and licences.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "restore_deleted_item")?.args).toEqual({ id: "k1" });
    await waitFor(() => expect(screen.queryByText("kim.lee@contoso.com")).not.toBeInTheDocument());
  });

  it("deletes for good only once the exact name is typed", async () => {
    const calls = backend();
    const user = await openPage();
    const team = screen.getAllByTestId("deleted-row").find((r) => r.textContent?.includes("Old Team"))!;
    expect(team).toHaveTextContent("last day");
    await user.click(within(team).getByRole("button", { name: "Delete for good" }));
    const dialog = await screen.findByRole("alertdialog");
    const confirm = within(dialog).getByRole("button", { name: "Delete for good" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox"), "Old");
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox"), " Team");
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(await screen.findByText("Old Team was deleted for good. It cannot be restored.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "delete_permanently")?.args).toEqual({ id: "g1", kind: "group", confirmation: "Old Team" });
  });

  it("offers no restore or delete to a read-only sign-in", async () => {
    const calls = backend(READ_ONLY_ACCOUNT);
    const user = await openPage();
    const kim = screen.getAllByTestId("deleted-row").find((r) => r.textContent?.includes("Kim Lee"))!;
    const restore = within(kim).getByRole("button", { name: "Restore" });
    expect(restore).toHaveAttribute("aria-disabled", "true");
    await user.click(restore);
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "restore_deleted_item")).toBe(false);
  });
});
