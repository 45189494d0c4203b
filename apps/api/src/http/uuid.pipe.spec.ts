import { type AegisError, ErrorCode } from '@aegis/contracts';
import { UuidPipe } from './uuid.pipe';

describe('UuidPipe', () => {
  it('passes a UUID through and refuses anything else with VALIDATION_FAILED', () => {
    const pipe = new UuidPipe();
    expect(pipe.transform('3f2b8c1e-9a4d-4f6b-8e2a-1c3d5e7f9a0b')).toBe('3f2b8c1e-9a4d-4f6b-8e2a-1c3d5e7f9a0b');
    expect(() => pipe.transform('not-a-uuid')).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed }) as AegisError);
  });
});
