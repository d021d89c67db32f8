import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';

/** A licence as a manifest states it, read as SPDX sees it. */
export type LicenceChoice =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'name'; readonly name: string };

const OPERATOR = /\s(?:AND|OR|WITH)\s/;
const LICENSE_REF = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

/**
 * An SPDX licence id (any case, as the SPDX list spells it), an SPDX expression (known ids,
 * exceptions and `LicenseRef-`s joined by AND, OR, WITH), or else a licence known only by name:
 * `Apache 2.0 OR MIT` reads like an expression but `Apache` and `2.0` are no SPDX ids.
 */
export function licenceChoiceOf(text: string): LicenceChoice {
  const trimmed = text.trim();
  const id = SPDX.fixupSpdxId(trimmed);
  if (id !== undefined) return { kind: 'id', id };
  const expression = OPERATOR.test(trimmed) ? spdxExpressionOf(trimmed) : undefined;
  return expression === undefined ? { kind: 'name', name: trimmed } : { kind: 'expression', expression };
}

/** The expression with each id as the SPDX list spells it; undefined when a term is no SPDX id. */
function spdxExpressionOf(text: string): string | undefined {
  const parts = text.split(/(\s+|\(|\))/).filter((part) => part !== '');
  const spelt: string[] = [];
  for (const part of parts) {
    if (/^\s+$|^[()]$|^(?:AND|OR|WITH)$/.test(part) || LICENSE_REF.test(part)) {
      spelt.push(part);
      continue;
    }
    const id = SPDX.fixupSpdxId(part);
    if (id === undefined) return undefined;
    spelt.push(id);
  }
  return spelt.join('');
}
