import { isUuid } from './uuid';

describe('isUuid', () => {
  it('takes canonical UUIDs of any version and case, nothing else', () => {
    expect(isUuid('3f2b8c1e-9a4d-4f6b-8e2a-1c3d5e7f9a0b')).toBe(true);
    expect(isUuid('3F2B8C1E-9A4D-1F6B-0E2A-1C3D5E7F9A0B')).toBe(true);
    for (const value of [
      'not-a-uuid',
      '',
      '3f2b8c1e9a4d4f6b8e2a1c3d5e7f9a0b',
      '{3f2b8c1e-9a4d-4f6b-8e2a-1c3d5e7f9a0b}',
      ' 3f2b8c1e-9a4d-4f6b-8e2a-1c3d5e7f9a0b',
      42,
      undefined,
    ]) {
      expect(isUuid(value)).toBe(false);
    }
  });
});
