// After the end-to-end run: no token anywhere (issue 14, item 12). Scans every file the app and the run
// wrote — the profiles' data, config, cache and home folders (local copies, accounts, rules, the practice
// tenant's state, WebKit's storage) and the run's logs (the app's log through tauri-driver, the scripted
// browser's, the captured desktop notifications) — for access and ID tokens, refresh tokens,
// authorization codes and PKCE verifiers. Tokens belong in memory and the OS keyring only; the keyring's
// own file is encrypted, so nothing in it matches.
//
// usage: node tests/e2e/scan-secrets.mjs DIR...   Prints each hit (file, kind, offset; never the secret)
// and `E2E-RESULT {"passed":1,"failed":0}` or `{"passed":0,"failed":1}`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const PATTERNS = [
  // Entra and the practice tenant sign access and ID tokens as JWTs: base64url JSON header and payload.
  { kind: "access or ID token (JWT)", re: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  // The practice tenant's refresh tokens and authorization codes ("1." + 64 base64url characters).
  { kind: "refresh token or authorization code", re: /(?<![A-Za-z0-9_.-])1\.[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])/g },
  // Any token, code or verifier written out with its name, as JSON or a form/query parameter.
  {
    kind: "named secret",
    re: /["']?(access_token|refresh_token|id_token|code_verifier|client_secret)["']?\s*[:=]\s*["']?[A-Za-z0-9_.~-]{16,}/g,
  },
  { kind: "authorization code in a URL", re: /[?&]code=[A-Za-z0-9_.~-]{16,}/g },
];

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** Every hit in the files under `dirs`: { file, kind, offset }. Binary files (SQLite) are read as latin1. */
export function scan(dirs) {
  const hits = [];
  let scanned = 0;
  for (const dir of dirs) {
    for (const file of files(dir)) {
      if (file.endsWith(".png")) continue; // screenshots are pixels
      if (statSync(file).size > 1024 * 1024 * 1024) continue;
      const text = readFileSync(file).toString("latin1");
      scanned++;
      for (const { kind, re } of PATTERNS) {
        for (const m of text.matchAll(re)) hits.push({ file, kind, offset: m.index });
      }
    }
  }
  return { hits, scanned };
}

// The scan must be able to fail: a planted token of each kind is found first.
function selfTest() {
  const dir = mkdtempSync(path.join(tmpdir(), "scan-secrets-"));
  try {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"aud":"https://graph.microsoft.com"}').toString("base64url")}.c2lnbmF0dXJlLWJ5dGVz`;
    const refresh = `1.${"Ab9_-".repeat(12)}Zz09`;
    writeFileSync(path.join(dir, "app.log"), `INFO signed in\nAuthorization: Bearer ${jwt}\n`);
    writeFileSync(path.join(dir, "copy.sqlite3"), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(refresh), Buffer.from([0])]));
    writeFileSync(path.join(dir, "form.txt"), "grant_type=authorization_code&code_verifier=Qm9yaW5nLXZlcmlmaWVyLXN0cmluZy0xMjM0NTY3ODkw");
    const kinds = new Set(scan([dir]).hits.map((h) => h.kind));
    for (const k of ["access or ID token (JWT)", "refresh token or authorization code", "named secret"]) {
      if (!kinds.has(k)) throw new Error(`the scan missed a planted ${k}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const dirs = process.argv.slice(2);
let ok = false;
try {
  selfTest();
  const { hits, scanned } = scan(dirs);
  for (const h of hits) console.log(`  token found: ${h.kind} in ${h.file} at byte ${h.offset}`);
  ok = hits.length === 0 && scanned > 0;
  console.log(`  ${ok ? "ok  " : "FAIL"} no token in the ${scanned} files the run left (profiles and logs)${scanned === 0 ? ": nothing was scanned" : ""}`);
} catch (e) {
  console.log(`  FAIL the token scan: ${e.message}`);
}
console.log(`E2E-RESULT ${JSON.stringify({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 })}`);
process.exit(ok ? 0 : 1);
