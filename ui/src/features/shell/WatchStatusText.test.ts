import { describe, expect, it } from "vitest";
import { formatClock } from "../../lib/format";
import { describeWatchStatus } from "./WatchStatusText";

const at = (iso: string) => formatClock(iso)!;

describe("describeWatchStatus", () => {
  it("says when the directory was last checked and when it will be next", () => {
    expect(
      describeWatchStatus({ state: "watching", lastChecked: "2026-11-26T10:42:00Z", nextCheck: "2026-11-26T10:43:00Z", message: null, syncing: null, notice: null }),
    ).toBe(`Watching · last checked ${at("2026-11-26T10:42:00Z")}, next ${at("2026-11-26T10:43:00Z")}`);
  });

  it("says it is offline and when it retries", () => {
    expect(describeWatchStatus({ state: "offline", lastChecked: null, nextCheck: null, message: "timeout", syncing: null, notice: null })).toBe("Offline — retrying");
    expect(describeWatchStatus({ state: "offline", lastChecked: null, nextCheck: "2026-11-26T10:45:00Z", message: null, syncing: null, notice: null })).toBe(
      `Offline — retrying at ${at("2026-11-26T10:45:00Z")}`,
    );
  });

  it("names the quiet states plainly", () => {
    expect(describeWatchStatus({ state: "paused", lastChecked: null, nextCheck: null, message: null, syncing: null, notice: null })).toBe("Watching paused");
    expect(describeWatchStatus({ state: "syncing", lastChecked: null, nextCheck: null, message: null, syncing: null, notice: null })).toBe("Reading your directory…");
    expect(
      describeWatchStatus({ state: "syncing", lastChecked: null, nextCheck: null, message: null, syncing: { resource: "users", done: 42_000, about: null }, notice: null }),
    ).toBe("Reading your directory: 42,000 people so far");
    expect(describeWatchStatus({ state: "notWatching", lastChecked: null, nextCheck: null, message: null, syncing: null, notice: null })).toBe("Not watching");
  });
});
