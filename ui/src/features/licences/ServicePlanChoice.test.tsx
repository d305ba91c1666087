import { waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { LicenseRow, UserDetails } from "../../api";
import { mockBackend, renderWithProviders } from "../../test/render";
import { UserLicences } from "../users/UserLicences";

// Microsoft Entra ID P1 as subscribedSkus lists it, with the friendly names from Microsoft's licensing table.
const P1: LicenseRow = {
  skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4",
  skuPartNumber: "AAD_PREMIUM",
  name: "Microsoft Entra ID P1",
  capabilityStatus: "Enabled",
  total: 5,
  consumed: 0,
  free: 5,
  appliesTo: "User",
  servicePlans: [
    { servicePlanId: "41781fb2-bc02-4b7c-bd55-b576c07bb09d", servicePlanName: "AAD_PREMIUM", label: "Microsoft Entra ID P1", appliesTo: "User" },
    { servicePlanId: "8a256a2b-b617-496d-b51b-e76466e88db0", servicePlanName: "MFA_PREMIUM", label: "Microsoft Azure Multi-Factor Authentication", appliesTo: "User" },
    { servicePlanId: "113feb6c-3fe4-4440-bddc-54d774bf0318", servicePlanName: "EXCHANGE_S_FOUNDATION", label: "Exchange Foundation", appliesTo: "Company" },
  ],
};

const ADELE = { id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", displayName: "Adele Vance", usageLocation: "US" } as UserDetails;

describe("Assign a licence", () => {
  it("lists the licence's services by Microsoft's names and sends the ones switched off", async () => {
    const user = userEvent.setup();
    const calls = mockBackend((cmd) => {
      if (cmd === "list_licenses") return [P1];
      if (cmd === "user_licenses") return [];
      if (cmd === "assign_license")
        return { message: "Adele Vance now has Microsoft Entra ID P1, with Microsoft Azure Multi-Factor Authentication switched off.", licenses: [] };
      return null;
    });
    const onDone = vi.fn();
    const { container } = renderWithProviders(<UserLicences user={ADELE} onDone={onDone} />);
    const page = within(container);
    await user.click(await page.findByRole("combobox", { name: "Assign a licence" }));
    await user.click(await within(document.body).findByRole("option", { name: /Microsoft Entra ID P1/ }));
    const services = await page.findByRole("group", { name: "Services included" });
    // Each service by its friendly name, its technical name beside it; all on at first. (jsdom's accessible name
    // drops the space before the technical name's own element; browsers keep it.)
    for (const name of [/^Microsoft Entra ID P1\s*· AAD_PREMIUM$/, /^Microsoft Azure Multi-Factor Authentication\s*· MFA_PREMIUM$/, /^Exchange Foundation\s*· EXCHANGE_S_FOUNDATION$/]) {
      expect(within(services).getByRole("checkbox", { name })).toBeChecked();
    }
    await user.click(within(services).getByRole("checkbox", { name: /Microsoft Azure Multi-Factor Authentication/ }));
    expect(page.getByText("1 of 3 switched off. Tick a service to give it again.")).toBeInTheDocument();
    await user.click(page.getByRole("button", { name: "Assign licence" }));
    await waitFor(() =>
      expect(onDone).toHaveBeenCalledWith("Adele Vance now has Microsoft Entra ID P1, with Microsoft Azure Multi-Factor Authentication switched off."),
    );
    expect(calls.find((c) => c.cmd === "assign_license")?.args).toEqual({
      userId: ADELE.id,
      skuId: P1.skuId,
      disabledPlans: ["8a256a2b-b617-496d-b51b-e76466e88db0"],
    });
  });
});
