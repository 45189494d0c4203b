import { loadConfig, SENSITIVE_VARIABLES } from '@aegis/config';
import { effectiveConfig, maskUrl } from './effective-config';

describe('maskUrl', () => {
  it('masks the password and password-like query values, keeps the rest, withholds what is not a URL', () => {
    expect(maskUrl('postgres://aegis:s3cret@db:5432/aegis?sslmode=require')).toBe('postgres://aegis:****@db:5432/aegis?sslmode=require');
    expect(maskUrl('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:****@127.0.0.1:6379/0');
    expect(maskUrl('postgres://db/aegis?password=s3cret&application_name=aegis')).toBe(
      'postgres://db/aegis?password=****&application_name=aegis',
    );
    expect(maskUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434');
    expect(maskUrl('not a url s3cret')).toBe('****');
  });
});

describe('effectiveConfig', () => {
  it('marks every sensitive variable secret and never shows the JWT secret, passwords or tokens', () => {
    const config = loadConfig({
      JWT_SECRET: 'a-jwt-secret-that-is-long-enough-0123456789',
      ADMIN_PASSWORD: 'an admin password',
      METRICS_TOKEN: 'a-metrics-token-0123',
      OPENAI_API_KEY: 'sk-0123456789abcdefghij',
      OPENAI_BASE_URL: 'https://user:proxy-pass@proxy.example/v1',
    });
    const entries = effectiveConfig(config);
    expect(entries.filter((entry) => entry.secret).map((entry) => entry.key)).toEqual(
      [...SENSITIVE_VARIABLES].sort((a, b) => a.localeCompare(b)),
    );
    const text = JSON.stringify(entries);
    for (const secret of ['a-jwt-secret', 'an admin password', 'a-metrics-token', 'sk-0123456789', 'proxy-pass'])
      expect(text).not.toContain(secret);
    expect(entries.find((entry) => entry.key === 'OPENAI_API_KEY')?.value).toBe('sk-…ghij');
    expect(entries.find((entry) => entry.key === 'OPENAI_BASE_URL')?.value).toBe('https://user:****@proxy.example/v1');
  });
});
