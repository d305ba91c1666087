import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { describe, expect, it, vi } from "vitest";
import { READ_ONLY_REASON, ReadOnlyBanner, WriteAccessProvider, WriteButton } from "./WriteAccess";

function renderButton(readOnly: boolean, onClick: () => void) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <WriteAccessProvider readOnly={readOnly}>
        <ReadOnlyBanner />
        <WriteButton onClick={onClick}>Delete</WriteButton>
      </WriteAccessProvider>
    </FluentProvider>,
  );
}

describe("WriteButton", () => {
  it("acts for an account that may change things, with no banner", async () => {
    const onClick = vi.fn();
    renderButton(false, onClick);
    await userEvent.setup().click(screen.getByRole("button", { name: "Delete" }));
    expect(onClick).toHaveBeenCalledOnce();
    expect(screen.queryByText("Read-only sign-in")).not.toBeInTheDocument();
  });

  it("for a read-only account stays focusable, does nothing, and says why on hover", async () => {
    const user = userEvent.setup();
    const onClick = vi.fn();
    renderButton(true, onClick);
    const button = screen.getByRole("button", { name: "Delete" });
    expect(button).toHaveAttribute("aria-disabled", "true");
    await user.click(button);
    expect(onClick).not.toHaveBeenCalled();
    expect(screen.getByText("Read-only sign-in")).toBeInTheDocument();
    await user.hover(button);
    expect(await screen.findByRole("tooltip", {}, { timeout: 3_000 })).toHaveTextContent(READ_ONLY_REASON);
    expect(button).toHaveAccessibleDescription(READ_ONLY_REASON);
  });
});
