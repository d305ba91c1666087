import { useState } from "react";
import type { DirectoryQuery } from "../api";
import { useDebounced } from "../lib/useDebounced";
import type { Choice } from "./SearchPicker";

/** How many rows a picker reads from the local copy, and how many of them it offers. */
const READ = 60;
const OFFERED = 50;

/**
 * What a picker over the local copy searches: the text typed (`query`, for the input) and the window
 * to read for it, asked 100 ms after the last keystroke.
 */
export function usePickerSearch() {
  const [query, setQuery] = useState("");
  const text = useDebounced(query.trim(), 100);
  const copyQuery: DirectoryQuery = { text: text || null, criteria: [], sort: null, descending: false, offset: 0, limit: READ };
  return { query, setQuery, copyQuery };
}

/** The first rows read that `toChoice` keeps (null: left out), as a picker's options. */
export function firstChoices<Row>(rows: readonly Row[] | undefined, toChoice: (row: Row) => Choice | null): Choice[] {
  const out: Choice[] = [];
  for (const row of rows ?? []) {
    const choice = toChoice(row);
    if (!choice) continue;
    out.push(choice);
    if (out.length >= OFFERED) break;
  }
  return out;
}
