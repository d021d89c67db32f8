import { licenceChoiceOf } from './licence-choice';

describe('licenceChoiceOf', () => {
  it('reads an SPDX id in any case as the list spells it', () => {
    expect(licenceChoiceOf(' mit ')).toEqual({ kind: 'id', id: 'MIT' });
  });

  it('reads an expression of known ids, LicenseRefs and exceptions, ids spelt as the list does', () => {
    expect(licenceChoiceOf('(mit OR Apache-2.0) AND LicenseRef-Acme-1')).toEqual({
      kind: 'expression',
      expression: '(MIT OR Apache-2.0) AND LicenseRef-Acme-1',
    });
    expect(licenceChoiceOf('GPL-2.0-only WITH Classpath-exception-2.0')).toEqual({
      kind: 'expression',
      expression: 'GPL-2.0-only WITH Classpath-exception-2.0',
    });
  });

  it('takes words joined by AND or OR that are not SPDX ids for a licence name', () => {
    expect(licenceChoiceOf('Apache 2.0 OR MIT')).toEqual({ kind: 'name', name: 'Apache 2.0 OR MIT' });
    expect(licenceChoiceOf('BSD AND Public-Domain')).toEqual({ kind: 'name', name: 'BSD AND Public-Domain' });
  });
});
