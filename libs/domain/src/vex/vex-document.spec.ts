import fc from 'fast-check';
import { ValidationError } from '../errors';
import { VEX_DETAIL_MAX_LENGTH } from '../finding/vex-decision';
import { toPurl } from '../dependency/purl';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import {
  parseVexDocument,
  parseVexJson,
  productMatches,
  productOf,
  VEX_DOCUMENT_LIMITS,
  type VexProduct,
} from './vex-document';

const SERIAL = 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79';

const cyclonedx = (vulnerabilities: unknown[], extra: Record<string, unknown> = {}) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: SERIAL,
  version: 1,
  vulnerabilities,
  ...extra,
});

const openvex = (statements: unknown[]) => ({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/2026-12',
  author: 'Security team',
  timestamp: '2026-12-12T00:00:00Z',
  version: 1,
  statements,
});

const problemsOf = (body: unknown) => {
  try {
    parseVexDocument(body);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return 'accepted';
};

describe('a CycloneDX VEX document', () => {
  it('gives each vulnerability’s analysis, its ids and aliases, and the purls it affects', () => {
    const parsed = parseVexDocument(
      cyclonedx(
        [
          {
            id: 'cve-2021-23337',
            references: [{ id: 'GHSA-35JH-R3H4-6JHM', source: { name: 'GitHub' } }],
            analysis: {
              state: 'not_affected',
              justification: 'code_not_reachable',
              detail: 'template() is never called',
            },
            affects: [
              { ref: `urn:cdx:${SERIAL.slice(9)}/1#pkg:npm/lodash@4.17.20` },
              { ref: 'pkg:npm/%40babel/core@7.0.0' },
              { ref: 'app-component' },
              { ref: 'not-a-purl' },
            ],
          },
          {
            id: 'GHSA-xxxx-yyyy-zzzz',
            analysis: { state: 'exploitable', response: ['update', 'will_not_fix'] },
            affects: [{ ref: `urn:cdx:${SERIAL.slice(9)}/1#pkg%3Apypi%2FDjango_Rest%401.0` }],
          },
          { id: 'CVE-2099-0001', analysis: { state: 'resolved_with_pedigree' }, affects: [] },
          { id: 'CVE-2099-0002', affects: [{ ref: 'pkg:npm/a@1' }] },
        ],
        { components: [{ 'bom-ref': 'app-component', purl: 'pkg:npm/app@2.0.0', name: 'app' }] },
      ),
    );
    expect(parsed.format).toBe('cyclonedx');
    expect(parsed.documentId).toBe(`${SERIAL}/1`);
    expect(parsed.statements).toEqual([
      {
        at: 'vulnerabilities[0]',
        vulnerability: 'cve-2021-23337',
        ids: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
        products: [
          productOf('pkg:npm/lodash@4.17.20'),
          productOf('pkg:npm/%40babel/core@7.0.0'),
          productOf('pkg:npm/app@2.0.0'),
        ],
        analysis: {
          state: 'not_affected',
          justification: 'code_not_reachable',
          responses: [],
          detail: 'template() is never called',
        },
      },
      expect.objectContaining({
        products: [productOf('pkg:pypi/django-rest@1.0')],
        analysis: {
          state: 'exploitable',
          justification: null,
          responses: ['update', 'will_not_fix'],
          detail: null,
        },
      }),
      expect.objectContaining({ analysis: expect.objectContaining({ state: 'resolved' }) }),
      expect.objectContaining({ vulnerability: 'CVE-2099-0002', analysis: null }),
    ]);
  });

  it('refuses what is malformed, naming the field path', () => {
    expect(problemsOf(cyclonedx([{ id: 'CVE-1', analysis: { state: 'maybe' } }]))).toEqual([
      { field: 'vulnerabilities[0].analysis.state', problem: expect.stringContaining('must be one of') },
    ]);
    expect(
      problemsOf(
        cyclonedx([{ id: 'CVE-1' }, { id: 'CVE-2', analysis: { state: 'in_triage', justification: 'x' } }]),
      ),
    ).toEqual([
      { field: 'vulnerabilities[1].analysis.justification', problem: 'only with state not_affected' },
    ]);
    expect(problemsOf(cyclonedx([{ id: 'CVE-1', analysis: { state: 'not_affected' } }]))).toEqual([
      {
        field: 'vulnerabilities[0].analysis.justification',
        problem: 'not_affected needs a justification or a detail',
      },
    ]);
    expect(problemsOf(cyclonedx([{ id: 7 }]))).toEqual([
      { field: 'vulnerabilities[0].id', problem: expect.stringContaining('string') },
    ]);
    expect(problemsOf(cyclonedx([{ id: 'CVE-1', affects: [{ ref: 1 }] }]))).toEqual([
      { field: 'vulnerabilities[0].affects[0].ref', problem: expect.stringContaining('string') },
    ]);
    expect(problemsOf({ bomFormat: 'CycloneDX' })).toEqual([
      { field: 'vulnerabilities', problem: expect.stringContaining('array') },
    ]);
    expect(problemsOf({ hello: 'world' })).toEqual([
      { field: 'body', problem: expect.stringContaining('OpenVEX') },
    ]);
  });

  it('keeps to its limits: statements, string lengths', () => {
    const many = Array.from({ length: VEX_DOCUMENT_LIMITS.statements + 1 }, () => ({ id: 'CVE-1' }));
    expect(problemsOf(cyclonedx(many))).toEqual([
      { field: 'vulnerabilities', problem: `must have at most ${VEX_DOCUMENT_LIMITS.statements} entries` },
    ]);
    expect(problemsOf(cyclonedx([{ id: 'C'.repeat(VEX_DOCUMENT_LIMITS.idLength + 1) }]))).toEqual([
      { field: 'vulnerabilities[0].id', problem: expect.stringContaining('at most') },
    ]);
  });
});

describe('an OpenVEX document', () => {
  it('maps its statuses and justifications onto VEX states, and its products (purls) onto packages', () => {
    const parsed = parseVexDocument(
      openvex([
        {
          vulnerability: { name: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'] },
          products: [
            { '@id': 'pkg:npm/lodash@4.17.20' },
            { '@id': 'https://example.com/app', identifiers: { purl: 'pkg:npm/lodash' } },
          ],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'template() is never called',
        },
        {
          vulnerability: { name: 'CVE-2099-0001' },
          products: [
            { '@id': 'https://example.com/app', subcomponents: [{ '@id': 'pkg:pypi/rg-alpha@1.0.0' }] },
          ],
          status: 'affected',
          action_statement: 'upgrade next sprint',
        },
        { vulnerability: 'CVE-2099-0002', products: ['pkg:npm/a@1'], status: 'fixed' },
        {
          vulnerability: { name: 'CVE-2099-0003' },
          products: [{ '@id': 'pkg:npm/a@1' }],
          status: 'under_investigation',
        },
      ]),
    );
    expect(parsed.format).toBe('openvex');
    expect(parsed.documentId).toBe('https://example.com/vex/2026-12');
    expect(parsed.statements.map((s) => [s.ids, s.products, s.analysis])).toEqual([
      [
        ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
        [productOf('pkg:npm/lodash@4.17.20'), productOf('pkg:npm/lodash')],
        {
          state: 'not_affected',
          justification: 'code_not_reachable',
          responses: [],
          detail: 'template() is never called',
        },
      ],
      [
        ['CVE-2099-0001'],
        [productOf('pkg:pypi/rg-alpha@1.0.0')],
        { state: 'exploitable', justification: null, responses: [], detail: 'upgrade next sprint' },
      ],
      [['CVE-2099-0002'], [productOf('pkg:npm/a@1')], expect.objectContaining({ state: 'resolved' })],
      [['CVE-2099-0003'], [productOf('pkg:npm/a@1')], expect.objectContaining({ state: 'in_triage' })],
    ]);
  });

  it('maps each of OpenVEX’s five justifications to the closest CycloneDX one', () => {
    const justified = (justification: string) =>
      parseVexDocument(
        openvex([{ vulnerability: { name: 'CVE-1' }, products: [], status: 'not_affected', justification }]),
      ).statements[0]!.analysis!.justification;
    expect(
      [
        'component_not_present',
        'vulnerable_code_not_present',
        'vulnerable_code_not_in_execute_path',
        'vulnerable_code_cannot_be_controlled_by_adversary',
        'inline_mitigations_already_exist',
      ].map(justified),
    ).toEqual([
      'code_not_present',
      'code_not_present',
      'code_not_reachable',
      'requires_environment',
      'protected_by_mitigating_control',
    ]);
  });

  it('refuses what is malformed, naming the field path', () => {
    expect(
      problemsOf(openvex([{ vulnerability: { name: 'CVE-1' }, products: [], status: 'perhaps' }])),
    ).toEqual([{ field: 'statements[0].status', problem: expect.stringContaining('must be one of') }]);
    expect(
      problemsOf(openvex([{ vulnerability: { name: 'CVE-1' }, products: [], status: 'not_affected' }])),
    ).toEqual([
      { field: 'statements[0].justification', problem: 'not_affected needs a justification or a detail' },
    ]);
    expect(
      problemsOf(
        openvex([
          { vulnerability: { name: 'CVE-1' }, products: [], status: 'not_affected', justification: 'meh' },
        ]),
      ),
    ).toEqual([{ field: 'statements[0].justification', problem: expect.stringContaining('must be one of') }]);
    expect(problemsOf(openvex([{ vulnerability: {}, products: [], status: 'fixed' }]))).toEqual([
      { field: 'statements[0].vulnerability.name', problem: expect.stringContaining('string') },
    ]);
    expect(
      problemsOf(openvex([{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': 5 }], status: 'fixed' }])),
    ).toEqual([{ field: 'statements[0].products[0].@id', problem: expect.stringContaining('string') }]);
  });
});

describe('free text', () => {
  it('longer than a detail may be is cut with an ellipsis, not a reason to refuse the document', () => {
    const text = 'x'.repeat(5000);
    const cut = `${'x'.repeat(VEX_DETAIL_MAX_LENGTH - 1)}…`;
    const [openVex] = parseVexDocument(
      openvex([
        { vulnerability: { name: 'CVE-1' }, products: [], status: 'not_affected', impact_statement: text },
      ]),
    ).statements;
    expect(openVex!.analysis).toEqual(expect.objectContaining({ state: 'not_affected', detail: cut }));
    const [cdx] = parseVexDocument(
      cyclonedx([{ id: 'CVE-1', analysis: { state: 'in_triage', detail: text } }]),
    ).statements;
    expect(cdx!.analysis!.detail).toBe(cut);
  });

  it('reads back the export’s words for what OpenVEX has no field for: false_positive and responses', () => {
    const [fp, responded, foreign] = parseVexDocument(
      openvex([
        {
          vulnerability: { name: 'CVE-1' },
          products: [],
          status: 'not_affected',
          justification: 'vulnerable_code_not_present',
          impact_statement: 'False positive: the advisory does not apply to this component. wrong package',
        },
        {
          vulnerability: { name: 'CVE-2' },
          products: [],
          status: 'affected',
          action_statement: 'Response: update to a fixed version; cannot be fixed. next sprint',
        },
        {
          vulnerability: { name: 'CVE-3' },
          products: [],
          status: 'affected',
          action_statement: 'Response: pray. Upgrade when you can.',
        },
      ]),
    ).statements;
    expect(fp!.analysis).toEqual({
      state: 'false_positive',
      justification: null,
      responses: [],
      detail: 'wrong package',
    });
    expect(responded!.analysis).toEqual({
      state: 'exploitable',
      justification: null,
      responses: ['update', 'can_not_fix'],
      detail: 'next sprint',
    });
    expect(foreign!.analysis).toEqual(
      expect.objectContaining({ responses: [], detail: 'Response: pray. Upgrade when you can.' }),
    );
  });
});

describe('products', () => {
  it('compare normalised: a versionless product is every version of its package', () => {
    expect(productMatches(productOf('pkg:npm/lodash')!, productOf('pkg:npm/lodash@4.17.20')!)).toBe(true);
    expect(productMatches(productOf('pkg:npm/lodash@4.17.21')!, productOf('pkg:npm/lodash@4.17.20')!)).toBe(
      false,
    );
    expect(
      productMatches(
        productOf('pkg:PyPI/Django_REST.framework@3.0')!,
        productOf('pkg:pypi/django-rest-framework@3.0')!,
      ),
    ).toBe(true);
    expect(productMatches(productOf('pkg:npm/lodash@1?arch=x#sub')!, productOf('pkg:npm/lodash@1')!)).toBe(
      true,
    );
    expect(productOf('not a purl')).toBeNull();
  });

  it('name each ecosystem’s packages as its purls and lock files do: npm and Packagist any case, Maven and Go as written', () => {
    const finding = (ecosystem: Ecosystem, name: string) => productOf(toPurl(ecosystem, name, '1.0.0'))!;
    const matches = (purl: string, f: VexProduct) => productMatches(productOf(purl)!, f);
    expect(matches('pkg:npm/JSONStream@1.0.0', finding('npm', 'JSONStream'))).toBe(true);
    expect(matches('pkg:npm/jsonstream@1.0.0', finding('npm', 'JSONStream'))).toBe(true);
    expect(matches('pkg:npm/%40Angular/Core@1.0.0', finding('npm', '@angular/core'))).toBe(true);
    expect(matches('pkg:composer/Monolog/Monolog@1.0.0', finding('Packagist', 'monolog/monolog'))).toBe(true);
    expect(matches('pkg:pypi/Django_Rest.Framework@1.0.0', finding('PyPI', 'django-rest-framework'))).toBe(
      true,
    );
    expect(matches('pkg:maven/org.example/Lib@1.0.0', finding('Maven', 'org.example:lib'))).toBe(false);
    expect(matches('pkg:golang/github.com/Azure/sdk@1.0.0', finding('Go', 'github.com/azure/sdk'))).toBe(
      false,
    );
  });
});

describe('a document as JSON text', () => {
  const refusal = (text: string) => {
    try {
      parseVexJson(text);
    } catch (error) {
      if (error instanceof ValidationError) return [error.code, error.details];
      throw error;
    }
    return 'accepted';
  };

  it('parses and checks it in one call', () => {
    const vex = cyclonedx([
      { id: 'CVE-2021-1', analysis: { state: 'resolved' }, affects: [{ ref: 'pkg:npm/a@1' }] },
    ]);
    expect(parseVexJson(JSON.stringify(vex))).toEqual(parseVexDocument(vex));
    expect(refusal('{"bomFormat": "CycloneDX",')).toEqual([
      'VEX_INVALID',
      [{ field: 'body', problem: 'must be a JSON document' }],
    ]);
  });

  // JSON.parse slows down more than linearly on nesting millions deep; no VEX nests past a dozen.
  it('refuses nesting deeper than any VEX document before parsing it', () => {
    const deep = `{"bomFormat": "CycloneDX", "x": ${'['.repeat(65)}${']'.repeat(65)}}`;
    expect(refusal(deep)).toEqual([
      'VEX_INVALID',
      [{ field: 'body', problem: 'must not be nested deeper than 64 levels' }],
    ]);
    expect(refusal(`{"x": "${'['.repeat(100)}"}`)).not.toContainEqual([
      { field: 'body', problem: expect.stringContaining('nested') },
    ]);
  });

  it('refuses NUL characters in what it keeps', () => {
    const vex = cyclonedx([
      { id: 'CVE-2021-1', analysis: { state: 'resolved', detail: 'a\u0000b' }, affects: [] },
    ]);
    expect(refusal(JSON.stringify(vex))).toEqual([
      'VEX_INVALID',
      [{ field: 'vulnerabilities[0].analysis.detail', problem: 'must not contain NUL characters' }],
    ]);
  });
});

describe('hostile input', () => {
  const refusedOrParsed = (body: unknown) => {
    try {
      parseVexDocument(body);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      expect(error.details.length).toBeGreaterThan(0);
    }
  };

  it('never throws anything but the validation error, whatever JSON arrives', () => {
    fc.assert(fc.property(fc.jsonValue(), refusedOrParsed), { numRuns: 500 });
  });

  it('nor when the shape is nearly right', () => {
    const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.constant(undefined));
    const analysis = fc.record(
      {
        state: fc.oneof(fc.constantFrom('not_affected', 'exploitable', 'resolved'), anything),
        justification: anything,
        response: anything,
        detail: anything,
      },
      { requiredKeys: [] },
    );
    const vulnerability = fc.record(
      {
        id: fc.oneof(fc.constant('CVE-2021-1'), anything),
        references: fc.oneof(fc.array(fc.record({ id: anything })), anything),
        analysis: fc.oneof(analysis, anything),
        affects: fc.oneof(
          fc.array(fc.record({ ref: fc.oneof(fc.constant('pkg:npm/a@1'), fc.string(), anything) })),
          anything,
        ),
      },
      { requiredKeys: [] },
    );
    const statement = fc.record(
      {
        vulnerability: fc.oneof(fc.record({ name: anything, aliases: anything }), anything),
        products: fc.oneof(
          fc.array(
            fc.oneof(
              fc.record({
                '@id': anything,
                identifiers: fc.record({ purl: anything }),
                subcomponents: anything,
              }),
              anything,
            ),
          ),
          anything,
        ),
        status: fc.oneof(
          fc.constantFrom('not_affected', 'affected', 'fixed', 'under_investigation'),
          anything,
        ),
        justification: anything,
        impact_statement: anything,
        action_statement: anything,
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      fc.record({
        bomFormat: fc.constant('CycloneDX'),
        serialNumber: anything,
        version: anything,
        components: fc.oneof(
          fc.array(fc.record({ 'bom-ref': anything, purl: anything, components: anything })),
          anything,
        ),
        vulnerabilities: fc.oneof(fc.array(vulnerability, { maxLength: 4 }), anything),
      }),
      fc.record({
        '@context': fc.oneof(fc.constant('https://openvex.dev/ns/v0.2.0'), anything),
        '@id': anything,
        statements: fc.oneof(fc.array(statement, { maxLength: 4 }), anything),
      }),
    );
    fc.assert(fc.property(document, refusedOrParsed), { numRuns: 2000 });
  });
});
