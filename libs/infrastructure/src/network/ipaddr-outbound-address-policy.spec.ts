import fc from 'fast-check';
import {
  IpaddrOutboundAddressPolicy,
  parseAllowedHosts,
  splitAllowedHosts,
} from './ipaddr-outbound-address-policy';

// The ranges the issue names, written out here as the test's own oracle (the adapter asks ipaddr.js).
const FORBIDDEN_V4: readonly [number, number][] = [
  [ip4(127, 0, 0, 0), 8], // loopback
  [ip4(10, 0, 0, 0), 8], // RFC 1918
  [ip4(172, 16, 0, 0), 12],
  [ip4(192, 168, 0, 0), 16],
  [ip4(100, 64, 0, 0), 10], // carrier-grade NAT
  [ip4(169, 254, 0, 0), 16], // link-local, cloud metadata
  [ip4(0, 0, 0, 0), 8], // unspecified
  [ip4(224, 0, 0, 0), 4], // multicast
  [ip4(240, 0, 0, 0), 4], // reserved, broadcast
];
const FORBIDDEN_V6 = ['::1', '::', 'fc00::1', 'fd12:3456::7', 'fe80::1', 'ff02::1', 'ff05::2', '::7f00:1'];
const PUBLIC = ['8.8.8.8', '140.82.112.3', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'];

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

function inForbiddenV4(n: number): boolean {
  return FORBIDDEN_V4.some(([base, bits]) => bits === 0 || n >>> (32 - bits) === base >>> (32 - bits));
}

/** Any address inside one of the forbidden IPv4 ranges. */
const forbiddenV4 = fc
  .tuple(fc.constantFrom(...FORBIDDEN_V4), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([[base, bits], random]) => {
    const hostMask = bits === 32 ? 0 : 0xffffffff >>> bits;
    return ((base & ~hostMask) | (random & hostMask)) >>> 0;
  });

/** The ways the same IPv4 address can be written in a URL's host. */
const notations = (n: number): string[] => [
  dotted(n),
  String(n), // decimal
  `0x${n.toString(16)}`, // hex
  dotted(n)
    .split('.')
    .map((octet) => `0${Number(octet).toString(8)}`)
    .join('.'), // octal
  `${n >>> 24}.${n & 0xffffff}`, // short: 127.1
  `::ffff:${dotted(n)}`, // IPv4-mapped
  `[::ffff:${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}]`, // mapped, hex, bracketed
];

describe('IpaddrOutboundAddressPolicy', () => {
  const strict = new IpaddrOutboundAddressPolicy({ lookup: () => Promise.reject(new Error('no DNS here')) });

  it('refuses every address in a forbidden IPv4 range, in every notation', async () => {
    await fc.assert(
      fc.asyncProperty(forbiddenV4, async (n) => {
        for (const written of notations(n)) {
          const verdict = await strict.judge(written);
          expect([written, verdict]).toEqual([
            written,
            expect.objectContaining({ allowed: false, reason: 'forbidden', literal: true }),
          ]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('allows an address only outside every forbidden range (and pins it as written)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0xffffffff }), async (n) => {
        const verdict = await strict.judge(dotted(n));
        if (verdict.allowed) {
          expect(inForbiddenV4(n)).toBe(false);
          expect(verdict.pin).toEqual({ host: dotted(n), address: dotted(n), family: 4 });
        } else {
          expect(verdict.reason).toBe('forbidden');
        }
        // Mapped into IPv6 it is the same address, with the same verdict.
        expect((await strict.judge(`::ffff:${dotted(n)}`)).allowed).toBe(verdict.allowed);
      }),
      { numRuns: 2000 },
    );
  });

  it('allows only global unicast IPv6', async () => {
    await fc.assert(
      fc.asyncProperty(fc.ipV6(), async (written) => {
        const verdict = await strict.judge(written);
        if (verdict.allowed && verdict.pin.family === 6) {
          // 2000::/3: the first four bits are 001.
          const first = parseInt(verdict.pin.address.split(':')[0] || '0', 16);
          expect(first >> 13).toBe(1);
        }
      }),
      { numRuns: 1000 },
    );
    for (const written of FORBIDDEN_V6) {
      expect([written, await strict.judge(`[${written}]`)]).toEqual([
        written,
        expect.objectContaining({ allowed: false, reason: 'forbidden' }),
      ]);
    }
    for (const written of PUBLIC)
      expect([written, (await strict.judge(written)).allowed]).toEqual([written, true]);
  });

  it('names the range in words', async () => {
    const ranges = await Promise.all(
      [
        '127.0.0.1',
        '10.1.2.3',
        '169.254.169.254',
        '100.64.0.1',
        '0.0.0.0',
        '224.0.0.1',
        '[fc00::1]',
        '[fe80::1]',
      ].map(async (host) => {
        const verdict = await strict.judge(host);
        return verdict.allowed || verdict.reason !== 'forbidden' ? null : verdict.range;
      }),
    );
    expect(ranges).toEqual([
      'loopback',
      'private',
      'link-local',
      'carrier-grade NAT (shared)',
      'unspecified',
      'multicast',
      'unique local (private)',
      'link-local',
    ]);
  });

  it('resolves a name once, refuses it when any answer is forbidden, and pins the first answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...PUBLIC), forbiddenV4.map(dotted)), {
          minLength: 1,
          maxLength: 4,
        }),
        async (answers) => {
          const asked: string[] = [];
          const policy = new IpaddrOutboundAddressPolicy({
            lookup: (host) => {
              asked.push(host);
              return Promise.resolve(answers);
            },
          });
          const verdict = await policy.judge('Git.Example.COM');
          expect(asked).toEqual(['git.example.com']);
          const anyForbidden = answers.some((a) => !PUBLIC.includes(a));
          if (anyForbidden) {
            expect(verdict).toMatchObject({ allowed: false, reason: 'forbidden', literal: false });
          } else {
            expect(verdict).toEqual({
              allowed: true,
              pin: {
                host: 'git.example.com',
                address: answers[0],
                family: answers[0]!.includes(':') ? 6 : 4,
              },
            });
          }
        },
      ),
    );
  });

  it('calls a name that resolves to nothing unresolvable', async () => {
    expect(await strict.judge('nowhere.example')).toEqual({ allowed: false, reason: 'unresolvable' });
    const empty = new IpaddrOutboundAddressPolicy({ lookup: () => Promise.resolve([]) });
    expect(await empty.judge('nowhere.example')).toEqual({ allowed: false, reason: 'unresolvable' });
  });

  it('asks the system resolver the way git does: localhost and numeric names are the loopback', async () => {
    const system = new IpaddrOutboundAddressPolicy();
    for (const host of ['localhost', 'LOCALHOST', '2130706433', '0x7f000001', '127.1']) {
      expect([host, await system.judge(host)]).toEqual([
        host,
        expect.objectContaining({ allowed: false, reason: 'forbidden', range: 'loopback' }),
      ]);
    }
  });

  describe('what the operator opened (GIT_ALLOWED_HOSTS)', () => {
    it('opens addresses and CIDR ranges, nothing beside them', async () => {
      const opened = new IpaddrOutboundAddressPolicy({
        allowedHosts: ['127.0.0.1', '10.20.0.0/16', '[fd00::1]'],
        lookup: () => Promise.reject(new Error('no DNS here')),
      });
      await fc.assert(
        fc.asyncProperty(forbiddenV4, async (n) => {
          const inside = n === ip4(127, 0, 0, 1) || n >>> 16 === ip4(10, 20, 0, 0) >>> 16;
          expect((await opened.judge(dotted(n))).allowed).toBe(inside);
          expect((await opened.judge(`::ffff:${dotted(n)}`)).allowed).toBe(inside);
        }),
        { numRuns: 1000 },
      );
      expect((await opened.judge('[fd00::1]')).allowed).toBe(true);
      expect((await opened.judge('[fd00::2]')).allowed).toBe(false);
      expect((await opened.judge('127.0.0.2')).allowed).toBe(false);
    });

    it('trusts a named host whatever it resolves to, and only that name', async () => {
      const opened = new IpaddrOutboundAddressPolicy({
        allowedHosts: ['gitlab.internal'],
        lookup: () => Promise.resolve(['10.0.0.5']),
      });
      expect(await opened.judge('GitLab.Internal')).toEqual({
        allowed: true,
        pin: { host: 'gitlab.internal', address: '10.0.0.5', family: 4 },
      });
      expect(await opened.judge('other.internal')).toMatchObject({ allowed: false, reason: 'forbidden' });
      expect(await opened.judge('10.0.0.5')).toMatchObject({ allowed: false, reason: 'forbidden' });
    });

    it('reads a comma-separated list and refuses entries that are no host, address or range', () => {
      expect(splitAllowedHosts(' gitlab.internal, ,10.0.0.0/8,')).toEqual(['gitlab.internal', '10.0.0.0/8']);
      expect(parseAllowedHosts(['gitlab.internal', '10.0.0.0/8', '::1', '[fd00::]/8']).names).toEqual([
        'gitlab.internal',
      ]);
      for (const bad of [
        'http://x',
        '10.0.0.0/33',
        '10.0.0.0/8/1',
        '0x7f000001',
        '2130706433',
        '*.internal',
        'a b',
        'x/8',
      ]) {
        expect(() => parseAllowedHosts([bad])).toThrow(bad);
      }
    });
  });
});
