/** Where a JSON text goes wrong, in words a person can act on. */
export type JsonMistake = { line: number; column: number; message: string };

/** Thrown at the first mistake; `at` is its offset in the text. */
class Stop extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks a JSON text and says where the first mistake is (line and column count from 1). WebKit's
 * JSON.parse says no position at all, so this reads the text itself; Rust checks it again before sending.
 * Returns null for valid JSON.
 */
export function jsonMistake(text: string): JsonMistake | null {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\r\n".includes(text.charAt(i))) i++;
  };
  const describe = () => (i >= text.length ? "the end of the text" : `"${text[i]}"`);
  const expect = (what: string) => new Stop(i, `Expected ${what}, found ${describe()}.`);

  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Stop(i, "\\u must be followed by four hex digits.");
          i += 4;
        } else if (i >= text.length || !'"\\/bfnrt'.includes(text.charAt(i))) {
          throw new Stop(i, "Unknown escape after \\ (write \\\\ for a backslash).");
        }
      } else if (text.charCodeAt(i) < 0x20) {
        throw new Stop(i, "A line break inside quotes must be written \\n.");
      }
      i++;
    }
    if (i >= text.length) throw new Stop(i, "A text in quotes is not closed: add the closing \".");
    i++;
  };

  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] === "}") throw new Stop(i, "Remove the comma before }.");
        if (text[i] === "'") throw new Stop(i, "Use double quotes (\") around names, not single quotes.");
        if (text[i] !== '"') throw expect('a name in double quotes, like "displayName"');
        string();
        space();
        if (text[i] !== ":") throw expect('":" after the name');
        i++;
        value();
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        throw expect('"," or "}"');
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] === "]") throw new Stop(i, "Remove the comma before ].");
        value();
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        throw expect('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === "'") throw new Stop(i, "Use double quotes (\") around text, not single quotes.");
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number && number[0] !== "-") {
      i += number[0].length;
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    throw expect("a value (text in double quotes, a number, true, false, null, { or [)");
  };

  try {
    value();
    space();
    if (i < text.length) throw new Stop(i, `Unexpected ${describe()} after the end of the JSON.`);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at).split("\n");
    return { line: before.length, column: (before.at(-1) ?? "").length + 1, message: e.message };
  }
}
