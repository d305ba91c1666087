import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes commas and quotes, and starts with a BOM so Excel reads UTF-8", () => {
    const csv = toCsv(["Display name", "Department"], [["Fort, Garth", 'Sales "& Marketing"']]);
    expect(csv).toBe('\uFEFFDisplay name,Department\r\n"Fort, Garth","Sales ""& Marketing"""\r\n');
  });

  it("keeps formula-like cells as text", () => {
    const csv = toCsv(["Job title"], [["=HYPERLINK(\"x\")"], ["+1 425 555 0109"], [null]]);
    expect(csv.split("\r\n").slice(1, 4)).toEqual(['"\'=HYPERLINK(""x"")"', "'+1 425 555 0109", ""]);
  });
});
