import { Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from "@fluentui/react-components";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "./test/render";

describe("AppProviders", () => {
  // Regression: FluentProvider copies its className onto every portal mount node. With the app's
  // full-window background on the provider, opening any menu painted an opaque layer over the whole app.
  it("keeps the menu layer from stretching over the whole app", async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <button type="button">Open</button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem>Add account</MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>,
    );
    await user.click(screen.getByRole("button", { name: "Open" }));
    const item = await screen.findByRole("menuitem", { name: "Add account" });
    const mountNode = item.closest("[data-portal-node]") ?? item.closest("body > div:not(:first-child)");
    expect(mountNode).not.toBeNull();
    const style = getComputedStyle(mountNode as Element);
    // The mount node is positioned over the app; it must stay as small as its content.
    expect(style.height).not.toBe("100%");
  });
});
