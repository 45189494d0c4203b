import { clearBlankVendorUrls } from './blank-vendor-urls';

describe('clearBlankVendorUrls', () => {
  it('removes blank vendor URLs and keeps set ones and every other variable', () => {
    const env: NodeJS.ProcessEnv = {
      ANTHROPIC_BASE_URL: '',
      OPENAI_BASE_URL: '  ',
      OLLAMA_BASE_URL: 'http://127.0.0.1:11434',
      DATABASE_URL: '',
      SOMETHING_ELSE_BASE_URL: '',
    };
    clearBlankVendorUrls(env);
    expect(env).toEqual({ OLLAMA_BASE_URL: 'http://127.0.0.1:11434', DATABASE_URL: '', SOMETHING_ELSE_BASE_URL: '' });
  });
});
