// A scripted "browser" for the end-to-end test: opens the sign-in page the app asked for, picks the
// account named by E2E_SIGNIN_UPN on the practice tenant's sign-in page, and follows the redirects
// back to the app's loopback listener, as a person clicking in a real browser would.
const start = process.argv[2];
const upn = (process.env.E2E_SIGNIN_UPN ?? "").toLowerCase();
const log = (m) => console.log(`[browser ${new Date().toISOString()}] ${m}`);

function redactUrl(u) {
  // Never write codes or state to the log.
  const url = new URL(u);
  for (const k of ["code", "state", "code_challenge", "nonce"]) if (url.searchParams.has(k)) url.searchParams.set(k, "…");
  return url.toString();
}

async function main() {
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    log(`GET ${redactUrl(url)}`);
    const res = await fetch(url, { redirect: "manual" });
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location"), url).toString();
      continue;
    }
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${res.status} from ${redactUrl(url)}: ${body.slice(0, 300)}`);
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?\?/.test(url);
    if (loopback) {
      log(`the app answered: ${body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 120)}`);
      return;
    }
    // The sign-in page: one link per account, <a class="account" data-upn="…" href="…">.
    const links = [...body.matchAll(/<a\b[^>]*>/g)].map((m) => m[0]);
    const accounts = links
      .map((tag) => ({ upn: /data-upn="([^"]*)"/.exec(tag)?.[1], href: /href="([^"]*)"/.exec(tag)?.[1] }))
      .filter((a) => a.upn && a.href);
    if (accounts.length === 0) throw new Error(`no account to choose on ${redactUrl(url)}`);
    const pick = accounts.find((a) => a.upn.toLowerCase() === upn) ?? accounts[0];
    log(`choosing ${pick.upn}`);
    url = new URL(pick.href.replaceAll("&amp;", "&"), url).toString();
  }
  throw new Error("too many redirects");
}

main().catch((e) => {
  log(`failed: ${e.message}`);
  process.exit(1);
});
