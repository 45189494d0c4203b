import { maskKey, REDACTED, SecretScrubber } from './secret-scrubber';

describe('SecretScrubber', () => {
  const ours = 'plain-looking-key-7d3f9a';
  const scrubber = new SecretScrubber([ours, 'abc']);

  it('replaces our configured keys wherever they appear', () => {
    expect(scrubber.scrub(`upstream said: invalid key ${ours}!`)).toBe(`upstream said: invalid key ${REDACTED}!`);
    expect(scrubber.scrub(`${ours}${ours}`)).toBe(`${REDACTED}${REDACTED}`);
  });

  it('replaces vendor-shaped keys and credentials it was not told about', () => {
    const text = [
      'key sk-proj-AbCdEfGh12345678 used',
      'anthropic sk-ant-api03-zzzzzzzzzzzz',
      'groq gsk_0123456789abcdef',
      'google AIzaSyA1234567890abcdefgh',
      'header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload',
      '{"x-api-key":"whatever-value-1"}',
      'url ?api_key=secretvalue&x=1',
    ].join('\n');
    const out = scrubber.scrub(text);
    for (const leaked of [
      'AbCdEfGh12345678',
      'zzzzzzzzzzzz',
      '0123456789abcdef',
      'AIzaSyA1234567890abcdefgh',
      'eyJhbGciOiJIUzI1NiJ9',
      'whatever-value-1',
      'secretvalue',
    ]) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('Bearer [redacted]');
    expect(out).toContain('x=1');
  });

  it('leaves ordinary text alone and ignores values too short to recognise', () => {
    expect(scrubber.scrub('the abc of retries: HTTP 500 after 3 attempts')).toBe('the abc of retries: HTTP 500 after 3 attempts');
  });
});

describe('maskKey', () => {
  it('shows the first three and last four characters of a real-length key', () => {
    expect(maskKey('sk-proj-0123456789abcdefabcd')).toBe('sk-…abcd');
    expect(maskKey('AIzaSyA1234567890abcdefWXYZ')).toBe('AIz…WXYZ');
  });

  it('shows less of short keys and nothing of tiny ones', () => {
    expect(maskKey('short-key-42')).toBe('…42');
    expect(maskKey('tiny')).toBe('…');
  });
});
