// Export: the person chooses where in the system's save dialog, and Rust writes the file.

import { commands } from "../bindings.gen";
import { call } from "./errors";

/** Asks where to save a CSV file of `header` and `rows` and writes it there; the path, or null when cancelled. */
export function saveCsv(suggestedName: string, header: string[], rows: (string | null)[][]): Promise<string | null> {
  return call(commands.saveCsv(suggestedName, header, rows));
}
