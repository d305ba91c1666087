// What the Rust side's local copy does with a DirectoryQuery (watch::read), over an in-memory list: word-prefix
// search (case and accents folded), criteria, sort by a column, and a window with the total. The UI tests answer query_users / query_groups / query_group_members with it.
import type { DirectoryQuery, LocalCriterion } from "../api";

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const words = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function matchesText(row: Record<string, unknown>, text: string | null): boolean {
  const wanted = words(text ?? "");
  if (wanted.length === 0) return true;
  const have = Object.values(row)
    .flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]))
    .filter((v): v is string => typeof v === "string")
    .flatMap(words);
  return wanted.every((w) => have.some((h) => h.startsWith(w)));
}

function matchesCriterion(row: Record<string, unknown>, c: LocalCriterion): boolean {
  const value = row[c.property];
  const want = fold(c.value.trim());
  if (c.op === "any") return Array.isArray(value) && value.some((v) => typeof v === "string" && fold(v) === want);
  if (typeof value !== "string" && typeof value !== "boolean" && typeof value !== "number") return false;
  const have = fold(String(value));
  return c.op === "equals" ? have === want : have.startsWith(want);
}

export function copyPage<Row extends object>(
  all: readonly Row[],
  query: DirectoryQuery,
  extra: { asOf?: string | null } = {},
) {
  const matching = all.filter((r) => {
    const row = r as Record<string, unknown>;
    return matchesText(row, query.text ?? null) && (query.criteria ?? []).every((c) => matchesCriterion(row, c));
  });
  const key = query.sort ?? "displayName";
  const text = (r: Row) => {
    const v = (r as Record<string, unknown>)[key];
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
  };
  const sorted = [...matching].sort((a, b) => text(a).localeCompare(text(b), undefined, { sensitivity: "base" }));
  if (query.descending) sorted.reverse();
  const offset = query.offset ?? 0;
  const limit = Math.min(query.limit || 500, 500);
  return {
    total: sorted.length,
    offset,
    rows: sorted.slice(offset, offset + limit),
    asOf: extra.asOf === undefined ? "2026-11-26T10:42:00Z" : extra.asOf,
  };
}
