import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceDir } from './support/e2e-env';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

/** Bytes a text editor would not write the same way: no final newline, a tab, CRLF, non-ASCII. */
const ORIGINAL = Buffer.from('deploy: blue\r\n\tregion: eu-west — “ü”\nreplicas: 3', 'utf8');
const REPLACEMENT = 'deploy: green\nreplicas: 5\n';

interface ReadFileAnswer {
  result: { status: string; output: { content: string; size: number } };
}

test('a tool run from the generated form, then its rollback from Actions, restores the exact bytes', async ({ page, adminApi }) => {
  test.setTimeout(60_000);
  const name = 'deploy-settings.yaml';
  const file = join(workspaceDir(), name);
  writeFileSync(file, ORIGINAL, { mode: 0o666 });

  await page.goto('/tools');
  await expect(page.getByRole('heading', { level: 1, name: 'Tools' })).toBeVisible();
  const catalogue = page.getByRole('table', { name: 'Tools' });
  await expect(catalogue.locator('tr[data-tool="write_file"]')).toContainText('SENSITIVE');
  await catalogue.getByRole('link', { name: 'write_file' }).click();
  await expect(page).toHaveURL(/\/tools\?tool=write_file$/);

  const form = page.getByRole('form', { name: 'Run write_file' });
  await form.getByLabel('Path').fill(name);
  await form.getByLabel('Content').fill(REPLACEMENT);
  // SENSITIVE: the form asks for a justification first.
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(form.getByRole('alert')).toHaveText('One field needs fixing before it can run.');
  await expect(form.getByLabel('Justification')).toBeFocused();
  await form.getByLabel('Justification').fill('the release switches the deployment to the green stack');
  await form.getByRole('button', { name: 'Run' }).click();

  const result = page.getByRole('article', { name: 'Tool run: write_file' });
  await expect(result).toHaveAttribute('data-status', 'completed');
  await expect(result).toContainText('Can be undone');
  const actionId = (await result.locator('[data-action-id]').getAttribute('data-action-id')) ?? '';
  expect(actionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(readFileSync(file, 'utf8')).toBe(REPLACEMENT);
  await expectAccessibleInThemes(page, 'tools with a run result');

  // Actions: the row says what a rollback restores, asks, then does it.
  await result.getByRole('link', { name: 'roll it back in Actions' }).click();
  await expect(page).toHaveURL(/\/actions\?tool=write_file$/);
  const row = page.locator(`tr[data-action-id="${actionId}"]`);
  await expect(row).toHaveAttribute('data-status', 'completed');
  await row.getByRole('button', { name: 'Roll back' }).click();
  const confirm = row.getByRole('group', { name: 'Roll back this action?' });
  await expect(confirm).toContainText('This will undo the action:');
  await confirm.getByLabel('Reason (optional)').fill('the green stack is not ready');
  await confirm.getByRole('button', { name: 'Yes, roll back' }).click();
  await expect(row.getByRole('status')).toContainText('Rolled back:');
  await expect(page.locator(`tr[data-action-id="${actionId}"][data-rolled-back="true"]`)).toBeVisible();

  // The same bytes as before, on disk and as the read_file tool reads them.
  expect(readFileSync(file).equals(ORIGINAL), 'the file’s bytes are the original ones').toBe(true);
  const read = await adminApi.post<ReadFileAnswer>('/api/tools/read_file/execute', { args: { path: name } });
  expect(read.result.output.content).toBe(ORIGINAL.toString('utf8'));
  expect(read.result.output.size).toBe(ORIGINAL.length);
  await expectAccessibleInThemes(page, 'actions after a rollback');
});
