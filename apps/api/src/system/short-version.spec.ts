import { shortVersion } from './system.service';

describe('shortVersion', () => {
  it('keeps the name and version of the database server, not its build details', () => {
    expect(
      shortVersion('PostgreSQL 15.8 (Debian 15.8-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit'),
    ).toBe('PostgreSQL 15.8');
    expect(
      shortVersion(
        'PostgreSQL 17.5 on x86_64-pc-linux-gnu, compiled by emcc (Emscripten gcc/clang-like replacement + linker emulating GNU ld) 3.1.74, 32-bit',
      ),
    ).toBe('PostgreSQL 17.5');
    expect(shortVersion('CockroachDB CCL v23.1')).toBe('CockroachDB CCL v23.1');
  });
});
