import { hexHash, mergeMetadata, metadataOf, sriHashes, withMetadata } from './dependency-metadata';
import type { ParsedDependency } from './manifest.types';

// `printf 'hello' | openssl dgst -sha512 -binary | base64` and its hex, and the same for sha1.
const HELLO_SHA512_B64 =
  'm3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==';
const HELLO_SHA512_HEX =
  '9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043';
const HELLO_SHA1_B64 = 'qvTGHdzF6KLavt4PO0gs2a6pQ00=';
const HELLO_SHA1_HEX = 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d';

const base: ParsedDependency = {
  ecosystem: 'npm',
  name: 'left-pad',
  version: '1.3.0',
  scope: 'runtime',
  direct: true,
  manifestPath: 'package-lock.json',
};

describe('sriHashes', () => {
  it('turns sha512 and sha1 integrity strings into lower-case hex digests', () => {
    expect(sriHashes(`sha512-${HELLO_SHA512_B64}`)).toStrictEqual([
      { algorithm: 'SHA-512', content: HELLO_SHA512_HEX },
    ]);
    expect(sriHashes(`sha1-${HELLO_SHA1_B64} sha512-${HELLO_SHA512_B64}`)).toStrictEqual([
      { algorithm: 'SHA-1', content: HELLO_SHA1_HEX },
      { algorithm: 'SHA-512', content: HELLO_SHA512_HEX },
    ]);
  });

  it.each([
    ['not a string', 42],
    ['an unknown algorithm', `sha3-${HELLO_SHA1_B64}`],
    ['base64 of the wrong length', 'sha512-qvTGHdzF6KLavt4PO0gs2a6pQ00='],
    ['characters base64 does not have', 'sha1-qvTGHdzF6KLavt4PO0gs2a6pQ0!='],
    ['an empty digest', 'sha512-'],
  ])('ignores %s', (_, integrity) => {
    expect(sriHashes(integrity)).toStrictEqual([]);
  });

  it('accepts the URL-safe alphabet and an SRI option suffix', () => {
    const urlSafe = HELLO_SHA512_B64.replace(/\+/g, '-').replace(/\//g, '_');
    expect(sriHashes(`sha512-${urlSafe}?opt`)).toStrictEqual([
      { algorithm: 'SHA-512', content: HELLO_SHA512_HEX },
    ]);
  });
});

describe('hexHash', () => {
  it('keeps a hex digest of the algorithm’s length, lower-cased', () => {
    expect(hexHash('SHA-1', HELLO_SHA1_HEX.toUpperCase())).toStrictEqual([
      { algorithm: 'SHA-1', content: HELLO_SHA1_HEX },
    ]);
    expect(hexHash('SHA-256', HELLO_SHA1_HEX)).toStrictEqual([]);
    expect(hexHash('SHA-1', '')).toStrictEqual([]);
    expect(hexHash('SHA-1', null)).toStrictEqual([]);
  });
});

describe('metadataOf and withMetadata', () => {
  it('leaves out what is empty, sorts and removes repeats, keeps an empty graph', () => {
    const meta = metadataOf({
      hashes: [
        { algorithm: 'SHA-512', content: 'bb' },
        { algorithm: 'SHA-1', content: 'aa' },
        { algorithm: 'SHA-1', content: 'aa' },
      ],
      licenses: ['MIT', ' ', 'Apache-2.0', 'MIT', 7],
      dependsOn: [],
    });
    expect(meta).toStrictEqual({
      hashes: [
        { algorithm: 'SHA-1', content: 'aa' },
        { algorithm: 'SHA-512', content: 'bb' },
      ],
      licenses: ['Apache-2.0', 'MIT'],
      dependsOn: [],
    });
    expect(withMetadata(base, metadataOf({ licenses: [] }))).toStrictEqual(base);
    expect(withMetadata(base, meta)).toStrictEqual({ ...base, ...meta });
  });

  it('merges two copies as the union of their hashes, licences and edges, in one order whichever comes first', () => {
    const a = metadataOf({
      hashes: [{ algorithm: 'SHA-1', content: 'aa' }],
      dependsOn: [{ name: 'b', version: '2.0.0' }],
    });
    const b = metadataOf({
      licenses: ['MIT'],
      dependsOn: [
        { name: 'a', version: '1.0.0' },
        { name: 'b', version: '2.0.0' },
      ],
    });
    const expected = {
      hashes: [{ algorithm: 'SHA-1', content: 'aa' }],
      licenses: ['MIT'],
      dependsOn: [
        { name: 'a', version: '1.0.0' },
        { name: 'b', version: '2.0.0' },
      ],
    };
    expect(mergeMetadata(a, b)).toStrictEqual(expected);
    expect(mergeMetadata(b, a)).toStrictEqual(expected);
    // A graph one copy knows and the other does not say is kept.
    expect(mergeMetadata({}, { dependsOn: [] })).toStrictEqual({ dependsOn: [] });
    expect(mergeMetadata({}, {})).toStrictEqual({});
  });

  it('drops licences no tool would write (over-long), and caps how many one package keeps', () => {
    const many = Array.from({ length: 100 }, (_, i) => `L-${String(i).padStart(3, '0')}`);
    const meta = metadataOf({ licenses: ['x'.repeat(10_000), ...many] });
    expect(meta.licenses).toHaveLength(32);
    expect(meta.licenses?.[0]).toBe('L-000');
  });
});
