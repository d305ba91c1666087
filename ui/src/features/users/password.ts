// A temporary password that meets Microsoft Entra's default policy: 16 characters from upper case, lower case,
// digits and symbols, with at least one of each, drawn with the Web Crypto random generator.
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
const SYMBOLS = "!#$%&*+-=?@^_";
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

function pick(set: string, random: number): string {
  return set[random % set.length] ?? set[0]!;
}

export function generatePassword(length = 16): string {
  const random = new Uint32Array(length + 4);
  crypto.getRandomValues(random);
  const chars = [pick(UPPER, random[0]!), pick(LOWER, random[1]!), pick(DIGITS, random[2]!), pick(SYMBOLS, random[3]!)];
  for (let i = 4; i < length; i++) chars.push(pick(ALL, random[i]!));
  // Shuffle so the guaranteed characters are not always first (Fisher–Yates with the remaining randoms).
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random[(i % 4) + length]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    random[(i % 4) + length] = Math.floor(random[(i % 4) + length]! / (i + 1));
  }
  return chars.join("");
}
