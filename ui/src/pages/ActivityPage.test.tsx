import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ACTIVITY, PRACTICE_ACCOUNT, signedIn } from "../test/fixtures";
import { mockBackend, renderWithProviders, rejectWith } from "../test/render";
import { formatDateTime } from "../lib/format";
import { ActivityPage } from "./ActivityPage";

const rows = () => screen.getAllByTestId("activity-row");
const objects = () => rows().map((row) => within(row).getAllByRole("cell")[2]?.textContent);

describe("Activity page", () => {
  it("shows changes newest first with a readable label, local time, object and what changed", async () => {
    const calls = mockBackend((cmd) => (cmd === "list_activity" ? ACTIVITY : null));
    renderWithProviders(<ActivityPage />);

    const list = await screen.findByTestId("activity-list");
    expect(within(list).getAllByTestId("activity-row")).toHaveLength(4);
    expect(calls.find((c) => c.cmd === "list_activity")?.args).toEqual({ query: { limit: null } });
    expect(objects()).toEqual(["Adele Vance", "HR Taskforce", "Golf Discussion", "Grady Archie"]);

    const [updated, added, deleted] = rows();
    expect(within(updated!).getByText("User updated")).toBeInTheDocument();
    expect(within(updated!).getByText("department: Sales → Marketing")).toBeInTheDocument();
    expect(within(updated!).getByText(formatDateTime("2026-11-26T10:42:00Z"))).toBeInTheDocument();
    expect(within(added!).getByText("Member added")).toBeInTheDocument();
    expect(within(added!).getByText("Megan Bowen was added to HR Taskforce")).toBeInTheDocument();
    expect(within(deleted!).getByText("Group deleted")).toBeInTheDocument();
    expect(screen.getByText("4 changes")).toBeInTheDocument();
  });

  it("marks the changes made in this app, by the account that made them", async () => {
    const mine = { ...ACTIVITY[1]!, id: "mine", madeHere: true };
    mockBackend((cmd) => (cmd === "list_activity" ? [mine, ACTIVITY[0]!] : cmd === "get_app_state" ? signedIn(PRACTICE_ACCOUNT) : null));
    renderWithProviders(<ActivityPage />);
    await screen.findByTestId("activity-list");
    const [made, found] = rows();
    const mark = await within(made!).findByText("Made here by MOD Administrator");
    expect(mark).toHaveAttribute("title", "Made in Entra Desk by MOD Administrator (admin@contoso.com) (not found by a check)");
    expect(within(found!).queryByText(/Made here/)).not.toBeInTheDocument();
  });

  it("filters by kind of change (several at once) and by text", async () => {
    const user = userEvent.setup();
    mockBackend((cmd) => (cmd === "list_activity" ? ACTIVITY : null));
    renderWithProviders(<ActivityPage />);
    await screen.findByTestId("activity-list");

    await user.click(screen.getByRole("combobox", { name: "Kinds of change" }));
    await user.click(await screen.findByRole("menuitemcheckbox", { name: "Member added" }));
    await waitFor(() => expect(objects()).toEqual(["HR Taskforce"]));
    await user.click(screen.getByRole("menuitemcheckbox", { name: "User created" }));
    await waitFor(() => expect(objects()).toEqual(["HR Taskforce", "Grady Archie"]));
    expect(screen.getByText("2 of 4 changes")).toBeInTheDocument();
    await user.keyboard("{Escape}");

    await user.type(screen.getByRole("searchbox", { name: "Filter activity" }), "megan");
    await waitFor(() => expect(objects()).toEqual(["HR Taskforce"]));

    await user.clear(screen.getByRole("searchbox", { name: "Filter activity" }));
    await user.type(screen.getByRole("searchbox", { name: "Filter activity" }), "marketing");
    expect(await screen.findByText("No changes match these filters")).toBeInTheDocument();
  });

  it("filters by group, offering only the groups seen in the history", async () => {
    const user = userEvent.setup();
    const removed = {
      ...ACTIVITY[2]!,
      id: "removed-sales",
      occurredAt: "2026-11-26T07:00:00Z",
      kind: "memberRemoved" as const,
      objectName: "Golf Assist",
      summary: "Alex Wilber was removed from Golf Assist",
      groupName: "Golf Assist",
      memberName: "Alex Wilber",
    };
    mockBackend((cmd) => (cmd === "list_activity" ? [...ACTIVITY, removed] : null));
    renderWithProviders(<ActivityPage />);
    await screen.findByTestId("activity-list");

    await user.click(screen.getByRole("combobox", { name: "Groups" }));
    const offered = await screen.findAllByRole("menuitemcheckbox");
    expect(offered.map((o) => o.textContent)).toEqual(["Golf Assist", "HR Taskforce"]);
    await user.click(screen.getByRole("menuitemcheckbox", { name: "Golf Assist" }));
    await waitFor(() => expect(objects()).toEqual(["Golf Assist"]));
    expect(screen.getByText("1 of 5 changes")).toBeInTheDocument();
    await user.click(screen.getByRole("menuitemcheckbox", { name: "HR Taskforce" }));
    await waitFor(() => expect(objects()).toEqual(["HR Taskforce", "Golf Assist"]));
  });

  it("finds a change by what changed", async () => {
    const user = userEvent.setup();
    mockBackend((cmd) => (cmd === "list_activity" ? ACTIVITY : null));
    renderWithProviders(<ActivityPage />);
    await screen.findByTestId("activity-list");
    await user.type(screen.getByRole("searchbox", { name: "Filter activity" }), "marketing");
    await waitFor(() => expect(objects()).toEqual(["Adele Vance"]));
  });

  it("explains the empty list", async () => {
    mockBackend((cmd) => (cmd === "list_activity" ? [] : null));
    renderWithProviders(<ActivityPage />);
    expect(await screen.findByText("No changes seen yet. Entra Desk checks the directory every minute.")).toBeInTheDocument();
    expect(screen.queryByTestId("activity-row")).not.toBeInTheDocument();
  });

  it("shows why activity could not load", async () => {
    mockBackend((cmd) =>
      cmd === "list_activity" ? rejectWith({ kind: "notSignedIn", message: "You are not signed in." }) : null,
    );
    renderWithProviders(<ActivityPage />);
    expect(await screen.findByText("Couldn't load activity")).toBeInTheDocument();
    expect(screen.getByText("You are not signed in.")).toBeInTheDocument();
  });
});
