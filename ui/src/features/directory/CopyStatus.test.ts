import { describe, expect, it } from "vitest";
import { syncText } from "./CopyStatus";

describe("first read progress", () => {
  it("says how far it has come, of about how many when Graph gave a count", () => {
    expect(syncText({ resource: "users", done: 42000, about: 100008 })).toBe(
      `Reading your directory: ${(42000).toLocaleString()} of about ${(100008).toLocaleString()} people`,
    );
    expect(syncText({ resource: "groups", done: 10, about: 200 })).toBe("Reading your directory: 10 of about 200 groups");
  });

  it("counts up alone without a count, or once the count is passed (it is only eventually consistent)", () => {
    expect(syncText({ resource: "users", done: 999, about: null })).toBe("Reading your directory: 999 people so far");
    expect(syncText({ resource: "users", done: 1200, about: 1000 })).toBe(`Reading your directory: ${(1200).toLocaleString()} people so far`);
  });
});
