import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { UserRow } from "../api";
import { LICENCES, SEED_USERS } from "../test/fixtures";
import { mockBackend, renderWithProviders, rejectWith } from "../test/render";
import { LicencesPage } from "./LicencesPage";
import { copyPage } from "../test/copyPage";
import type { DirectoryQuery } from "../api";

const E5 = LICENCES[0]!;
const byName = (name: string) => SEED_USERS.find((u) => u.displayName === name)!;

async function openE5(user: ReturnType<typeof userEvent.setup>) {
  renderWithProviders(<LicencesPage />);
  await user.click(await screen.findByRole("button", { name: /^Office 365 E5\b/ }));
  return screen.findByRole("dialog", { name: "Office 365 E5" });
}

describe("Licences page: who has it", () => {
  it("lists the licence's holders with their sign-in names and a count, and refreshes after assigning", async () => {
    const user = userEvent.setup();
    let holders: UserRow[] = [byName("Megan Bowen"), byName("Adele Vance")];
    const calls = mockBackend((cmd, args) => {
      switch (cmd) {
        case "list_licenses":
          return LICENCES;
        case "query_users":
          return copyPage(SEED_USERS, args.query as DirectoryQuery);
        case "query_license_holders":
          return copyPage(args.skuId === E5.skuId ? holders : [], args.query as DirectoryQuery);
        case "assign_license":
          holders = [...holders, byName("Alex Wilber")];
          return { message: "Alex Wilber now has Office 365 E5.", licenses: [] };
        default:
          return null;
      }
    });
    const drawer = await openE5(user);

    const list = await within(drawer).findByRole("table", { name: "People with Office 365 E5", hidden: true });
    expect(within(drawer).getByRole("heading", { name: "Who has it (2)", hidden: true })).toBeInTheDocument();
    const rows = within(list).getAllByTestId("licence-holder-row");
    expect(rows.map((r) => r.textContent)).toEqual([
      "Adele VanceAdeleV@contoso.com",
      "Megan BowenMeganB@M365x214355.onmicrosoft.com",
    ]);
    expect(calls.find((c) => c.cmd === "query_license_holders")?.args).toMatchObject({ skuId: E5.skuId, query: { offset: 0 } });

    const picker = within(drawer).getByRole("combobox", { name: "People to license", hidden: true });
    await user.type(picker, "alex");
    await user.click(await screen.findByRole("option", { name: /Alex Wilber/ }));
    await user.click(within(drawer).getByRole("button", { name: "Assign", hidden: true }));

    expect(await within(drawer).findByText("Alex Wilber now has Office 365 E5.")).toBeInTheDocument();
    await waitFor(() => expect(within(drawer).getByRole("heading", { name: "Who has it (3)", hidden: true })).toBeInTheDocument());
    expect(within(list).getByText("AlexW@contoso.com")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "query_license_holders")).toHaveLength(2);
  });

  it("says so when nobody has it, and shows Graph's failure with its request id", async () => {
    const user = userEvent.setup();
    let fail = false;
    mockBackend((cmd, args) => {
      if (cmd === "list_licenses") return LICENCES;
      if (cmd === "query_users") return copyPage(SEED_USERS, args.query as DirectoryQuery);
      if (cmd === "query_license_holders")
        return fail
          ? rejectWith({
              kind: "forbidden",
              message: "Insufficient privileges to complete the operation.",
              needed: null,
              code: "Authorization_RequestDenied",
              requestId: "b0a7b3a8-2a4c-4d8f-9c1e-3f2d1c0b9a87",
            })
          : copyPage([], args.query as DirectoryQuery);
      return null;
    });
    const drawer = await openE5(user);
    expect(await within(drawer).findByText("Nobody has this licence yet.")).toBeInTheDocument();
    expect(within(drawer).getByRole("heading", { name: "Who has it (0)", hidden: true })).toBeInTheDocument();

    fail = true;
    await user.click(within(drawer).getByRole("button", { name: /close/i, hidden: true }));
    await user.click(await screen.findByRole("button", { name: /^Microsoft Dynamics CRM Online\b/ }));
    const crm = await screen.findByRole("dialog", { name: "Microsoft Dynamics CRM Online" });
    expect(await within(crm).findByText("Couldn't load who has this licence")).toBeInTheDocument();
    expect(within(crm).getByText(/b0a7b3a8-2a4c-4d8f-9c1e-3f2d1c0b9a87/)).toBeInTheDocument();
  });
});
