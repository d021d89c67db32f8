import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';

/** A licence as a manifest states it, read as SPDX sees it. */
export type LicenceChoice =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'name'; readonly name: string };

const OPERATOR = /\s(?:AND|OR|WITH)\s/;
const TOKEN = /^[A-Za-z0-9.+:-]+$/;

/**
 * An SPDX licence id (any case, as the SPDX list spells it), an SPDX expression (ids and
 * `LicenseRef-`s joined by AND, OR, WITH), or else a licence known only by name.
 */
export function licenceChoiceOf(text: string): LicenceChoice {
  const trimmed = text.trim();
  const id = SPDX.fixupSpdxId(trimmed);
  if (id !== undefined) return { kind: 'id', id };
  if (OPERATOR.test(trimmed)) {
    const tokens = trimmed.split(/[\s()]+/).filter((t) => t !== '' && !['AND', 'OR', 'WITH'].includes(t));
    if (tokens.every((t) => TOKEN.test(t))) return { kind: 'expression', expression: trimmed };
  }
  return { kind: 'name', name: trimmed };
}
