import { answer, FAKE_TRANSCRIPTION_TEXT, type FakeMultipartFile } from '@aegis/testing';
import { messageBox, sendMessage } from './support/chat-page';
import { expect, test } from './support/fixtures';

// Chromium hears the WAV file of the config (--use-file-for-fake-audio-capture) as the microphone.
test.use({ permissions: ['microphone'] });

test('a recording from the microphone is transcribed into the message box', async ({ operatorPage: page, fakeLlm }) => {
  await page.getByRole('button', { name: 'Record a message' }).click();
  const stop = page.getByRole('button', { name: 'Stop recording' });
  await expect(stop).toBeVisible();
  await page.waitForTimeout(1_000);
  await stop.click();

  await expect(messageBox(page)).toHaveValue(FAKE_TRANSCRIPTION_TEXT);
  await expect(page.getByRole('button', { name: 'Record a message' })).toBeVisible();
  const upload = fakeLlm.requestsFor('openai').find((request) => request.path === '/audio/transcriptions');
  expect(upload, 'the recording reached the speech model').toBeDefined();
  const file = (upload?.body as Record<string, FakeMultipartFile | string>)['file'] as FakeMultipartFile;
  expect(file.size).toBeGreaterThan(1_000);
});

test('an answer is read aloud through the speech endpoint', async ({ operatorPage: page, fakeLlm }) => {
  fakeLlm.enqueue('openai', answer({ text: ['Read this ', 'out loud.'] }));
  await sendMessage(page, 'Say something.');
  await expect(page.getByText('Read this out loud.')).toBeVisible();
  await page.getByRole('button', { name: 'Read aloud' }).last().click();
  await expect
    .poll(() => fakeLlm.requestsFor('openai').find((request) => request.path === '/audio/speech')?.body, {
      message: 'the answer went to the speech model',
    })
    .toMatchObject({ input: 'Read this out loud.' });
});
