// Signs in as the admin and creates an API key, for scripts that test a running Aegis (scripts/compose-smoke.sh).
// Usage: ADMIN_PASSWORD=… node scripts/mint-api-key.mjs URL [USERNAME]   prints the key (shown once by the API).
const [url, username = 'admin'] = process.argv.slice(2);
const password = process.env.ADMIN_PASSWORD;
if (!url || !password) {
  process.stderr.write('usage: ADMIN_PASSWORD=… node scripts/mint-api-key.mjs URL [USERNAME]\n');
  process.exit(2);
}

async function expectStatus(response, status, what) {
  if (response.status === status) return;
  process.stderr.write(`${what} answered ${response.status}: ${await response.text()}\n`);
  process.exit(1);
}

const json = { 'content-type': 'application/json' };
const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username, password }) });
await expectStatus(login, 200, 'signing in');
// The session cookies are Secure; sent by hand they also work over the plain HTTP of a local test stack.
const cookies = new Map(
  login.headers.getSetCookie().map((line) => {
    const pair = line.split(';')[0];
    return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
  }),
);
const created = await fetch(`${url}/api/api-keys`, {
  method: 'POST',
  headers: {
    ...json,
    cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    'x-csrf-token': cookies.get('csrf_token') ?? '',
  },
  body: JSON.stringify({ name: 'compose smoke' }),
});
await expectStatus(created, 201, 'creating the API key');
const { key } = await created.json();
process.stdout.write(`${key}\n`);
