import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { ValidationError } from '../../../errors';
import { MAX_SBOM_COMPONENTS } from './sbom-document';
import { describeSbom, sniffSbomFormat } from './sbom-format';

const fixture = manifestFixtures('sbom');

function refusal(text: string): { code: string; fields: string[] } {
  try {
    describeSbom(text);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { code: error.code, fields: error.details.map((d) => d.field) };
  }
  throw new Error('accepted');
}

describe('sniffSbomFormat', () => {
  it.each([
    ['app.cdx.json', 'cyclonedx-json'],
    ['app.cdx.xml', 'cyclonedx-xml'],
    ['app.spdx.json', 'spdx-json'],
  ])('%s is %s', (file, format) => {
    expect(sniffSbomFormat(fixture(file))).toBe(format);
  });

  it.each(['', 'name==1.0', '{"lockfileVersion": 3}', '[1]', '<project><dependencies/></project>'])(
    '%j is no SBOM',
    (text) => {
      expect(sniffSbomFormat(text)).toBeUndefined();
    },
  );
});

describe('describeSbom', () => {
  it('tells what an upload is: format, spec version, serial, what it describes, how many components', () => {
    expect(describeSbom(fixture('app.cdx.json'))).toStrictEqual({
      format: 'cyclonedx-json',
      specVersion: '1.5',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      rootName: 'acme-portal',
      rootVersion: '2.1.0',
      components: 10,
      fileName: 'sbom.cdx.json',
    });
    expect(describeSbom(fixture('app.cdx.xml'))).toMatchObject({
      format: 'cyclonedx-xml',
      specVersion: '1.6',
      rootName: 'acme-portal',
    });
    expect(describeSbom(fixture('app.spdx.json'))).toMatchObject({
      format: 'spdx-json',
      specVersion: 'SPDX-2.3',
      serialNumber: 'https://acme.example/spdx/acme-portal-2.1.0',
      rootName: 'acme-portal',
      rootVersion: '2.1.0',
      components: 6,
    });
  });

  it('refuses what is not an SBOM, naming bomFormat', () => {
    expect(refusal('{"lockfileVersion": 3}')).toStrictEqual({
      code: 'SBOM_FORMAT_UNSUPPORTED',
      fields: ['bomFormat'],
    });
    expect(refusal('hello')).toStrictEqual({ code: 'SBOM_FORMAT_UNSUPPORTED', fields: ['bomFormat'] });
  });

  it('refuses a spec version it does not read, naming specVersion or spdxVersion', () => {
    expect(refusal('{"bomFormat": "CycloneDX", "specVersion": "1.1"}')).toStrictEqual({
      code: 'SBOM_VERSION_UNSUPPORTED',
      fields: ['specVersion'],
    });
    expect(refusal('<bom xmlns="http://cyclonedx.org/schema/bom/1.0"></bom>')).toStrictEqual({
      code: 'SBOM_VERSION_UNSUPPORTED',
      fields: ['specVersion'],
    });
    expect(refusal('{"spdxVersion": "SPDX-2.1", "packages": []}')).toStrictEqual({
      code: 'SBOM_VERSION_UNSUPPORTED',
      fields: ['spdxVersion'],
    });
  });

  it('refuses a document it cannot read at all, naming the body', () => {
    expect(refusal('{"bomFormat": "CycloneDX", "specVersion": "1.6", ')).toStrictEqual({
      code: 'SBOM_INVALID',
      fields: ['body'],
    });
    expect(refusal('<!DOCTYPE bom [<!ENTITY x "y">]><bom/>')).toStrictEqual({
      code: 'SBOM_INVALID',
      fields: ['body'],
    });
  });

  it(`refuses more than ${MAX_SBOM_COMPONENTS} components, naming components`, () => {
    const components = Array.from({ length: MAX_SBOM_COMPONENTS + 1 }, () => ({}));
    expect(refusal(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components }))).toStrictEqual(
      {
        code: 'SBOM_TOO_MANY_COMPONENTS',
        fields: ['components'],
      },
    );
  });
});
