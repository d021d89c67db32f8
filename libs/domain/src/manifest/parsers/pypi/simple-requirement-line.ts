/**
 * Where the parts of a simple requirement line lie, filled by `scanSimpleRequirement` and reused
 * line after line, so recognising a line allocates nothing.
 */
export class SimpleRequirementLine {
  /** The name is `text.slice(0, nameEnd)`. */
  nameEnd = 0;
  /** True when the name is PEP 503 normal as written (`[a-z0-9]+(-[a-z0-9]+)*`). */
  normalName = false;
  /** Where the first clause starts; the line's length when it has none (a bare name). */
  specifierStart = 0;
  /** True when spaces or tabs stand between the clauses' tokens. */
  spaced = false;
  /** The version of a line's only clause when it is `==`, else `pinStart` is -1. */
  pinStart = -1;
  pinEnd = -1;
}

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const DOT = 0x2e;
const EQUALS = 0x3d;

/**
 * True when the trimmed line is `name` or `name` followed by comma-separated clauses `op version`,
 * with `op` one of `== != ~= <= >= < >` and `version` only digits and dots (`\d+(\.\d+)*`, two or
 * more parts after `~=`), spaces or tabs allowed between tokens. Such a line reads the same in
 * `parsePep508` and every check before it (no option, URL, path, archive, extras, marker, `${VAR}`
 * or comment can hide in it), so `at` gets its parts without a string, array or match object.
 * Anything else (`===`, wildcards, pre-releases, extras, markers, a bare name with a `.`, which may
 * name an archive, ...) returns false and is left to the general path, which also words its errors.
 */
export function scanSimpleRequirement(text: string, at: SimpleRequirementLine): boolean {
  const length = text.length;
  let i = 0;
  let normal = true;
  let dash = false;
  let dotted = false;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (isLowerOrDigit(code)) dash = false;
    else if (code === 0x2d) {
      // `--` is not normal, nor is a leading `-` (which also fails the name below).
      if (dash || i === 0) normal = false;
      dash = true;
    } else if ((code >= 0x41 && code <= 0x5a) || code === 0x5f || code === DOT) {
      if (code === DOT) dotted = true;
      normal = false;
      dash = false;
    } else break;
  }
  // PEP 508 names start and end with a letter or digit.
  if (i === 0 || !isAlphanumeric(text.charCodeAt(0)) || !isAlphanumeric(text.charCodeAt(i - 1))) return false;
  at.nameEnd = i;
  at.normalName = normal;
  at.pinStart = -1;
  at.pinEnd = -1;
  let spaced = false;
  let start = i;
  i = skipSpaces(text, i);
  // Only spaces or tabs may stand between the name and the first operator; a name ends at any other.
  at.specifierStart = i;
  if (i === length) {
    at.spaced = false;
    // A bare `x.whl`, `x.tar.gz`, ... is a local archive to the general path.
    return !dotted;
  }
  let clauses = 0;
  for (;;) {
    const operatorStart = i;
    i = operatorEnd(text, i);
    if (i < 0) return false;
    const isEquals = i - operatorStart === 2 && text.charCodeAt(operatorStart) === EQUALS;
    const compatible = text.charCodeAt(operatorStart) === 0x7e;
    start = i;
    i = skipSpaces(text, i);
    if (i !== start) spaced = true;
    const versionStart = i;
    i = releaseEnd(text, i, compatible ? 2 : 1);
    if (i < 0) return false;
    clauses++;
    if (clauses === 1 && isEquals) {
      at.pinStart = versionStart;
      at.pinEnd = i;
    }
    start = i;
    i = skipSpaces(text, i);
    if (i !== start) spaced = true;
    if (i === length) break;
    if (text.charCodeAt(i) !== COMMA) return false;
    start = ++i;
    i = skipSpaces(text, i);
    if (i !== start) spaced = true;
  }
  if (clauses > 1) at.pinStart = -1;
  at.spaced = spaced;
  return true;
}

/** The specifier the general path joins from the clauses: `op` + `version`, `,` between, no spaces. */
export function simpleSpecifier(text: string, at: SimpleRequirementLine): string {
  const written = text.slice(at.specifierStart);
  return at.spaced ? written.replace(/[\t ]+/g, '') : written;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  for (let code = text.charCodeAt(i); code === SPACE || code === TAB; code = text.charCodeAt(++i));
  return i;
}

/** The end of the operator at `from` (`==`, not `===`), or -1. */
function operatorEnd(text: string, from: number): number {
  const first = text.charCodeAt(from);
  const second = text.charCodeAt(from + 1);
  if (first === EQUALS || first === 0x21 || first === 0x7e) {
    if (second !== EQUALS) return -1;
    return first === EQUALS && text.charCodeAt(from + 2) === EQUALS ? -1 : from + 2;
  }
  if (first === 0x3c || first === 0x3e) return second === EQUALS ? from + 2 : from + 1;
  return -1;
}

/**
 * The end of `\d+(\.\d+)*` at `from` with at least `parts` parts, followed by the end, a space, a
 * tab or a comma; else -1.
 */
function releaseEnd(text: string, from: number, parts: number): number {
  let i = from;
  let count = 0;
  for (;;) {
    const start = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === start) return -1;
    count++;
    if (text.charCodeAt(i) !== DOT) break;
    i++;
  }
  if (count < parts) return -1;
  const next = text.charCodeAt(i);
  return i === text.length || next === SPACE || next === TAB || next === COMMA ? i : -1;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isLowerOrDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x61 && code <= 0x7a);
}

function isAlphanumeric(code: number): boolean {
  return isLowerOrDigit(code) || (code >= 0x41 && code <= 0x5a);
}
