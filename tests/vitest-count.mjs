// Runs the UI's vitest suite and prints `E2E-RESULT {"passed":N,"failed":M}` for `cargo xtask test`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = join(mkdtempSync(join(tmpdir(), "vitest-")), "report.json");
const run = spawnSync(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
  { cwd: "ui", stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(out, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  if (report.numTotalTests === 0) failed += 1; // a suite that ran nothing is a failure
} catch (e) {
  console.error(`vitest wrote no report: ${e}`);
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`E2E-RESULT ${JSON.stringify({ passed, failed })}`);
process.exit(failed === 0 ? 0 : 1);
