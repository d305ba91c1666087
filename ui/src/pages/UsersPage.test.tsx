import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { DirectoryQuery, SyncProgress, UserRow } from "../api";
import { copyPage } from "../test/copyPage";
import { SEED_USERS, USER_WITH_DEPARTMENT } from "../test/fixtures";
import { mockBackend, renderWithProviders, rejectWith } from "../test/render";
import { UsersPage } from "./UsersPage";

/** The local copy, as Rust windows it (see dev/copyPage.ts); the watch status says `syncing` while the first read runs. */
function backendWithUsers(users: UserRow[] | (() => Promise<never>), syncing: SyncProgress | null = null) {
  return mockBackend((cmd, args) => {
    if (cmd === "query_users") return typeof users === "function" ? users() : copyPage(users, args.query as DirectoryQuery);
    if (cmd === "find_person") {
      const key = String(args.key).toLowerCase();
      return (typeof users === "function" ? [] : users).find((u) => [u.id, u.userPrincipalName?.toLowerCase(), u.mail?.toLowerCase()].includes(key)) ?? null;
    }
    if (cmd === "get_user") return null;
    if (cmd === "get_watch_status")
      return { state: syncing ? "syncing" : "watching", lastChecked: null, nextCheck: null, message: null, syncing };
    return null;
  });
}

const queries = (calls: { cmd: string; args: unknown }[]) =>
  calls.filter((c) => c.cmd === "query_users").map((c) => (c.args as { query: DirectoryQuery }).query);

// The first cell of a row is its tick box (selection); the name is in the next.
const names = () => screen.getAllByTestId("user-row").map((row) => within(row).getAllByRole("cell")[1]?.textContent);

describe("Users page", () => {
  it("lists every user with name, UPN, job title and status, sorted by name", async () => {
    backendWithUsers([...SEED_USERS].reverse());
    renderWithProviders(<UsersPage />);

    expect(await screen.findByText(/^8 users · as of /)).toBeInTheDocument();
    const table = screen.getByTestId("users-table");
    expect(within(table).getAllByTestId("user-row")).toHaveLength(8);
    expect(names()).toEqual([
      "Adele Vance",
      "Alex Wilber",
      "Conf Room Adams",
      "Diego Siciliani",
      "Grady Archie",
      "Megan Bowen",
      "MOD Administrator",
      "Sara Davis",
    ]);
    const adams = screen.getAllByTestId("user-row")[2];
    expect(adams).toHaveTextContent("Adams@Contoso.com");
    expect(within(adams!).getByText("Disabled")).toBeInTheDocument();
    expect(within(screen.getAllByTestId("user-row")[0]!).getByText("Enabled")).toBeInTheDocument();
    expect(within(screen.getAllByTestId("user-row")[0]!).getByText("Retail Manager")).toBeInTheDocument();
  });

  it("searches the local copy as you type: the start of any word of name, sign-in name, department or city", async () => {
    const user = userEvent.setup();
    backendWithUsers([...SEED_USERS, USER_WITH_DEPARTMENT]);
    renderWithProviders(<UsersPage />);
    const search = await screen.findByRole("searchbox", { name: "Search users" });
    await screen.findByText(/^9 users/);

    await user.type(search, "megan");
    await waitFor(() => expect(names()).toEqual(["Megan Bowen"]));
    expect(screen.getByText(/^1 match/)).toBeInTheDocument();

    await user.clear(search);
    await user.type(search, "seat");
    await waitFor(() => expect(names()).toEqual(["Adele Vance"]));

    await user.clear(search);
    await user.type(search, "onmicrosoft.com");
    await waitFor(() => expect(names()).toEqual(["Megan Bowen"]));

    await user.clear(search);
    await user.type(search, "sales & marketing");
    await waitFor(() => expect(names()).toEqual(["Garth Fort"]));

    await user.clear(search);
    await user.type(search, "nobody-here");
    expect(await screen.findByText("No users match your search")).toBeInTheDocument();
    expect(screen.queryAllByTestId("user-row")).toHaveLength(0);
  });

  it("sorts the other way when the column header is clicked", async () => {
    const user = userEvent.setup();
    backendWithUsers(SEED_USERS);
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users/);
    await user.click(screen.getByRole("button", { name: /display name/i }));
    await waitFor(() => expect(names()[0]).toBe("Sara Davis"));
    expect(names().at(-1)).toBe("Adele Vance");
  });

  it("moves between rows with the arrow keys", async () => {
    const user = userEvent.setup();
    backendWithUsers(SEED_USERS);
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users/);
    const rows = screen.getAllByTestId("user-row");
    rows[0]!.focus();
    await user.keyboard("{ArrowDown}");
    expect(rows[1]).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(document.activeElement).toHaveTextContent("Diego Siciliani");
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement).toHaveTextContent("Conf Room Adams");
    await user.keyboard("{End}");
    expect(document.activeElement).toHaveTextContent("Sara Davis");
  });

  it("renders only the rows in view for 100,000 users", async () => {
    const many: UserRow[] = Array.from({ length: 100_000 }, (_, i) => ({
      ...SEED_USERS[i % SEED_USERS.length]!,
      id: `user-${i}`,
      displayName: `User ${String(i).padStart(6, "0")}`,
    }));
    const calls = backendWithUsers(many);
    renderWithProviders(<UsersPage />);
    expect(await screen.findByText(/^100,000 users/)).toBeInTheDocument();
    const rendered = screen.getAllByTestId("user-row").length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(names()[0]).toBe("User 000000");
    // Only a window crosses IPC, never the whole directory.
    expect(queries(calls).every((q) => q.limit <= 500)).toBe(true);
  });

  it("shows Graph's message and request id when the list cannot load, ready to copy for support", async () => {
    const user = userEvent.setup();
    backendWithUsers(() =>
      rejectWith({
        kind: "forbidden",
        message: "Insufficient privileges to complete the operation.",
        needed: null,
        code: "Authorization_RequestDenied",
        requestId: "5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70",
      }),
    );
    renderWithProviders(<UsersPage />);
    expect(await screen.findByText("Couldn't read the users")).toBeInTheDocument();
    expect(screen.getByText("Insufficient privileges to complete the operation.")).toBeInTheDocument();
    expect(
      screen.getByText("Error code: Authorization_RequestDenied · Request ID: 5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70"),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe(
      "Error code: Authorization_RequestDenied · Request ID: 5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70",
    );
  });

  it("exports every matching person, in the order shown, through Rust's save dialog", async () => {
    const user = userEvent.setup();
    const calls = backendWithUsers([...SEED_USERS, USER_WITH_DEPARTMENT]);
    renderWithProviders(<UsersPage />);
    await user.type(await screen.findByRole("searchbox", { name: "Search users" }), "contoso.com");
    await waitFor(() => expect(screen.getAllByTestId("user-row")).toHaveLength(8));
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_csv")).toBe(true));
    const { suggestedName, header, rows } = calls.find((c) => c.cmd === "save_csv")!.args as {
      suggestedName: string;
      header: string[];
      rows: (string | null)[][];
    };
    expect(suggestedName).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(header.join(",")).toBe("Display name,User principal name,Department,Job title,City,Country,Office,Status,Object ID");
    expect(rows[0]!.join(",")).toBe(
      "Adele Vance,AdeleV@contoso.com,,Retail Manager,Seattle,United States,,Enabled,87d349ed-44d7-43e1-9a83-5f2406dee5bd",
    );
    expect(rows).toHaveLength(8);
    expect(rows.some((r) => r[0] === "Megan Bowen")).toBe(false);
  });

  it("sends the sort and search to the local copy instead of sorting in the window", async () => {
    const user = userEvent.setup();
    const calls = backendWithUsers(SEED_USERS);
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users/);
    await user.click(screen.getByRole("button", { name: /job title/i }));
    await waitFor(() => expect(queries(calls).at(-1)).toMatchObject({ sort: "jobTitle", descending: false, offset: 0 }));
    await user.type(screen.getByRole("searchbox", { name: "Search users" }), "fin");
    await waitFor(() => expect(queries(calls).at(-1)).toMatchObject({ text: "fin", sort: "jobTitle" }));
  });

  it("finds a person by email and opens them, or says plainly that nobody has it", async () => {
    const user = userEvent.setup();
    const calls = backendWithUsers(SEED_USERS);
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^8 users/);
    const find = screen.getByRole("textbox", { name: "Find a person by ID, sign-in name or email" });
    await user.type(find, "nobody@contoso.com{Enter}");
    expect(
      await screen.findByText("Nobody in the directory has “nobody@contoso.com” as their object ID, sign-in name or email address."),
    ).toBeInTheDocument();
    expect(find).toHaveValue("nobody@contoso.com");
    await user.clear(find);
    await user.type(find, "meganb@m365x214355.onmicrosoft.com{Enter}");
    await waitFor(() =>
      expect(calls.some((c) => c.cmd === "get_user" && (c.args as { key: string }).key === "48d31887-5fad-4d73-a9f5-3c356e68a038")).toBe(true),
    );
  });

  it("runs advanced criteria on the local copy and shows how many match", async () => {
    const user = userEvent.setup();
    const calls = backendWithUsers([...SEED_USERS, USER_WITH_DEPARTMENT]);
    renderWithProviders(<UsersPage />);
    await screen.findByText(/^9 users/);
    await user.click(screen.getByRole("button", { name: "Advanced search" }));
    await user.click(screen.getByRole("button", { name: "Add a criterion" }));
    await user.type(screen.getByRole("textbox", { name: "Criterion 1 value" }), "Sales & Marketing");
    await waitFor(() => expect(names()).toEqual(["Garth Fort"]));
    expect(queries(calls).at(-1)?.criteria).toEqual([{ property: "department", op: "equals", value: "Sales & Marketing" }]);
    expect(await screen.findByText("1 person matches in the local copy")).toBeInTheDocument();
  });

  it("shows the first read of the directory with how far it has come", async () => {
    backendWithUsers([], { resource: "users", done: 42_000 });
    renderWithProviders(<UsersPage />);
    expect(await screen.findByText(/Reading your directory: 42,000 people so far/)).toBeInTheDocument();
    expect(screen.getByText("Reading your directory…")).toBeInTheDocument();
  });
});
