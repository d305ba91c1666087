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
  const reader = new Reader(text);
  try {
    reader.document();
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at).split("\n");
    return { line: before.length, column: (before.at(-1) ?? "").length + 1, message: e.message };
  }
}

/** Reads a JSON text from the start, one method per part of the grammar; throws `Stop` at the first mistake. */
class Reader {
  private i = 0;

  constructor(private readonly text: string) {}

  /** One value and nothing after it. */
  document() {
    this.value();
    this.space();
    if (this.i < this.text.length) throw new Stop(this.i, `Unexpected ${this.describe()} after the end of the JSON.`);
  }

  private space() {
    while (this.i < this.text.length && " \t\r\n".includes(this.text.charAt(this.i))) this.i++;
  }

  private describe() {
    return this.i >= this.text.length ? "the end of the text" : `"${this.text[this.i]}"`;
  }

  private expect(what: string) {
    return new Stop(this.i, `Expected ${what}, found ${this.describe()}.`);
  }

  private string() {
    const text = this.text;
    this.i++; // the opening quote
    while (this.i < text.length && text[this.i] !== '"') {
      if (text[this.i] === "\\") {
        this.i++;
        if (text[this.i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 1, this.i + 5))) throw new Stop(this.i, "\\u must be followed by four hex digits.");
          this.i += 4;
        } else if (this.i >= text.length || !'"\\/bfnrt'.includes(text.charAt(this.i))) {
          throw new Stop(this.i, "Unknown escape after \\ (write \\\\ for a backslash).");
        }
      } else if (text.charCodeAt(this.i) < 0x20) {
        throw new Stop(this.i, "A line break inside quotes must be written \\n.");
      }
      this.i++;
    }
    if (this.i >= text.length) throw new Stop(this.i, 'A text in quotes is not closed: add the closing ".');
    this.i++;
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "'") throw new Stop(this.i, "Use double quotes (\") around text, not single quotes.");
    this.scalar();
  }

  private object() {
    this.sequence("}", () => {
      if (this.text[this.i] === "'") throw new Stop(this.i, "Use double quotes (\") around names, not single quotes.");
      if (this.text[this.i] !== '"') throw this.expect('a name in double quotes, like "displayName"');
      this.string();
      this.space();
      if (this.text[this.i] !== ":") throw this.expect('":" after the name');
      this.i++;
      this.value();
    });
  }

  private array() {
    this.sequence("]", () => this.value());
  }

  /** An object's members or an array's elements, `item` each, separated by commas, up to `close`. */
  private sequence(close: "}" | "]", item: () => void) {
    this.i++;
    this.space();
    if (this.text[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] === close) throw new Stop(this.i, `Remove the comma before ${close}.`);
      item();
      if (this.next(close)) return;
    }
  }

  /** After a member or an element: a comma (false: another follows) or the closing bracket (true). */
  private next(close: "}" | "]"): boolean {
    this.space();
    if (this.text[this.i] === ",") {
      this.i++;
      return false;
    }
    if (this.text[this.i] === close) {
      this.i++;
      return true;
    }
    throw this.expect(`"," or "${close}"`);
  }

  /** A number, true, false or null. */
  private scalar() {
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (number && number[0] !== "-") {
      this.i += number[0].length;
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    throw this.expect("a value (text in double quotes, a number, true, false, null, { or [)");
  }
}
