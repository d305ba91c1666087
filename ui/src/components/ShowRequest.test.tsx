import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ShownRequest } from "../api";
import { mockBackend, rejectWith, renderWithProviders } from "../test/render";
import { ShowRequest } from "./ShowRequest";

const PATCH: ShownRequest = {
  method: "PATCH",
  url: "https://graph.microsoft.com/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd",
  headers: [],
  body: '{\n  "accountEnabled": false\n}',
  powershell:
    "Invoke-MgGraphRequest -Method PATCH -Uri 'https://graph.microsoft.com/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd' -Body '{\"accountEnabled\":false}' -ContentType 'application/json'",
};

describe("Show the request", () => {
  it("asks Rust for the action's requests and shows each with its PowerShell line", async () => {
    const user = userEvent.setup();
    const calls = mockBackend((cmd) => (cmd === "preview_request" ? [PATCH] : null));
    renderWithProviders(<ShowRequest action={{ action: "setUserEnabled", key: "AdeleV@contoso.com", enabled: false }} />);
    await user.click(screen.getByRole("button", { name: "Show the request" }));
    expect(await screen.findByText(/PATCH https:\/\/graph\.microsoft\.com\/v1\.0\/users\/87d349ed/)).toBeInTheDocument();
    expect(screen.getByText(/"accountEnabled": false/)).toBeInTheDocument();
    expect(screen.getByText(/^Invoke-MgGraphRequest -Method PATCH/)).toBeInTheDocument();
    expect(screen.getByText("Nothing has been sent. Passwords are never shown.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "preview_request")?.args).toEqual({
      action: { action: "setUserEnabled", key: "AdeleV@contoso.com", enabled: false },
    });
  });

  it("cannot be asked for while the form cannot be sent, and says why Rust would refuse it", async () => {
    const user = userEvent.setup();
    mockBackend((cmd) =>
      cmd === "preview_request" ? rejectWith({ kind: "validation", message: "Nobody is called nobody@contoso.com.", field: "manager" }) : null,
    );
    const first = renderWithProviders(<ShowRequest action={null} />);
    expect(screen.getByRole("button", { name: "Show the request" })).toBeDisabled();
    first.unmount();
    renderWithProviders(<ShowRequest action={{ action: "setManager", key: "a", manager: "nobody@contoso.com" }} />);
    await user.click(screen.getByRole("button", { name: "Show the request" }));
    expect(await screen.findByText("Nobody is called nobody@contoso.com.")).toBeInTheDocument();
  });
});
