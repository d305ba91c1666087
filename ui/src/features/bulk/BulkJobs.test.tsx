import { emit } from "@tauri-apps/api/event";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { BulkPlan, Job, JobRow } from "../../api";
import { PRACTICE_ACCOUNT, signedIn } from "../../test/fixtures";
import { findDialog, mockBackend, renderApp } from "../../test/render";
import { previewSentence, resultCounts } from "./words";

const row = (index: number, name: string, check: JobRow["check"], status: JobRow["status"] = "planned"): JobRow => ({
  index,
  objectId: `id-${index}`,
  name,
  check,
  status,
  reason: null,
  requestId: null,
  change: null,
});

const COUNTS = { total: 2, willChange: 1, already: 0, needsInput: 0, refused: 1, pending: 0, done: 0, skipped: 0, failed: 0, notSent: 0 };
const JOB: Job = { id: 7, kind: { kind: "restore" }, title: "Restore deleted items", state: "planned", createdSecs: 1, counts: COUNTS };
const PLAN: BulkPlan = {
  job: JOB,
  rows: [row(1, "Kim Lee", { answer: "willChange", note: null }), row(2, "Old Team", { answer: "refused", reason: "No longer in Deleted items: it may have been deleted for good." })],
  leftOut: [],
};

function backend(unfinished: Job[] = []) {
  let rows: JobRow[] = PLAN.rows;
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return signedIn(PRACTICE_ACCOUNT);
      case "get_watch_status":
        return { state: "watching", lastChecked: null, nextCheck: null, message: null, syncing: null };
      case "list_deleted_items":
        return [
          { id: "id-1", kind: "user", displayName: "Kim Lee", detail: null, deleted: "2026-12-01T10:00:00Z", daysLeft: 24, overdue: false },
          { id: "id-2", kind: "group", displayName: "Old Team", detail: null, deleted: "2026-12-01T10:00:00Z", daysLeft: 2, overdue: false },
        ];
      case "plan_bulk_job":
        return PLAN;
      case "start_bulk_job":
        rows = [
          {
            ...row(1, "Kim Lee", { answer: "willChange", note: null }, "failed"),
            reason: "It cannot be restored: another account now has the same sign-in name.",
            requestId: "req-123",
          },
          { ...row(2, "Old Team", { answer: "refused", reason: "Gone" }, "skipped"), reason: "No longer in Deleted items: it may have been deleted for good." },
        ];
        return null;
      case "bulk_job_rows":
        return args.jobId === 7 ? rows : [];
      case "unfinished_bulk_jobs":
        return unfinished;
      case "resume_bulk_job":
        return null;
      default:
        return null;
    }
  });
}

describe("bulk jobs", () => {
  it("counts the preview's answers in plain words", () => {
    const rows = [
      row(1, "A", { answer: "willChange", note: null }),
      row(2, "B", { answer: "willChange", note: null }),
      row(3, "C", { answer: "already", reason: "Already a member of Sales." }),
      row(4, "D", { answer: "refused", reason: "Dynamic" }),
    ];
    expect(previewSentence("addToGroup", rows)).toBe("2 will be added, 1 is already so — skipped, 1 is refused.");
    expect(previewSentence("assignLicence", rows.slice(0, 1))).toBe("1 will be given the licence.");
    expect(resultCounts([row(1, "A", { answer: "willChange", note: null }, "done"), row(2, "B", { answer: "willChange", note: null }, "failed")])).toEqual({
      all: 2,
      done: 1,
      skipped: 0,
      failed: 1,
      notSent: 0,
    });
  });

  it("previews the selected rows, sends only what was confirmed, and shows each result with its request id", async () => {
    const calls = backend();
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /deleted items/i }));
    await user.click(await screen.findByRole("checkbox", { name: "Select Kim Lee" }));
    await user.click(await screen.findByRole("checkbox", { name: "Select Old Team" }));
    await user.click(screen.getByRole("button", { name: /restore selected/i }));

    const dialog = await findDialog("alertdialog");
    expect(await within(dialog).findByTestId("bulk-preview-summary")).toHaveTextContent("1 will be restored, 1 is refused.");
    expect(within(dialog).getByText("No longer in Deleted items: it may have been deleted for good.")).toBeInTheDocument();
    const planned = calls.find((c) => c.cmd === "plan_bulk_job");
    expect(planned?.args).toMatchObject({ kind: { kind: "restore" }, objectIds: ["id-1", "id-2"] });
    expect(calls.some((c) => c.cmd === "start_bulk_job")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Restore: apply 1 change" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "start_bulk_job")?.args).toMatchObject({ jobId: 7, rows: [1] }));
    await act(() =>
      emit("bulk-job-progress", { progress: { jobId: 7, state: "finished", toSend: 1, done: 0, skipped: 0, failed: 1, waitingSecs: null }, error: null }),
    );
    expect(await within(dialog).findByTestId("bulk-results-summary")).toHaveTextContent("0 done, 1 skipped, 1 failed.");
    expect(within(dialog).getByText("req-123")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("tab", { name: "Failed (1)" }));
    expect(within(dialog).getAllByTestId("bulk-result-row")).toHaveLength(1);
  });

  it("offers to resume a job the app left unfinished", async () => {
    const calls = backend([{ ...JOB, state: "running", counts: { ...COUNTS, pending: 1 } }]);
    const user = userEvent.setup();
    renderApp();
    const offer = await screen.findByTestId("bulk-unfinished");
    expect(offer).toHaveTextContent("“Restore deleted items” stopped before it finished");
    await user.click(within(offer).getByRole("button", { name: "Resume" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "resume_bulk_job")?.args).toMatchObject({ jobId: 7 }));
    // The job's dialog follows it: its title, then its results when Rust says it finished.
    const dialog = await waitFor(() => {
      const found = document.querySelector<HTMLElement>("[data-testid=bulk-dialog]");
      if (!found) throw new Error("no job dialog");
      return found;
    });
    expect(dialog).toHaveTextContent("Restore deleted items");
    await emit("bulk-job-progress", { progress: { jobId: 7, state: "finished", toSend: 1, done: 1, skipped: 0, failed: 0, waitingSecs: null }, error: null });
    await waitFor(() => expect(dialog.querySelector("[data-testid=bulk-results-summary]")).not.toBeNull());
  });
});
