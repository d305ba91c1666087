import { Field, Input } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { type AppError, toAppError } from "../api";
import { findDialog, renderWithProviders } from "../test/render";
import { ConfirmDialog } from "./ConfirmDialog";
import { useConfirmedAction } from "./useConfirmedAction";

type Item = { id: string; name: string };
const ITEMS: Item[] = [
  { id: "a", name: "Adele Vance" },
  { id: "b", name: "Alex Wilber" },
];

/** A list whose items are deleted after a confirmation that asks for a reason. */
function Harness({ run, done }: { run: (variables: { id: string; reason: string }) => Promise<string>; done: (message: string, item: Item) => void }) {
  const remove = useMutation<string, AppError, { id: string; reason: string }>({ mutationFn: run });
  const [reason, setReason] = useState("");
  const deleting = useConfirmedAction(remove, (item: Item) => ({ id: item.id, reason }), done);
  return (
    <>
      {ITEMS.map((item) => (
        <button key={item.id} type="button" onClick={() => deleting.ask(item)}>
          Delete {item.name}
        </button>
      ))}
      <ConfirmDialog {...deleting.dialog} title={`Delete ${deleting.target?.name ?? ""}?`} confirmLabel="Delete" destructive>
        <Field label="Reason">
          <Input value={reason} onChange={(_, d) => setReason(d.value)} />
        </Field>
      </ConfirmDialog>
    </>
  );
}

const refusal = toAppError({
  kind: "forbidden",
  message: "Insufficient privileges to complete the operation.",
  needed: null,
  code: "Authorization_RequestDenied",
  requestId: "5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70",
});

describe("useConfirmedAction", () => {
  it("gives the focus back to the button that asked when the dialog is cancelled with the keyboard", async () => {
    const user = userEvent.setup();
    renderWithProviders(<Harness run={vi.fn()} done={vi.fn()} />);
    const asker = screen.getByRole("button", { name: "Delete Adele Vance" });
    asker.focus();
    await user.keyboard("{Enter}");
    const dialog = await findDialog("alertdialog");
    // (This dialog opens on its Reason box; the person moves to Cancel and presses Enter.)
    within(dialog).getByRole("button", { name: "Cancel", hidden: true }).focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(asker).toHaveFocus());
  });


  it("asked again while the action runs, still closes and says it was done when Graph answers", async () => {
    const user = userEvent.setup();
    let finish: (message: string) => void = () => {};
    const run = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const done = vi.fn();
    renderWithProviders(<Harness run={run} done={done} />);
    await user.click(screen.getByRole("button", { name: "Delete Alex Wilber" }));
    const dialog = await findDialog("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Delete", hidden: true }));
    await waitFor(() => expect(run).toHaveBeenCalledTimes(1));
    // A second ask while the first runs (a repeated click reaching the button behind the dialog).
    screen.getByRole("button", { name: "Delete Alex Wilber", hidden: true }).click();
    finish("Alex Wilber was deleted.");
    await waitFor(() => expect(done).toHaveBeenCalledWith("Alex Wilber was deleted.", ITEMS[1]));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).not.toBeInTheDocument());
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("runs nothing until confirmed, and nothing at all when cancelled", async () => {
    const user = userEvent.setup();
    const run = vi.fn(() => Promise.resolve("Deleted."));
    const done = vi.fn();
    renderWithProviders(<Harness run={run} done={done} />);
    await user.click(screen.getByRole("button", { name: "Delete Alex Wilber" }));
    const dialog = await findDialog("alertdialog");
    expect(dialog).toHaveAccessibleName("Delete Alex Wilber?");
    expect(run).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Cancel", hidden: true }));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).not.toBeInTheDocument());
    expect(run).not.toHaveBeenCalled();
    expect(done).not.toHaveBeenCalled();
  });

  it("shows a failure inside the dialog, keeps what was typed, and closes once it succeeds", async () => {
    const user = userEvent.setup();
    const run = vi.fn<(variables: { id: string; reason: string }) => Promise<string>>().mockRejectedValueOnce(refusal).mockResolvedValueOnce("Adele Vance was deleted.");
    const done = vi.fn();
    renderWithProviders(<Harness run={run} done={done} />);
    await user.click(screen.getByRole("button", { name: "Delete Adele Vance" }));
    const dialog = await findDialog("alertdialog");
    await user.type(within(dialog).getByRole("textbox", { name: "Reason", hidden: true }), "Left the company");
    await user.click(within(dialog).getByRole("button", { name: "Delete", hidden: true }));

    expect(await within(dialog).findByText("Insufficient privileges to complete the operation.")).toBeInTheDocument();
    expect(within(dialog).getByText(/Request ID: 5e7d2a1c-3f0b-4c5e-9d1a-2b3c4d5e6f70/)).toBeInTheDocument();
    expect(screen.getByRole("alertdialog", { hidden: true })).toBe(dialog);
    expect(within(dialog).getByRole("textbox", { name: "Reason", hidden: true })).toHaveValue("Left the company");
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]?.[0]).toEqual({ id: "a", reason: "Left the company" });
    expect(done).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole("button", { name: "Delete", hidden: true }));
    await waitFor(() => expect(done).toHaveBeenCalledWith("Adele Vance was deleted.", ITEMS[0]));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).not.toBeInTheDocument());
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("clears the last failure when asked again", async () => {
    const user = userEvent.setup();
    const run = vi.fn(() => Promise.reject(refusal));
    renderWithProviders(<Harness run={run} done={() => undefined} />);
    await user.click(screen.getByRole("button", { name: "Delete Adele Vance" }));
    let dialog = await findDialog("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Delete", hidden: true }));
    expect(await within(dialog).findByText("Insufficient privileges to complete the operation.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel", hidden: true }));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).not.toBeInTheDocument());

    // jsdom + Tabster may leave the page behind a closed dialog aria-hidden for a moment (never in the browser).
    await user.click(screen.getByRole("button", { name: "Delete Alex Wilber", hidden: true }));
    dialog = await findDialog("alertdialog");
    expect(dialog).toHaveAccessibleName("Delete Alex Wilber?");
    expect(within(dialog).queryByText("Insufficient privileges to complete the operation.")).not.toBeInTheDocument();
  });
});
