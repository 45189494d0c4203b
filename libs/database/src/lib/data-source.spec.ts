import { createDataSourceOptions, MIGRATIONS } from './data-source';

describe('createDataSourceOptions', () => {
  it('never synchronises the schema and never installs extensions behind the migrations', () => {
    const options = createDataSourceOptions({ url: 'postgres://x@localhost/db', embedded: false });
    expect(options).toMatchObject({ type: 'postgres', synchronize: false, installExtensions: false });
  });

  it('holds one connection for the embedded database and a pool for a server', () => {
    expect(createDataSourceOptions({ url: 'postgres://x@localhost/db', embedded: true }).extra).toMatchObject({ max: 1 });
    expect(createDataSourceOptions({ url: 'postgres://x@localhost/db', embedded: false }).extra).toMatchObject({ max: 10 });
  });

  it('lists migrations in timestamp order, each with a reversible down', () => {
    const timestamps = MIGRATIONS.map((migration) => Number(/(\d{13})$/.exec(migration.name)?.[1]));
    expect(timestamps.every(Number.isFinite)).toBe(true);
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    for (const Migration of MIGRATIONS) expect(typeof new Migration().down).toBe('function');
  });
});
