import { addressKey, isTrustedProxyList } from './source-address';

describe('addressKey', () => {
  it('keeps IPv4, also when mapped into IPv6', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by its /64, however the address is written', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('has a key for a missing address', () => {
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('isTrustedProxyList', () => {
  it.each(['loopback', '10.0.0.1', '10.0.0.0/8, 192.168.1.1', 'uniquelocal,linklocal', 'fd00::/8', '::1'])(
    'accepts %j',
    (value) => expect(isTrustedProxyList(value)).toBe(true),
  );

  it.each(['true', '1', '', 'localhost', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/x', 'loopback,'])(
    'refuses %j',
    (value) => expect(isTrustedProxyList(value)).toBe(false),
  );
});
