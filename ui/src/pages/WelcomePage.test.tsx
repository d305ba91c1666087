import { emit } from "@tauri-apps/api/event";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { AppSnapshot } from "../api";
import { PRACTICE_ACCOUNT, READ_ONLY_ACCOUNT, SEED_USERS, SIGNED_OUT, signedIn } from "../test/fixtures";
import { mockBackend, renderApp, rejectWith } from "../test/render";
import { copyPage } from "../test/copyPage";
import type { DirectoryQuery } from "../api";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

function signedOutBackend(extra: (cmd: string, args: Record<string, unknown>) => unknown = () => null, snapshot: AppSnapshot = SIGNED_OUT) {
  return mockBackend((cmd, args) => (cmd === "get_app_state" ? snapshot : extra(cmd, args)));
}

describe("Welcome: sign in to your organization", () => {
  it("explains bad IDs in plain words and keeps what was typed", async () => {
    const user = userEvent.setup();
    const calls = signedOutBackend();
    renderApp();

    const tenant = await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i });
    const client = screen.getByRole("textbox", { name: /application \(client\) id/i });
    await user.type(tenant, "contoso");
    await user.type(client, "not-a-guid");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText(/this isn't a tenant id or domain/i)).toBeInTheDocument();
    expect(screen.getByText(/the application \(client\) id is a guid/i)).toBeInTheDocument();
    expect(tenant).toHaveValue("contoso");
    expect(client).toHaveValue("not-a-guid");
    expect(calls.some((c) => c.cmd === "sign_in")).toBe(false);
  });

  it("accepts a tenant GUID, a domain or \"organizations\"", async () => {
    const user = userEvent.setup();
    signedOutBackend();
    renderApp();
    const tenant = await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i });
    await user.type(tenant, "contoso");
    await user.tab();
    expect(await screen.findByText(/this isn't a tenant id or domain/i)).toBeInTheDocument();
    for (const good of [TENANT, "contoso.onmicrosoft.com", "organizations"]) {
      await user.clear(tenant);
      await user.type(tenant, good);
      await user.tab();
      await waitFor(() => expect(screen.queryByText(/this isn't a tenant id or domain/i)).not.toBeInTheDocument());
    }
  });

  it("is pre-filled from the remembered organization", async () => {
    signedOutBackend(() => null, { ...SIGNED_OUT, lastOrganization: { tenant: "contoso.onmicrosoft.com", clientId: CLIENT, cloud: "usGovL4", readOnly: true } });
    renderApp();
    expect(await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i })).toHaveValue("contoso.onmicrosoft.com");
    expect(screen.getByRole("textbox", { name: /application \(client\) id/i })).toHaveValue(CLIENT);
    expect(screen.getByRole("combobox", { name: "Cloud" })).toHaveTextContent("US Government (GCC High)");
    expect(screen.getByRole("checkbox", { name: "Read only" })).toBeChecked();
  });

  it("sends the form, waits for the browser, and Cancel stops it", async () => {
    const user = userEvent.setup();
    let rejectSignIn: (reason: unknown) => void = () => undefined;
    const calls = signedOutBackend((cmd) => {
      if (cmd === "sign_in") return new Promise((_, reject) => (rejectSignIn = reject));
      if (cmd === "cancel_sign_in") {
        rejectSignIn({ kind: "cancelled", message: "Sign-in was cancelled." });
        return null;
      }
      return null;
    });
    renderApp();

    await user.type(await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i }), TENANT);
    await user.type(screen.getByRole("textbox", { name: /application \(client\) id/i }), CLIENT);
    await user.click(screen.getByRole("combobox", { name: "Cloud" }));
    await user.click(await screen.findByRole("option", { name: "China (21Vianet)" }));
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Finish signing in in your browser…")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "sign_in")?.args).toEqual({ request: { tenant: TENANT, clientId: CLIENT, cloud: "china", readOnly: false } });

    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.cmd === "cancel_sign_in")).toBe(true);
    expect(await screen.findByText(/sign-in was cancelled/i)).toBeInTheDocument();
    expect(screen.queryByText("Finish signing in in your browser…")).not.toBeInTheDocument();
  });

  it("shows a sign-in failure with next step, the admin consent link to send and a copyable support code", async () => {
    const user = userEvent.setup();
    signedOutBackend((cmd) =>
      cmd === "sign_in"
        ? rejectWith({
            kind: "signIn",
            message: "Your organization hasn't approved Entra Desk yet.",
            nextStep: "Ask an administrator to grant admin consent, then sign in again.",
            code: "AADSTS65001",
            traceId: "0b5f0a4e-5c0e-4b1e-9a53-3c1b2b7e4d00",
            adminConsentUrl: `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${CLIENT}`,
          })
        : null,
    );
    renderApp();
    await user.type(await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i }), TENANT);
    await user.type(screen.getByRole("textbox", { name: /application \(client\) id/i }), CLIENT);
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Sign-in didn't work")).toBeInTheDocument();
    expect(screen.getByText("Your organization hasn't approved Entra Desk yet.")).toBeInTheDocument();
    expect(screen.getByText("Ask an administrator to grant admin consent, then sign in again.")).toBeInTheDocument();
    expect(screen.getByLabelText("Admin consent link")).toHaveTextContent(
      `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${CLIENT}`,
    );
    expect(screen.getByRole("button", { name: "Copy link" })).toBeInTheDocument();
    expect(screen.getByText("Support code: AADSTS65001 · trace id 0b5f0a4e-5c0e-4b1e-9a53-3c1b2b7e4d00")).toBeInTheDocument();
    // What was typed stays, so the user can correct it and try again.
    expect(screen.getByRole("textbox", { name: /directory \(tenant\) id or domain/i })).toHaveValue(TENANT);
  });

  it("puts the Rust side's validation verdict next to the field it names", async () => {
    const user = userEvent.setup();
    signedOutBackend((cmd) =>
      cmd === "sign_in"
        ? rejectWith({ kind: "validation", message: "No tenant is registered under that domain.", field: "tenant" })
        : null,
    );
    renderApp();
    await user.type(await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i }), "fabrikam.com");
    await user.type(screen.getByRole("textbox", { name: /application \(client\) id/i }), CLIENT);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("No tenant is registered under that domain.")).toBeInTheDocument();
  });
});

describe("Welcome: sign in with a code", () => {
  it("shows the code and address from the deviceCodeShown event, counts down, and Cancel stops it", async () => {
    const user = userEvent.setup();
    let rejectSignIn: (reason: unknown) => void = () => undefined;
    const calls = signedOutBackend((cmd) => {
      if (cmd === "sign_in_with_code") return new Promise((_, reject) => (rejectSignIn = reject));
      if (cmd === "cancel_sign_in") {
        rejectSignIn({ kind: "cancelled", message: "Sign-in was cancelled." });
        return null;
      }
      return null;
    });
    renderApp();

    await user.type(await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i }), "contoso.onmicrosoft.com");
    await user.type(screen.getByRole("textbox", { name: /application \(client\) id/i }), CLIENT);
    await user.click(screen.getByRole("button", { name: "Sign in with a code instead" }));

    const panel = await screen.findByRole("status", { name: "Sign in with a code" });
    expect(within(panel).getByText("Asking Microsoft for a sign-in code…")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "sign_in_with_code")?.args).toEqual({
      request: { tenant: "contoso.onmicrosoft.com", clientId: CLIENT, cloud: "global", readOnly: false },
    });
    expect(calls.some((c) => c.cmd === "sign_in")).toBe(false);

    await act(() =>
      emit("device-code-shown", {
        userCode: "FJ8RCGXKP",
        verificationUri: "https://microsoft.com/devicelogin",
        expiresInSecs: 900,
        message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ8RCGXKP to authenticate.",
      }),
    );

    expect(await within(panel).findByTestId("device-code")).toHaveTextContent("FJ8RCGXKP");
    expect(within(panel).getByText(/on any device, open/i)).toHaveTextContent(
      "On any device, open https://microsoft.com/devicelogin and enter the code FJ8RCGXKP.",
    );
    expect(within(panel).getByRole("button", { name: "Copy code" })).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Copy address" })).toBeInTheDocument();
    expect(within(panel).getByText(/the code works for 15:00 more/i)).toBeInTheDocument();
    // No clickable external link: the webview may not open one.
    expect(within(panel).queryByRole("link")).not.toBeInTheDocument();

    await user.click(within(panel).getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.cmd === "cancel_sign_in")).toBe(true);
    expect(await screen.findByText(/sign-in was cancelled/i)).toBeInTheDocument();
    expect(screen.queryByTestId("device-code")).not.toBeInTheDocument();
  });

  it("shows a code sign-in failure like a browser one: message, next step, support code", async () => {
    const user = userEvent.setup();
    signedOutBackend((cmd) =>
      cmd === "sign_in_with_code"
        ? rejectWith({
            kind: "signIn",
            message: "Your organization blocks signing in with a code.",
            nextStep: "Sign in in a browser on this computer, or ask your administrator.",
            code: "AADSTS50199",
            traceId: "7d3c9a0e-1f2b-4c5d-8e6f-0a1b2c3d4e5f",
            adminConsentUrl: null,
          })
        : null,
    );
    renderApp();
    await user.type(await screen.findByRole("textbox", { name: /directory \(tenant\) id or domain/i }), TENANT);
    await user.type(screen.getByRole("textbox", { name: /application \(client\) id/i }), CLIENT);
    await user.click(screen.getByRole("button", { name: "Sign in with a code instead" }));

    expect(await screen.findByText("Your organization blocks signing in with a code.")).toBeInTheDocument();
    expect(screen.getByText("Sign in in a browser on this computer, or ask your administrator.")).toBeInTheDocument();
    expect(screen.getByText("Support code: AADSTS50199 · trace id 7d3c9a0e-1f2b-4c5d-8e6f-0a1b2c3d4e5f")).toBeInTheDocument();
  });
});

describe("Welcome: practice tenant", () => {
  it("opens the practice tenant and shows that account with its users", async () => {
    const user = userEvent.setup();
    let snapshot = SIGNED_OUT;
    const calls = mockBackend((cmd, args) => {
      switch (cmd) {
        case "get_app_state":
          return snapshot;
        case "open_practice_tenant":
          snapshot = signedIn(PRACTICE_ACCOUNT);
          return PRACTICE_ACCOUNT;
        case "query_users":
          return copyPage(SEED_USERS, args.query as DirectoryQuery);
        case "get_watch_status":
          return { state: "syncing", lastChecked: null, nextCheck: null, message: null, syncing: null };
        default:
          return null;
      }
    });
    renderApp();

    const button = await screen.findByRole("button", { name: "Open the practice tenant" });
    expect(button).toHaveAttribute("id", "open-practice-tenant");
    await user.click(button);

    expect(calls.filter((c) => c.cmd === "open_practice_tenant")).toHaveLength(1);
    const header = await screen.findByRole("banner");
    expect(within(header).getByText("Practice tenant")).toBeInTheDocument();
    expect(within(header).getByText("MOD Administrator")).toBeInTheDocument();
    expect(within(header).getByText("Reading your directory…")).toBeInTheDocument();
    expect(await screen.findByText(/^8 users\b/)).toBeInTheDocument();
  });

  it("opens it read-only: every change is disabled with the reason, and nothing is asked of the backend", async () => {
    const user = userEvent.setup();
    let snapshot = SIGNED_OUT;
    const calls = mockBackend((cmd, args) => {
      switch (cmd) {
        case "get_app_state":
          return snapshot;
        case "open_practice_tenant":
          snapshot = signedIn(READ_ONLY_ACCOUNT);
          return READ_ONLY_ACCOUNT;
        case "query_users":
          return copyPage(SEED_USERS, args.query as DirectoryQuery);
        case "get_watch_status":
          return { state: "watching", lastChecked: null, nextCheck: null, message: null, syncing: null };
        default:
          return null;
      }
    });
    renderApp();

    await user.click(await screen.findByRole("checkbox", { name: /look, change nothing/i }));
    await user.click(screen.getByRole("button", { name: "Open the practice tenant" }));
    expect(calls.find((c) => c.cmd === "open_practice_tenant")?.args).toEqual({ readOnly: true });

    expect(await screen.findByText("Read-only sign-in")).toBeInTheDocument();
    expect(within(screen.getByRole("banner")).getByText(/read-only/)).toBeInTheDocument();
    const newUser = await screen.findByRole("button", { name: /new user/i });
    expect(newUser).toHaveAttribute("aria-disabled", "true");
    await user.click(newUser);
    await user.click(screen.getByRole("button", { name: /invite guest/i }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(newUser).toHaveAttribute("data-read-only", "true");
  });

  it("says why the practice tenant could not open", async () => {
    const user = userEvent.setup();
    signedOutBackend((cmd) =>
      cmd === "open_practice_tenant" ? rejectWith({ kind: "internal", message: "The practice tenant could not start: port in use." }) : null,
    );
    renderApp();
    await user.click(await screen.findByRole("button", { name: "Open the practice tenant" }));
    expect(await screen.findByText("Couldn't open the practice tenant")).toBeInTheDocument();
    expect(screen.getByText("The practice tenant could not start: port in use.")).toBeInTheDocument();
  });
});

describe("Setup help", () => {
  it("lists the app registration steps and a summary to copy", async () => {
    const user = userEvent.setup();
    signedOutBackend();
    renderApp();
    await user.click(await screen.findByRole("button", { name: "Setup help for administrators" }));
    expect(await screen.findByRole("heading", { name: "Setup help for administrators" })).toBeInTheDocument();
    const summary = screen.getByLabelText("App registration summary");
    for (const text of ["Redirect URI: http://localhost", "Allow public client flows: Yes", "User.ReadWrite.All", "RoleManagement.ReadWrite.Directory", "Grant admin consent"]) {
      expect(summary).toHaveTextContent(text);
    }
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByRole("heading", { name: "Welcome to Entra Desk" })).toBeInTheDocument();
  });
});
