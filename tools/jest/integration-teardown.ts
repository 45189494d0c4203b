export default async function teardown(): Promise<void> {
  await globalThis.__AEGIS_PG_CLUSTER__?.stop();
}
