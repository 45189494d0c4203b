import { answer } from '@aegis/testing';
import { sendMessage } from './support/chat-page';
import { apiSessionOf, watchedPage } from './support/cockpit-helpers';
import { E2E_ADMIN } from './e2e-admin';
import { expect, expectAccessibleInThemes, test } from './support/fixtures';

interface Totals {
  costMicroDollars: number;
  inputTokens: number;
  outputTokens: number;
  requests: number;
}

interface Timeseries {
  days: string[];
  series: { key: string; totals: Totals }[];
}

/** The usage the fake model reports for the one answer of this test. */
const USAGE = { inputTokens: 180_000, outputTokens: 45_000 };

async function openaiTotals(playwright: Parameters<typeof apiSessionOf>[0], testInfo: Parameters<typeof apiSessionOf>[1]): Promise<Totals> {
  const admin = await apiSessionOf(playwright, testInfo, E2E_ADMIN);
  const usage = await admin.api.get<Timeseries>('/api/usage/timeseries?groupBy=provider');
  await admin.dispose();
  return (
    usage.series.find((series) => series.key === 'openai')?.totals ?? { costMicroDollars: 0, inputTokens: 0, outputTokens: 0, requests: 0 }
  );
}

test('providers and costs: the usage the fake model reported is in the chart’s table, per provider', async ({
  operatorPage,
  fakeLlm,
  browser,
  adminCookies,
  playwright,
}, testInfo) => {
  test.setTimeout(60_000);
  const before = await openaiTotals(playwright, testInfo);
  fakeLlm.enqueue('openai', answer({ text: ['The release is on Thursday.'], usage: USAGE }));
  await sendMessage(operatorPage, 'When is the release?');
  await expect(operatorPage.getByText('The release is on Thursday.')).toBeVisible();
  await expect
    .poll(async () => {
      const now = await openaiTotals(playwright, testInfo);
      return [now.inputTokens - before.inputTokens, now.outputTokens - before.outputTokens];
    })
    .toEqual([USAGE.inputTokens, USAGE.outputTokens]);
  const after = await openaiTotals(playwright, testInfo);
  expect(after.costMicroDollars, 'gpt-4.1-mini has a price').toBeGreaterThan(before.costMicroDollars);

  // The admin's screen, in a context of its own.
  const context = await browser.newContext();
  await context.addCookies(adminCookies);
  const { page, errors } = await watchedPage(context);
  await page.goto('/providers');
  await expect(page.getByRole('heading', { level: 1, name: 'Providers and costs' })).toBeVisible();
  const providers = page.getByRole('region', { name: 'Providers' });
  await expect(providers).toContainText('openai');

  // Cost: the chart has its words, the table its column for openai with the range's total.
  const chart = page.getByTestId('usage-chart');
  await expect(chart).toHaveAttribute('aria-label', /openai \$/);
  const costTable = page.getByRole('region', { name: /^Cost \(USD\) per day by provider.*\(table\)$/ });
  await expect(costTable.getByRole('columnheader', { name: 'openai' })).toBeVisible();
  const usd = after.costMicroDollars / 1_000_000;
  const money = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: usd < 1 ? 4 : 2,
  });
  await expect(costTable.locator('tfoot td[data-label="openai"]')).toHaveText(money.format(usd));
  await expect(page.locator('canvas').first()).toBeVisible();

  // Tokens: the exact numbers the fake reported, summed with the run's earlier answers.
  await page.getByLabel('Show').selectOption('tokens');
  await expect(page).toHaveURL(/metric=tokens/);
  const tokenTable = page.getByRole('region', { name: /^Tokens per day by provider.*\(table\)$/ });
  const tokens = after.inputTokens + after.outputTokens;
  await expect(tokenTable.locator('tfoot td[data-label="openai"]')).toHaveText(`${tokens.toLocaleString('en-US')} tokens`);
  const today = new Date().toISOString().slice(0, 10);
  await expect(tokenTable.getByRole('row', { name: new RegExp(`^${today}`) }).locator('td[data-label="openai"]')).not.toHaveText(
    '0 tokens',
  );
  await expectAccessibleInThemes(page, 'providers and costs');
  await context.close();
  expect(errors, 'the admin’s console').toEqual([]);
});
