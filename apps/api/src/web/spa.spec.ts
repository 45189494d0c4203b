import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { serveSpa } from './spa';

@Controller('api')
class ProbeController {
  @Get('probe')
  probe(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('serveSpa', () => {
  let webDir: string;
  let app: NestExpressApplication;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'aegis-spa-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Aegis</title>');
    writeFileSync(join(webDir, 'assets', 'app-1a2b.js'), 'export {};');
    writeFileSync(join(webDir, '.env'), 'SECRET=1');
    app = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false });
    expect(serveSpa(app, webDir)).toBe(true);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves files from the index read at start, not from the disk', async () => {
    rmSync(join(webDir, 'assets', 'app-1a2b.js'));
    const asset = await request(app.getHttpServer()).get('/assets/app-1a2b.js').expect(200);
    expect(asset.text).toBe('export {};');
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['etag']).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  });

  it('answers a revalidation with 304 and HEAD without a body', async () => {
    const http = request(app.getHttpServer());
    const first = await http.get('/assets/app-1a2b.js').expect(200);
    await http.get('/assets/app-1a2b.js').set('If-None-Match', String(first.headers['etag'])).expect(304);
    const head = await http.head('/assets/app-1a2b.js').expect(200);
    expect(head.text).toBeUndefined();
  });

  it('falls back to index.html for client routes and never for files, dotfiles or the API', async () => {
    const http = request(app.getHttpServer());
    const route = await http.get('/approvals/pending').set('Accept', 'text/html').expect(200);
    expect(route.text).toContain('<title>Aegis</title>');
    expect(route.headers['cache-control']).toBe('no-cache');
    await http.get('/assets/missing.js').expect(404);
    expect((await http.get('/.env').set('Accept', 'text/html')).text).not.toContain('SECRET');
    expect((await http.get('/api/probe').set('Accept', 'text/html').expect(200)).body).toEqual({ ok: true });
    await http.get('/api/nothing').set('Accept', 'text/html').expect(404);
  });
});
