// Imported first by every entry point that loads the providers (main.ts, scripts/openapi.ts): the AI SDK
// packages read their *_BASE_URL variable while they load, before any of our code runs (libs/config).
import { clearBlankVendorUrls } from '@aegis/config';

clearBlankVendorUrls();
