// The words of the bulk job dialogs: what each action is called, each row's pre-flight answer and
// result, and the sentences that count them. Pure, so the dialogs and their tests share them.

import type { JobKind, JobRow, RowCheck } from "../../api";

/** The actions a selection offers; `group` and `licence` ones ask for their target first. */
export type BulkAction =
  | "addToGroup"
  | "removeFromGroup"
  | "assignLicence"
  | "removeLicence"
  | "block"
  | "unblock"
  | "revokeSessions"
  | "deleteUsers"
  | "restore"
  | "deleteGroups"
  | "createUsers"
  | "inviteGuests";

export const ACTION_LABEL: Record<BulkAction, string> = {
  addToGroup: "Add to group",
  removeFromGroup: "Remove from group",
  assignLicence: "Assign licence",
  removeLicence: "Remove licence",
  block: "Block sign-in",
  unblock: "Unblock sign-in",
  revokeSessions: "Sign out everywhere",
  deleteUsers: "Delete",
  restore: "Restore",
  deleteGroups: "Delete groups",
  createUsers: "Create users",
  inviteGuests: "Invite guests",
};

/** What "will change" means for each action, after the count ("12 will be added"). */
const WILL: Record<BulkAction, string> = {
  addToGroup: "will be added",
  removeFromGroup: "will be removed",
  assignLicence: "will be given the licence",
  removeLicence: "will lose the licence",
  block: "will be blocked",
  unblock: "will be unblocked",
  revokeSessions: "will be signed out",
  deleteUsers: "will be deleted",
  restore: "will be restored",
  deleteGroups: "will be deleted",
  createUsers: "will be created",
  inviteGuests: "will be invited",
};

export function needsTarget(action: BulkAction): "group" | "licence" | null {
  if (action === "addToGroup" || action === "removeFromGroup") return "group";
  if (action === "assignLicence" || action === "removeLicence") return "licence";
  return null;
}

/** The job the Rust side runs, once the target (if any) is chosen. */
export function jobKind(action: BulkAction, target: { groupId?: string; skuId?: string; disabledPlans?: string[]; usageLocation?: string }): JobKind | null {
  switch (action) {
    case "addToGroup":
    case "removeFromGroup":
      return target.groupId ? { kind: action, groupId: target.groupId } : null;
    case "assignLicence":
      return target.skuId
        ? { kind: "assignLicence", skuId: target.skuId, disabledPlans: target.disabledPlans ?? [], usageLocation: target.usageLocation?.trim() || null }
        : null;
    case "removeLicence":
      return target.skuId ? { kind: "removeLicence", skuId: target.skuId } : null;
    default:
      return { kind: action };
  }
}

export function actionOf(kind: JobKind): BulkAction {
  return kind.kind;
}

/** The answer column: a short word and its colour. */
export function answerLabel(check: RowCheck): { text: string; color: "success" | "informative" | "warning" | "danger" } {
  switch (check.answer) {
    case "willChange":
      return { text: "Will change", color: "success" };
    case "already":
      return { text: "Skipped", color: "informative" };
    case "needsInput":
      return { text: "Needs input", color: "warning" };
    case "refused":
      return { text: "Refused", color: "danger" };
  }
}

export function checkReason(check: RowCheck): string {
  return check.answer === "willChange" ? (check.note ?? "") : check.reason;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "12 will be added, 3 already done — skipped, 1 needs input, 2 refused." */
export function previewSentence(action: BulkAction, rows: readonly JobRow[]): string {
  const count = (answer: RowCheck["answer"]) => rows.filter((r) => r.check.answer === answer).length;
  const will = count("willChange");
  const parts = [`${will.toLocaleString()} ${WILL[action]}`];
  const already = count("already");
  if (already > 0) parts.push(`${plural(already, "is", "are")} already so — skipped`);
  const input = count("needsInput");
  if (input > 0) parts.push(`${plural(input, "needs", "need")} something first`);
  const refused = count("refused");
  if (refused > 0) parts.push(`${plural(refused, "is", "are")} refused`);
  return `${parts.join(", ")}.`;
}

export type ResultFilter = "all" | "done" | "skipped" | "failed" | "notSent";

export function statusLabel(status: JobRow["status"]): string {
  switch (status) {
    case "planned":
      return "Not started";
    case "pending":
      return "Waiting";
    case "sending":
      return "Sending";
    case "done":
      return "Done";
    case "skipped":
      return "Skipped";
    case "failed":
      return "Failed";
    case "notSent":
      return "Not sent";
  }
}

export function matchesFilter(row: JobRow, filter: ResultFilter): boolean {
  return filter === "all" || row.status === filter;
}

/** How many rows are in each result. */
export function resultCounts(rows: readonly JobRow[]): Record<ResultFilter, number> {
  const counts: Record<ResultFilter, number> = { all: rows.length, done: 0, skipped: 0, failed: 0, notSent: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as ResultFilter] += 1;
  return counts;
}

/** Whether a job still has rows to send (it runs, or stopped mid-way). */
export function hasOpenRows(rows: readonly JobRow[]): boolean {
  return rows.some((r) => r.status === "pending" || r.status === "sending");
}

/** A job's results as a CSV file's header and rows (the Export results button). */
export function resultsCsv(rows: readonly JobRow[]): { header: string[]; rows: (string | null)[][] } {
  return {
    header: ["Row", "Name", "Object id", "Check", "Result", "Why", "Request id"],
    rows: rows.map((r) => [String(r.index), r.name, r.objectId, answerLabel(r.check).text, statusLabel(r.status), r.reason ?? checkReason(r.check), r.requestId ?? null]),
  };
}

/** Whether the preview has rows waiting for a usage location (Assign licence only). */
export function needsUsageLocation(action: BulkAction, rows: readonly JobRow[]): number {
  return action === "assignLicence" ? rows.filter((r) => r.check.answer === "needsInput").length : 0;
}
