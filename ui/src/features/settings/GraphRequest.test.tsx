import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { findDialog, mockBackend, renderWithProviders } from "../../test/render";
import { GraphRequest } from "./GraphRequest";

describe("Graph request", () => {
  it("sends a GET at once and shows the status and the body", async () => {
    const user = userEvent.setup();
    const calls = mockBackend((cmd) =>
      cmd === "custom_request"
        ? { status: 200, headers: [{ name: "request-id", value: "6d3f0f5c-0000-4000-8000-0000000000aa" }], body: '{\n  "displayName": "Adele Vance"\n}' }
        : null,
    );
    renderWithProviders(<GraphRequest />);
    const path = screen.getByRole("textbox", { name: "Path" });
    await user.clear(path);
    await user.type(path, "/users/AdeleV@contoso.com");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(await screen.findByText("200")).toBeInTheDocument();
    expect(screen.getByLabelText("Response")).toHaveTextContent('"displayName": "Adele Vance"');
    expect(calls.find((c) => c.cmd === "custom_request")?.args).toEqual({
      request: { method: "GET", path: "/users/AdeleV@contoso.com", query: [], headers: [], body: null },
    });
  });

  it("asks before a DELETE and refuses a path that leaves Graph", async () => {
    const user = userEvent.setup();
    const calls = mockBackend(() => ({ status: 204, headers: [], body: "" }));
    renderWithProviders(<GraphRequest />);
    const path = screen.getByRole("textbox", { name: "Path" });
    await user.clear(path);
    await user.type(path, "https://example.com/steal");
    expect(screen.getByText("Start with /, like /users: requests go to Microsoft Graph v1.0 only.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();

    await user.clear(path);
    await user.type(path, "/groups/d7797254-3084-44d0-99c9-a3b5ab149538");
    await user.click(screen.getByRole("combobox", { name: "Method" }));
    await user.click(await screen.findByRole("option", { name: "DELETE" }));
    await user.click(screen.getByRole("button", { name: "Send" }));
    const confirm = await findDialog("alertdialog");
    expect(confirm).toHaveTextContent("can't be undone");
    expect(calls.some((c) => c.cmd === "custom_request")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Send DELETE", hidden: true }));
    expect(await screen.findByText("(empty response)")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "custom_request")?.args).toMatchObject({ request: { method: "DELETE" } });
  });
});
