import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDataSourceOptions,
  MEMORY_EMBEDDING_DIMENSIONS,
  migrateUp,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@aegis/database';
import { Secret } from '@aegis/config';
import { createProviderAdapters, ProviderCascade, resolveProviderSettings, UsageRepository } from '@aegis/providers';
import { createTestDatabase, embeddings, type FakeLlmServer, startFakeLlmServer } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { MemoryException } from './memory.exception';
import { MemoryRepository } from './memory.repository';
import { MemoryService } from './memory.service';
import type { MemoryEmbedder } from './memory.types';

async function newUser(dataSource: DataSource, username: string): Promise<string> {
  const [{ id }] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO users (username, password_hash, role) VALUES ($1, 'x', 'operator') RETURNING id`,
    [username],
  );
  return id;
}

/**
 * A deterministic embedder: each text maps onto a few "topics" by keyword, so texts about the same
 * topic are close even when they share no word (what full-text search alone cannot find).
 */
const TOPICS: readonly (readonly string[])[] = [
  ['coffee', 'espresso', 'latte', 'caffeine', 'drink'],
  ['dog', 'puppy', 'pet', 'labrador'],
  ['kubernetes', 'cluster', 'pod', 'deploy'],
];
class TopicEmbedder implements MemoryEmbedder {
  calls = 0;
  embed(texts: readonly string[]): Promise<{ embeddings: number[][] }> {
    this.calls++;
    return Promise.resolve({
      embeddings: texts.map((text) => {
        const vector = new Array<number>(MEMORY_EMBEDDING_DIMENSIONS).fill(0);
        const lower = text.toLowerCase();
        TOPICS.forEach((words, topic) => {
          if (words.some((word) => lower.includes(word))) vector[topic] = 1;
        });
        vector[MEMORY_EMBEDDING_DIMENSIONS - 1] = 0.01;
        return vector;
      }),
    });
  }
}

class FailingEmbedder implements MemoryEmbedder {
  embed(): Promise<{ embeddings: number[][] }> {
    return Promise.reject(new Error('No embedding provider is configured'));
  }
}

describe('MemoryService on PostgreSQL (full-text only)', () => {
  let dataSource: DataSource;
  let memory: MemoryService;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    dataSource = new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false }));
    await dataSource.initialize();
    memory = new MemoryService(new MemoryRepository(dataSource), new FailingEmbedder());
    alice = await newUser(dataSource, 'alice');
    bob = await newUser(dataSource, 'bob');
  });

  afterAll(() => dataSource.destroy());

  it('has no vector column when pgvector is not installed, and still searches', async () => {
    const [{ available }] = await dataSource.query<{ available: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`,
    );
    expect(await memory.vectorSearchAvailable()).toBe(available);
  });

  it('finds a saved fact by its words, best match first, with stemming', async () => {
    await memory.save(alice, 'Alice prefers espresso over filter coffee');
    await memory.save(alice, 'Alice deploys to the staging cluster on Fridays');
    const saved = await memory.save(alice, 'The production cluster runs Kubernetes 1.31', {
      kind: 'summary',
      source: '0b7f2c52-4c3a-4e0b-9d2b-5d1b6c9e8f00',
    });
    expect(saved).toMatchObject({ kind: 'summary', source: '0b7f2c52-4c3a-4e0b-9d2b-5d1b6c9e8f00' });
    const found = await memory.search(alice, 'which kubernetes version does production run?');
    expect(found[0].id).toBe(saved.id);
    expect((await memory.search(alice, 'deploying')).map((item) => item.content)).toEqual([
      'Alice deploys to the staging cluster on Fridays',
    ]);
    expect(await memory.search(alice, 'bananas')).toEqual([]);
    expect((await memory.search(alice, 'cluster -kubernetes')).map((item) => item.content)).toEqual([
      'Alice deploys to the staging cluster on Fridays',
    ]);
    expect(await memory.search(alice, 'the and of')).toEqual([]);
  });

  it('never shows one user another user’s items', async () => {
    const secret = await memory.save(bob, 'Bob keeps the vault password in a drawer');
    expect(await memory.search(alice, 'vault password drawer')).toEqual([]);
    expect((await memory.list(alice)).items.map((item) => item.id)).not.toContain(secret.id);
    await expect(memory.delete(alice, secret.id)).rejects.toBeInstanceOf(MemoryException);
    expect((await memory.search(bob, 'vault')).map((item) => item.id)).toEqual([secret.id]);
  });

  it('pages newest first with a cursor, and deletes', async () => {
    const carol = await newUser(dataSource, 'carol');
    for (let i = 0; i < 5; i++) await memory.save(carol, `note number ${i}`);
    const first = await memory.list(carol, undefined, 2);
    expect(first.items.map((item) => item.content)).toEqual(['note number 4', 'note number 3']);
    const second = await memory.list(carol, first.nextCursor ?? undefined, 2);
    expect(second.items.map((item) => item.content)).toEqual(['note number 2', 'note number 1']);
    const third = await memory.list(carol, second.nextCursor ?? undefined, 2);
    expect(third).toEqual({ items: [expect.objectContaining({ content: 'note number 0' })], nextCursor: null });
    await memory.delete(carol, third.items[0].id);
    expect((await memory.list(carol)).items).toHaveLength(4);
    await expect(memory.list(carol, 'not-a-cursor')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses empty and oversized content', async () => {
    await expect(memory.save(alice, '   ')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(memory.save(alice, 'x'.repeat(4001))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('MemoryService on embedded PGlite with pgvector (hybrid)', () => {
  let embedded: EmbeddedPostgres;
  let dataDir: string;
  let dataSource: DataSource;
  let embedder: TopicEmbedder;
  let memory: MemoryService;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aegis-memory-'));
    embedded = await startEmbeddedPostgres(dataDir);
    await migrateUp({ url: embedded.url, embedded: true });
    dataSource = new DataSource(createDataSourceOptions({ url: embedded.url, embedded: true }));
    await dataSource.initialize();
    embedder = new TopicEmbedder();
    memory = new MemoryService(new MemoryRepository(dataSource), embedder);
    alice = await newUser(dataSource, 'alice');
    bob = await newUser(dataSource, 'bob');
  });

  afterAll(async () => {
    await dataSource.destroy();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the vector column with an HNSW index', async () => {
    expect(await memory.vectorSearchAvailable()).toBe(true);
    const indexes = await dataSource.query<{ indexdef: string }[]>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'memory_items_embedding_idx'`,
    );
    expect(indexes[0].indexdef).toMatch(/USING hnsw/);
  });

  it('finds by meaning what shares no word with the query, and ranks items found both ways first', async () => {
    const espresso = await memory.save(alice, 'Alice drinks a double espresso every morning');
    const latte = await memory.save(alice, 'Alice dislikes latte');
    await memory.save(alice, 'Alice has a labrador named Rex');
    await memory.save(alice, 'The staging cluster is in Frankfurt');
    const stored = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM memory_items WHERE embedding IS NOT NULL`);
    expect(stored[0].n).toBe(4);

    // "caffeine" appears in no item: only the vector ranking finds the coffee items.
    const byMeaning = await memory.search(alice, 'caffeine', 2);
    expect(byMeaning.map((item) => item.id).sort()).toEqual([espresso.id, latte.id].sort());

    // "espresso" is found by both rankings, so it fuses above the latte found by meaning only.
    const hybrid = await memory.search(alice, 'espresso', 3);
    expect(hybrid[0].id).toBe(espresso.id);
    expect(hybrid[1].id).toBe(latte.id);
  });

  it('keeps users apart on the vector path too', async () => {
    const bobs = await memory.save(bob, 'Bob loves coffee');
    const found = await memory.search(alice, 'coffee', 10);
    expect(found.map((item) => item.id)).not.toContain(bobs.id);
    expect((await memory.search(bob, 'caffeine')).map((item) => item.id)).toEqual([bobs.id]);
  });

  it('embeds through ProviderCascade (OpenAI wire format, fake server) and records the usage', async () => {
    const fake: FakeLlmServer = await startFakeLlmServer();
    try {
      const settings = resolveProviderSettings({
        order: ['openai'],
        apiKeys: { openai: new Secret('sk-proj-fakeOpenAiKey0000000000000001') },
        baseUrls: { openai: fake.baseUrl('openai') },
      });
      const cascade = new ProviderCascade(settings, createProviderAdapters(settings), new UsageRepository(dataSource));
      const withCascade = new MemoryService(new MemoryRepository(dataSource), cascade);
      const carol = await newUser(dataSource, 'carol');
      const [pets] = await new TopicEmbedder().embed(['puppy']).then((result) => result.embeddings);
      const [kube] = await new TopicEmbedder().embed(['kubernetes']).then((result) => result.embeddings);
      fake.enqueue('openai', embeddings({ vectors: [pets], inputTokens: 5 }));
      const rex = await withCascade.save(carol, 'Carol walks Rex twice a day');
      fake.enqueue('openai', embeddings({ vectors: [kube], inputTokens: 5 }));
      await withCascade.save(carol, 'Carol runs the payments service');
      fake.enqueue('openai', embeddings({ vectors: [pets], inputTokens: 3 }));
      expect((await withCascade.search(carol, 'my labrador', 1)).map((item) => item.id)).toEqual([rex.id]);
      expect(fake.requestsFor('openai')).toHaveLength(3);
      const [usage] = await dataSource.query<{ input: number }[]>(
        `SELECT sum(input_tokens)::int AS input FROM usage_records WHERE user_id = $1`,
        [carol],
      );
      expect(usage.input).toBe(13);
    } finally {
      await fake.close();
    }
  });

  it('falls back to full-text when the embedder fails', async () => {
    const fallback = new MemoryService(new MemoryRepository(dataSource), new FailingEmbedder());
    const saved = await fallback.save(alice, 'Alice parks in garage level three');
    expect((await fallback.search(alice, 'garage')).map((item) => item.id)).toEqual([saved.id]);
  });
});
