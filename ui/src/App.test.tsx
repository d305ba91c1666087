import { emit } from "@tauri-apps/api/event";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { AppSnapshot, UserRow, WatchStatus } from "./api";
import { formatClock } from "./lib/format";
import { ACTIVITY, ORG_ACCOUNT, PRACTICE_ACCOUNT, SEED_USERS, SIGNED_OUT, USER_WITH_DEPARTMENT, signedIn } from "./test/fixtures";
import { mockBackend, renderApp } from "./test/render";
import { copyPage } from "./test/copyPage";
import type { DirectoryQuery } from "./api";

const WATCHING: WatchStatus = {
  state: "watching",
  lastChecked: "2026-11-26T10:42:00Z",
  nextCheck: "2026-11-26T10:43:00Z",
  message: null,
  syncing: null,
  notice: null,
};

type State = { snapshot: AppSnapshot; users: UserRow[] };

function backend(state: State) {
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return state.snapshot;
      case "query_users":
        return copyPage(state.users, args.query as DirectoryQuery);
      case "list_activity":
        return ACTIVITY;
      case "get_watch_status":
        return WATCHING;
      case "switch_account": {
        const account = state.snapshot.accounts.find((a) => a.id === args.accountId);
        state.snapshot = { ...state.snapshot, activeAccountId: account?.id ?? null };
        return account;
      }
      case "sign_out": {
        const accounts = state.snapshot.accounts.filter((a) => a.id !== args.accountId);
        state.snapshot = { ...state.snapshot, accounts, activeAccountId: accounts[0]?.id ?? null };
        return null;
      }
      default:
        return null;
    }
  });
}

const header = () => screen.getByRole("banner");

describe("App shell", () => {
  it("shows the account, the practice badge and the watch status in the header", async () => {
    backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    expect(await screen.findByText(/^8 users\b/)).toBeInTheDocument();
    expect(within(header()).getByText("Practice tenant")).toBeInTheDocument();
    expect(
      within(header()).getByText(`Watching · last checked ${formatClock(WATCHING.lastChecked)}, next ${formatClock(WATCHING.nextCheck)}`),
    ).toBeInTheDocument();
  });

  it("refreshes the users table when the directory changes", async () => {
    const state = { snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS };
    backend(state);
    renderApp();
    expect(await screen.findByText(/^8 users\b/)).toBeInTheDocument();

    state.users = [...SEED_USERS, USER_WITH_DEPARTMENT];
    await act(() => emit("directory-changed", { events: [] }));
    expect(await screen.findByText(/^9 users\b/)).toBeInTheDocument();
    expect(screen.getByText("Garth Fort")).toBeInTheDocument();
  });

  it("updates the watch status from its event", async () => {
    backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    await act(() =>
      emit("watch-status-changed", {
        status: { state: "offline", lastChecked: WATCHING.lastChecked, nextCheck: null, message: "Can't reach graph.microsoft.com", syncing: null, notice: null },
      }),
    );
    expect(await within(header()).findByText("Offline — retrying")).toBeInTheDocument();
  });

  it("says when a damaged accounts file was set aside, on the welcome page, until dismissed", async () => {
    const user = userEvent.setup();
    const notice = "Your saved accounts could not be read, so the file was set aside as /cfg/accounts.json.damaged-1; sign in again.";
    backend({ snapshot: { ...SIGNED_OUT, notices: [notice] }, users: [] });
    renderApp();
    expect(await screen.findByRole("heading", { name: "Welcome to Entra Desk" })).toBeInTheDocument();
    const notices = screen.getByRole("region", { name: "Notices" });
    expect(within(notices).getByText(notice)).toBeInTheDocument();
    await user.click(within(notices).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(notice)).not.toBeInTheDocument();
  });

  it("keeps a dismissed notice dismissed when the window moves to the welcome page to add an account", async () => {
    const user = userEvent.setup();
    const notice = "Your saved accounts could not be read, so the file was set aside as /cfg/accounts.json.damaged-1; sign in again.";
    backend({ snapshot: { ...signedIn(PRACTICE_ACCOUNT), notices: [notice] }, users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    await user.click(within(screen.getByRole("region", { name: "Notices" })).getByRole("button", { name: "Dismiss" }));
    await user.click(within(header()).getByRole("button", { name: /^Account:/ }));
    await user.click(await screen.findByRole("menuitem", { name: "Add account" }));
    expect(await screen.findByRole("heading", { name: "Add an account" })).toBeInTheDocument();
    expect(screen.queryByText(notice)).not.toBeInTheDocument();
  });

  it("says when the local copy was set aside and is being read again", async () => {
    const notice = "Entra Desk's local copy of your directory could not be used, so it was set aside as /data/m.sqlite3.damaged-1.";
    const state = { snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS };
    mockBackend((cmd, args) => (cmd === "get_watch_status" ? { ...WATCHING, notice } : cmd === "get_app_state" ? state.snapshot : cmd === "query_users" ? copyPage(state.users, args.query as DirectoryQuery) : null));
    renderApp();
    await screen.findByText(/^8 users\b/);
    expect(await within(screen.getByRole("region", { name: "Notices" })).findByText(notice)).toBeInTheDocument();
  });

  it("shows a long wait for Microsoft Graph with a countdown, and Stop waiting asks Rust to stop it", async () => {
    const user = userEvent.setup();
    const calls = backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    const until = new Date(Date.now() + 30_000).toISOString();
    await act(() =>
      emit("graph-waits-changed", { waits: [{ id: 1, request: "PATCH /v1.0/users/87d349ed", status: 429, seconds: 30, until }] }),
    );
    const region = await screen.findByRole("region", { name: "Waiting for Microsoft Graph" });
    expect(region).toHaveTextContent(/wait before saving a change again, because it is receiving too many requests/);
    expect(region).toHaveTextContent(/\b(29|30) s left/);
    expect(region).toHaveTextContent("PATCH /v1.0/users/87d349ed");
    await user.click(within(region).getByRole("button", { name: "Stop waiting" }));
    expect(calls.some((c) => c.cmd === "stop_waiting")).toBe(true);
    await act(() => emit("graph-waits-changed", { waits: [] }));
    expect(screen.queryByRole("region", { name: "Waiting for Microsoft Graph" })).not.toBeInTheDocument();
  });

  it("shows a wait inside the open form, where it can be reached (a modal makes the rest inert)", async () => {
    const user = userEvent.setup();
    backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    await user.click(screen.getByRole("button", { name: "New user" }));
    const dialog = await screen.findByRole("dialog");
    const until = new Date(Date.now() + 20_000).toISOString();
    await act(() => emit("graph-waits-changed", { waits: [{ id: 2, request: "POST /v1.0/users", status: 503, seconds: 20, until }] }));
    const region = await within(dialog).findByRole("region", { name: "Waiting for Microsoft Graph" });
    expect(region).toHaveTextContent(/before sending a request again, because the service is busy/);
    expect(within(region).getByRole("button", { name: "Stop waiting" })).toBeInTheDocument();
  });

  it("follows a session change from the Rust side (e.g. signed out in the tray)", async () => {
    const state = { snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS };
    backend(state);
    renderApp();
    await screen.findByText(/^8 users\b/);
    state.snapshot = SIGNED_OUT;
    await act(() => emit("session-changed", { snapshot: SIGNED_OUT }));
    expect(await screen.findByRole("heading", { name: "Welcome to Entra Desk" })).toBeInTheDocument();
  });

  it("switches account from the account menu and shows that account's users", async () => {
    const user = userEvent.setup();
    const state = { snapshot: signedIn(PRACTICE_ACCOUNT, ORG_ACCOUNT), users: SEED_USERS };
    const calls = backend(state);
    renderApp();
    await screen.findByText(/^8 users\b/);

    await user.click(within(header()).getByRole("button", { name: /account: mod administrator/i }));
    state.users = [USER_WITH_DEPARTMENT];
    await user.click(await screen.findByRole("menuitemradio", { name: /megan bowen/i }));

    expect(calls.find((c) => c.cmd === "switch_account")?.args).toEqual({ accountId: "org-megan" });
    expect(await within(header()).findByRole("button", { name: /account: megan bowen/i })).toBeInTheDocument();
    expect(within(header()).queryByText("Practice tenant")).not.toBeInTheDocument();
    expect(await screen.findByText(/^1 user\b/)).toBeInTheDocument();
  });

  it("signs out from the account menu and returns to the welcome screen", async () => {
    const user = userEvent.setup();
    const calls = backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    await user.click(within(header()).getByRole("button", { name: /account: mod administrator/i }));
    await user.click(await screen.findByRole("menuitem", { name: "Sign out" }));
    await user.click(await screen.findByRole("menuitem", { name: "Sign out of MOD Administrator (practice)" }));
    expect(calls.find((c) => c.cmd === "sign_out")?.args).toEqual({ accountId: "practice-admin" });
    expect(await screen.findByRole("heading", { name: "Welcome to Entra Desk" })).toBeInTheDocument();
  });

  it("adds an account from the menu and can go back", async () => {
    const user = userEvent.setup();
    backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    await user.click(within(header()).getByRole("button", { name: /account: mod administrator/i }));
    await user.click(await screen.findByRole("menuitem", { name: "Add account" }));
    expect(await screen.findByRole("heading", { name: "Add an account" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByText(/^8 users\b/)).toBeInTheDocument();
  });

  it("navigates to Groups and to Activity", async () => {
    const user = userEvent.setup();
    backend({ snapshot: signedIn(PRACTICE_ACCOUNT), users: SEED_USERS });
    renderApp();
    await screen.findByText(/^8 users\b/);
    const nav = screen.getByRole("navigation", { name: "Main" });

    await user.click(within(nav).getByRole("button", { name: "Groups" }));
    expect(await screen.findByRole("heading", { name: "Groups" })).toBeInTheDocument();
    expect(screen.queryByTestId("user-row")).not.toBeInTheDocument();

    await user.click(within(nav).getByRole("button", { name: "Activity" }));
    await waitFor(() => expect(screen.getAllByTestId("activity-row")).toHaveLength(ACTIVITY.length));
  });
});
