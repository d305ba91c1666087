// The words of CSV import: what each kind is called and asks for, and the sentences that count a
// checked file's lines. Pure, so the dialog and its tests share them.

import type { ImportCheck, ImportKind, ImportLine } from "../../api";

export const IMPORT_KINDS: readonly ImportKind[] = ["createUsers", "inviteGuests", "addMembers", "assignLicences"];

export const KIND_LABEL: Record<ImportKind, string> = {
  createUsers: "Create users",
  inviteGuests: "Invite guests",
  addMembers: "Add members to a group",
  assignLicences: "Assign a licence",
};

export const KIND_HINT: Record<ImportKind, string> = {
  createUsers: "One new person per line: display name, sign-in name and a temporary password (they choose their own at first sign-in); job title, department and usage location if you like.",
  inviteGuests: "One guest per line: email address, and if you like a display name, whether Microsoft emails the invitation (yes or no), a message and a landing page.",
  addMembers: "One person per line, by sign-in name or email. Choose the group below.",
  assignLicences: "One person per line, by sign-in name or email, with the licence (its name as the Licences page shows it) and any services to switch off. One licence per file.",
};

/** The lines that stop the import: a problem, and not skipped. */
export function blockingLines(check: ImportCheck, skipped: ReadonlySet<number>): ImportLine[] {
  return check.lines.filter((l) => l.problem !== null && !skipped.has(l.line));
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "5 lines read from people.csv: 4 ready, 1 with a problem to fix or skip." */
export function checkSentence(check: ImportCheck, skipped: ReadonlySet<number>): string {
  const ready = check.lines.filter((l) => l.problem === null && !skipped.has(l.line)).length;
  const left = blockingLines(check, skipped).length;
  const parts = [`${ready.toLocaleString()} ready`];
  if (skipped.size > 0) parts.push(`${skipped.size.toLocaleString()} skipped`);
  if (left > 0) parts.push(`${plural(left, "line has a problem", "lines have a problem")} to fix or skip`);
  return `${plural(check.lines.length, "line", "lines")} read from ${check.fileName}: ${parts.join(", ")}.`;
}

/** A line's problem as shown: "Sign-in name: The sign-in name cannot contain a space." */
export function problemText(line: ImportLine): string {
  if (!line.problem) return "";
  return line.problem.column ? `${line.problem.column}: ${line.problem.reason}` : line.problem.reason;
}

/**
 * The cells sent to check a fixed line again: what was typed, and null for a secret cell left
 * empty (Rust keeps the one from the file; the window never had it).
 */
export function fixedCells(typed: readonly string[], secretColumn: number | null): (string | null)[] {
  return typed.map((t, i) => (i === secretColumn && t === "" ? null : t));
}

/** The lines as the table lists them: those with a problem first (so none is missed below the fold), then by line. */
export function linesInOrder(check: ImportCheck): ImportLine[] {
  return [...check.lines].sort((a, b) => Number(a.problem === null) - Number(b.problem === null) || a.line - b.line);
}
