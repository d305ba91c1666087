import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { BulkPlan, Job, JobRow } from "../api";
import { PRACTICE_ACCOUNT, signedIn } from "../test/fixtures";
import { findDialog, mockBackend, renderApp } from "../test/render";
import { whyNoUndo } from "./BulkJobsPage";

const COUNTS = { total: 3, willChange: 3, already: 0, needsInput: 0, refused: 0, pending: 0, done: 2, skipped: 0, failed: 1, notSent: 0 };
const ADDED: Job = {
  id: 4,
  kind: { kind: "addToGroup", groupId: "g-1" },
  title: "Add to group Sales",
  state: "finished",
  createdSecs: 1796000000,
  counts: COUNTS,
  undoes: null,
  undoneBy: null,
};
const row = (index: number, name: string, status: JobRow["status"], requestId: string | null = null): JobRow => ({
  index,
  objectId: `id-${index}`,
  name,
  check: { answer: "willChange", note: null },
  status,
  reason: status === "failed" ? "Microsoft Graph refused it." : null,
  requestId,
  change: null,
});
const RESULTS = [row(1, "Adele Vance", "done", "req-1"), row(2, "Alex Wilber", "done", "req-1"), row(3, "Megan Bowen", "failed", "req-2")];
const UNDO: BulkPlan = {
  job: { ...ADDED, id: 5, kind: { kind: "removeFromGroup", groupId: "g-1" }, title: "Remove from group Sales", state: "planned", undoes: 4 },
  rows: [row(1, "Adele Vance", "planned"), { ...row(2, "Alex Wilber", "planned"), check: { answer: "already", reason: "Not a member of Sales." } }],
  leftOut: [],
};

function backend() {
  return mockBackend((cmd, args) => {
    switch (cmd) {
      case "get_app_state":
        return signedIn(PRACTICE_ACCOUNT);
      case "get_watch_status":
        return { state: "watching", lastChecked: null, nextCheck: null, message: null, syncing: null };
      case "list_bulk_jobs":
        // A preview never started is not a job that ran.
        return [ADDED, { ...ADDED, id: 6, state: "planned", title: "Never started" }];
      case "bulk_job_rows":
        return args.jobId === 4 ? RESULTS : [];
      case "plan_undo_bulk_job":
        return UNDO;
      case "save_csv":
        return "/home/kim/bulk-job-4.csv";
      default:
        return null;
    }
  });
}

describe("Bulk jobs page", () => {
  it("lists the jobs that ran, shows a job's results and exports them", async () => {
    const calls = backend();
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /bulk jobs/i }));
    const rows = await screen.findAllByTestId("bulk-job-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("Add to group Sales");
    expect(rows[0]).toHaveTextContent("2 done, 0 skipped, 1 failed");

    await user.click(within(rows[0] as HTMLElement).getByRole("button", { name: "Results" }));
    const dialog = await findDialog("alertdialog");
    expect(await within(dialog).findByTestId("bulk-results-summary")).toHaveTextContent("2 done, 0 skipped, 1 failed.");
    await user.click(within(dialog).getByRole("button", { name: "Export results" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "save_csv")).toBeDefined());
    const saved = calls.find((c) => c.cmd === "save_csv")?.args as { header: string[]; rows: (string | null)[][] };
    expect(saved.header).toEqual(["Row", "Name", "Object id", "Check", "Result", "Why", "Request id"]);
    expect(saved.rows[2]).toEqual(["3", "Megan Bowen", "id-3", "Will change", "Failed", "Microsoft Graph refused it.", "req-2"]);
    expect(await within(dialog).findByTestId("bulk-results-saved")).toHaveTextContent("Saved to /home/kim/bulk-job-4.csv");
  });

  it("undoes a whole job through a preview of the opposite job", async () => {
    const calls = backend();
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /bulk jobs/i }));
    const job = (await screen.findAllByTestId("bulk-job-row"))[0] as HTMLElement;
    await user.click(within(job).getByRole("button", { name: "Undo job" }));
    const dialog = await findDialog("alertdialog");
    expect(await within(dialog).findByTestId("bulk-preview-summary")).toHaveTextContent("1 will be removed, 1 is already so — skipped.");
    expect(calls.find((c) => c.cmd === "plan_undo_bulk_job")?.args).toMatchObject({ jobId: 4 });
    expect(calls.some((c) => c.cmd === "start_bulk_job")).toBe(false);
    await user.click(within(dialog).getByRole("button", { name: "Remove from group: apply 1 change" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "start_bulk_job")?.args).toMatchObject({ jobId: 5, rows: [1] }));
  });

  it("undoes a job from its results", async () => {
    const calls = backend();
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByRole("button", { name: /bulk jobs/i }));
    const job = (await screen.findAllByTestId("bulk-job-row"))[0] as HTMLElement;
    await user.click(within(job).getByRole("button", { name: "Results" }));
    const results = await findDialog("alertdialog");
    await within(results).findByTestId("bulk-results-summary");
    await user.click(within(results).getByRole("button", { name: "Undo this job" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "plan_undo_bulk_job")?.args).toMatchObject({ jobId: 4 }));
    const dialog = await findDialog("alertdialog");
    expect(await within(dialog).findByTestId("bulk-preview-summary")).toHaveTextContent("1 will be removed");
    expect(within(dialog).getByText("Remove from group Sales")).toBeInTheDocument();
  });

  it("says why a job cannot be undone", () => {
    expect(whyNoUndo(ADDED)).toBeNull();
    expect(whyNoUndo({ ...ADDED, undoneBy: 9 })).toBe("Already undone (job 9).");
    expect(whyNoUndo({ ...ADDED, kind: { kind: "revokeSessions" } })).toBe("Signing people out cannot be undone.");
    expect(whyNoUndo({ ...ADDED, counts: { ...COUNTS, done: 0 } })).toBe("No row of it was done.");
  });
});
