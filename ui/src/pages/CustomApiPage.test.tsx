import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { CustomResponse, IpcError } from "../api";
import { CustomRequestProvider } from "../features/custom/CustomRequestContext";
import { jsonMistake } from "../features/custom/jsonMistake";
import { PRACTICE_ACCOUNT, SEED_USERS, signedIn } from "../test/fixtures";
import { copyPage } from "../test/copyPage";
import type { DirectoryQuery } from "../api";
import { findDialog, mockBackend, rejectWith, renderApp, renderWithProviders } from "../test/render";
import { CustomApiPage } from "./CustomApiPage";

const REQUEST_ID = "6d3f0f5c-1b2a-4c3d-8e9f-0a1b2c3d4e5f";

const GROUPS: CustomResponse = {
  status: 200,
  statusText: "OK: Microsoft Graph did what was asked and sent the answer below.",
  headers: [
    { name: "request-id", value: REQUEST_ID },
    { name: "content-type", value: "application/json;odata.metadata=minimal" },
  ],
  body: '{\n  "value": [\n    {\n      "displayName": "Sales"\n    }\n  ]\n}',
  pages: 3,
  items: 6,
  morePages: false,
};

function renderPage() {
  return renderWithProviders(
    <CustomRequestProvider>
      <CustomApiPage />
    </CustomRequestProvider>,
  );
}

const path = () => screen.getByRole("textbox", { name: /^Path/ });
const body = () => screen.getByRole("textbox", { name: /^Body \(JSON\)/ });

async function chooseMethod(user: ReturnType<typeof userEvent.setup>, method: string) {
  await user.click(screen.getByRole("combobox", { name: "Method" }));
  await user.click(await screen.findByRole("option", { name: method }));
}

describe("Custom API page", () => {
  it("builds the request from the form, and shows the status, the request ID, the pages and the body", async () => {
    const user = userEvent.setup();
    const calls = mockBackend((cmd) => (cmd === "custom_request" ? GROUPS : null));
    renderPage();

    await user.clear(path());
    await user.type(path(), "/groups");
    await user.click(screen.getByRole("button", { name: "Add query parameter" }));
    await user.click(screen.getByRole("button", { name: "Add query parameter" }));
    await user.type(screen.getByRole("textbox", { name: "Name of query parameter 1" }), "$top");
    await user.type(screen.getByRole("textbox", { name: "Value of query parameter 1" }), "2");
    await user.type(screen.getByRole("textbox", { name: "Name of query parameter 2" }), "$filter");
    await user.click(screen.getByRole("button", { name: "Remove query parameter 2" }));
    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByRole("textbox", { name: "Name of header 1" }), "ConsistencyLevel");
    await user.type(screen.getByRole("textbox", { name: "Value of header 1" }), "eventual");
    await user.click(screen.getByRole("checkbox", { name: /Follow next pages \(up to 20 pages\)/ }));
    await user.click(screen.getByRole("button", { name: "Send" }));

    const response = await screen.findByRole("region", { name: "Response" });
    expect(calls.find((c) => c.cmd === "custom_request")?.args).toEqual({
      request: {
        method: "GET",
        path: "/groups",
        query: [{ name: "$top", value: "2" }],
        headers: [{ name: "ConsistencyLevel", value: "eventual" }],
        body: null,
        followPages: true,
      },
    });
    expect(within(response).getByLabelText("Status")).toHaveTextContent("200");
    expect(within(response).getByText("OK: Microsoft Graph did what was asked and sent the answer below.")).toBeInTheDocument();
    expect(within(response).getByLabelText("Request ID")).toHaveTextContent(REQUEST_ID);
    expect(within(response).getByRole("button", { name: "Copy request ID" })).toBeInTheDocument();
    expect(within(response).getByText("3 pages, 6 items in all.")).toBeInTheDocument();
    expect(within(response).getByRole("table", { name: "Response headers" })).toHaveTextContent("application/json;odata.metadata=minimal");
    expect(within(response).getByLabelText("Response body")).toHaveTextContent('"displayName": "Sales"');
    expect(within(response).getByRole("button", { name: "Copy body" })).toBeInTheDocument();
  });

  it("says where a JSON mistake is and sends nothing until it is fixed; a typed Content-Type is allowed once", async () => {
    const user = userEvent.setup();
    const calls = mockBackend(() => ({ ...GROUPS, status: 201, statusText: "Created: Microsoft Graph made the new object.", pages: 1, items: null }));
    renderPage();
    await user.clear(path());
    await user.type(path(), "/groups");
    await chooseMethod(user, "POST");
    // userEvent treats { as a key descriptor: {{ types one.
    await user.type(body(), '{{\n  "displayName": "Sales"\n  "mailNickname": "sales"\n}');
    expect(screen.getByText(/The body is not valid JSON: line 3, column 3: Expected "," or "}", found """\./)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByText("Fix what is marked above, then send again.")).toBeInTheDocument();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "custom_request")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByRole("textbox", { name: "Name of header 1" }), "Authorization");
    expect(screen.getByText(/Remove the Authorization header: Entra Desk sets it itself/)).toBeInTheDocument();
    await user.clear(screen.getByRole("textbox", { name: "Name of header 1" }));
    await user.type(screen.getByRole("textbox", { name: "Name of header 1" }), "Content-Type");
    await user.type(screen.getByRole("textbox", { name: "Value of header 1" }), "application/json");

    await user.clear(body());
    await user.type(body(), '{{"displayName": "Sales", "mailNickname": "sales"}');
    expect(screen.queryByText(/not valid JSON/)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Send" }));
    const confirm = await findDialog("alertdialog");
    await user.click(within(confirm).getByRole("button", { name: "Send POST", hidden: true }));
    expect(await screen.findByText("Created: Microsoft Graph made the new object.")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "custom_request")?.args).toMatchObject({
      request: {
        method: "POST",
        headers: [{ name: "Content-Type", value: "application/json" }],
        body: '{"displayName": "Sales", "mailNickname": "sales"}',
        followPages: false,
      },
    });
  });

  it("explains Graph's refusal with its request ID and keeps what was typed", async () => {
    const user = userEvent.setup();
    const forbidden: IpcError = {
      kind: "forbidden",
      message: "Insufficient privileges to complete the operation.",
      needed: "You are not allowed to make this request: the app may need another permission (scope), or you another directory role.",
      code: "Authorization_RequestDenied",
      requestId: REQUEST_ID,
    };
    mockBackend((cmd) => (cmd === "custom_request" ? rejectWith(forbidden) : null));
    renderPage();
    await user.clear(path());
    await user.type(path(), "/auditLogs/signIns");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(await screen.findByText("You don't have permission to do this")).toBeInTheDocument();
    expect(screen.getByText(`Error code: Authorization_RequestDenied · Request ID: ${REQUEST_ID}`)).toBeInTheDocument();
    expect(path()).toHaveValue("/auditLogs/signIns");
  });

  it("puts Rust's objection next to the field it is about", async () => {
    const user = userEvent.setup();
    const invalid: IpcError = {
      kind: "validation",
      field: "path",
      message: "Only addresses on https://graph.microsoft.com/v1.0 can be used: your sign-in is never sent to another site.",
    };
    mockBackend((cmd) => (cmd === "custom_request" ? rejectWith(invalid) : null));
    renderPage();
    await user.clear(path());
    await user.type(path(), "/users/%2F%2Fevil");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(await screen.findByText(/Only addresses on https:\/\/graph.microsoft.com\/v1.0 can be used/)).toBeInTheDocument();
    expect(screen.queryByText("Check what you entered")).not.toBeInTheDocument();
  });
});

describe("Custom API in the app", () => {
  it("has its own place in the navigation and keeps the request and the answer while the person visits other pages", async () => {
    const user = userEvent.setup();
    mockBackend((cmd, args) => {
      switch (cmd) {
        case "get_app_state":
          return signedIn(PRACTICE_ACCOUNT);
        case "query_users":
          return copyPage(SEED_USERS, args.query as DirectoryQuery);
        case "custom_request":
          return { ...GROUPS, pages: 1, items: 1 };
        default:
          return null;
      }
    });
    renderApp();
    await screen.findByText(/^8 users\b/);
    const nav = screen.getByRole("navigation", { name: "Main" });
    await user.click(within(nav).getByRole("button", { name: "Custom API" }));
    expect(await screen.findByRole("heading", { name: "Custom API request" })).toBeInTheDocument();
    await user.clear(path());
    await user.type(path(), "/groups?$select=displayName");
    await user.click(screen.getByRole("button", { name: "Send" }));
    await screen.findByLabelText("Request ID");

    await user.click(within(nav).getByRole("button", { name: "Users" }));
    await screen.findByText(/^8 users\b/);
    await user.click(within(nav).getByRole("button", { name: "Custom API" }));
    expect(path()).toHaveValue("/groups?$select=displayName");
    expect(screen.getByLabelText("Request ID")).toHaveTextContent(REQUEST_ID);
  });
});

describe("jsonMistake", () => {
  it("finds the line and column of common mistakes", () => {
    expect(jsonMistake('{"a": 1,}')).toMatchObject({ line: 1, column: 9, message: "Remove the comma before }." });
    expect(jsonMistake("{'a': 1}")).toMatchObject({ line: 1, column: 2 });
    expect(jsonMistake('{\n  "a": tru\n}')).toMatchObject({ line: 2, column: 8 });
    expect(jsonMistake('{"a": "x"')).toMatchObject({ line: 1, column: 10, message: 'Expected "," or "}", found the end of the text.' });
    expect(jsonMistake('{"a": [1, 2.5e3, -0, "\\u00e9", null, true, false, {}]}')).toBeNull();
  });
});
