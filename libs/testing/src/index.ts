export { startPostgresCluster, type PostgresCluster } from './lib/postgres-cluster';
export { createEmptyTestDatabase, createTestDatabase } from './lib/test-database';
export { MIGRATED_TEMPLATE, skipUnlessCi, TEST_PG_URL_VARIABLE } from './lib/test-env';
export { testConfig } from './lib/test-config';
export { startFakeLlmServer, type FakeLlmServer, type FakeLlmServerOptions } from './lib/fake-llm/fake-llm-server';
export { silentMp3, silentWav } from './lib/fake-llm/audio-wire';
export {
  answer,
  embeddings,
  failure,
  FAKE_LLM_VENDORS,
  FAKE_TRANSCRIPTION_TEXT,
  hang,
  reset,
  speech,
  transcription,
  type FakeAnswer,
  type FakeEmbeddings,
  type FakeFailure,
  type FakeHang,
  type FakeLlmRequest,
  type FakeLlmStep,
  type FakeLlmVendor,
  type FakeMultipartFile,
  type FakeReset,
  type FakeSpeech,
  type FakeTranscription,
  type FakeToolCall,
} from './lib/fake-llm/fake-llm.types';
export { createGitWorkspace, gitAs as gitAsOwner, type GitWorkspace } from './lib/git-workspace';
export { startLinkFlipper, type LinkFlipper } from './lib/link-flipper';
export { connectRedis, startRedisServer, type RedisServer } from './lib/redis-server';
export { DIST_API, DIST_APPS, freePort, startBuiltServer, type BuiltServerOptions, type RunningServer } from './lib/built-server';
