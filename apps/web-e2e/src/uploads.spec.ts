import { answer } from '@aegis/testing';
import { sendMessage } from './support/chat-page';
import { expect, test } from './support/fixtures';
import { noisePng } from './support/png';

test('an image uploads with visible progress, shows a thumbnail, and reaches the model with the message', async ({
  operatorPage: page,
  fakeLlm,
}) => {
  const png = noisePng(256, 256);
  // A slow uplink, so that the progress of a 200 kB file can be seen (Chromium's network emulation).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 128 * 1024 });

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'noise.png', mimeType: 'image/png', buffer: png });

  const progress = page.getByRole('progressbar', { name: 'Uploading noise.png' });
  await expect(progress).toBeVisible();
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { message: 'progress moves before the end' })
    .toBeGreaterThan(0);
  await expect(progress).toHaveCount(0, { timeout: 15_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const tray = page.getByRole('list', { name: 'Attachments' });
  await expect(tray.getByText('noise.png')).toBeVisible();
  await expect(tray.locator('img')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove noise.png' })).toBeVisible();

  fakeLlm.enqueue('openai', answer({ text: ['Grey noise, nothing else.'] }));
  await sendMessage(page, 'What is in this picture?');
  await expect(page.getByText('Grey noise, nothing else.')).toBeVisible();
  await expect(tray).toHaveCount(0);

  // The model got the picture itself, as an image part of the user's message.
  const sent = JSON.stringify(fakeLlm.requestsFor('openai').at(-1)?.body);
  expect(sent).toContain('image_url');
  expect(sent).toContain(png.toString('base64'));
});

test.describe('a refused file', () => {
  // The server's 415 is what the test is about; Chromium logs it as a failed resource.
  test.use({ expectedFailures: { '/api/uploads': [415] } });

  test("shows the server's reason next to the file, and can be removed", async ({ operatorPage: page }) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    // A Windows program (the MZ header) under an innocent name.
    await (
      await chooser
    ).setFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]) });

    const tray = page.getByRole('list', { name: 'Attachments' });
    await expect(tray.getByText('report.txt')).toBeVisible();
    await expect(tray.getByRole('alert')).toContainText('not accepted');
    await page.getByRole('button', { name: 'Remove report.txt' }).click();
    await expect(tray).toHaveCount(0);
  });
});
