import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type { AppConfig } from '@aegis/config';
import type { ErrorBody } from '@aegis/contracts';
import { createTestDatabase, testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';
import { UploadsHttpModule } from './uploads-http.module';
import { UploadsService } from './uploads.service';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126, 0x90)]);
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

interface UploadBody {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

/** A one-page PDF showing `text`, with a correct cross-reference table. */
function pdfWith(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe('uploads against PostgreSQL', () => {
  let app: NestExpressApplication;
  let config: AppConfig;
  let alice: BrowserSession;
  let bob: BrowserSession;
  let aliceId: string;
  let bobId: string;
  const http = () => request(app.getHttpServer());

  function upload(session: BrowserSession, bytes: Buffer, filename: string, contentType = 'application/octet-stream') {
    return http()
      .post('/api/uploads')
      .set('Cookie', cookieHeader(session))
      .set('X-CSRF-Token', session.csrf)
      .attach('file', bytes, { filename, contentType });
  }

  async function signIn(username: string, password: string): Promise<{ session: BrowserSession; id: string }> {
    const response = await http().post('/api/auth/login').send({ username, password }).expect(200);
    return { session: sessionOf(response), id: (response.body as { user: { id: string } }).user.id };
  }

  beforeAll(async () => {
    config = testConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD, UPLOAD_MAX_MB: '1' });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }), UploadsHttpModule] })
    class TestRoot {}
    app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false });
    configureApp(app, config);
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    const admin = (await signIn('root', ADMIN_PASSWORD)).session;
    for (const username of ['alice', 'bob']) {
      await http()
        .post('/api/users')
        .set('Cookie', cookieHeader(admin))
        .set('X-CSRF-Token', admin.csrf)
        .send({ username, password: USER_PASSWORD, role: 'operator' })
        .expect(201);
    }
    ({ session: alice, id: aliceId } = await signIn('alice', USER_PASSWORD));
    ({ session: bob, id: bobId } = await signIn('bob', USER_PASSWORD));
  });

  afterAll(() => app.close());

  it('accepts a PNG by its bytes even when the client calls it text/plain, with its sha256', async () => {
    const response = await upload(alice, PNG, 'pixel.txt', 'text/plain').expect(201);
    expect(response.body).toMatchObject({
      name: 'pixel.txt',
      mime: 'image/png',
      size: PNG.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    const body = response.body as UploadBody;
    const meta = await http().get(`/api/uploads/${body.id}`).set('Cookie', cookieHeader(alice)).expect(200);
    expect(meta.body).toMatchObject({ id: body.id, mime: 'image/png', sha256: body.sha256 });
  });

  it('refuses executables and HTML dressed as a PNG with 415', async () => {
    expect(errorOf(await upload(alice, ELF, 'tool.png', 'image/png').expect(415)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(errorOf(await upload(alice, EXE, 'setup.pdf').expect(415)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const html = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>');
    expect(errorOf(await upload(alice, html, 'cat.png', 'image/png').expect(415)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(errorOf(await upload(alice, Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00]), 'data.txt').expect(415)).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses a file over UPLOAD_MAX_MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await upload(alice, Buffer.alloc(1024 * 1024 + 1, 'a'), 'big.txt').expect(413);
    expect(errorOf(response)).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a request without a file, and an anonymous one', async () => {
    await http().post('/api/uploads').set('Cookie', cookieHeader(alice)).set('X-CSRF-Token', alice.csrf).field('other', 'x').expect(400);
    await http().post('/api/uploads').attach('file', PNG, 'a.png').expect(401);
  });

  it('shows another user nothing: 404 for metadata and content, NOT_FOUND to the agent', async () => {
    const { id } = (await upload(alice, Buffer.from('alice private notes'), 'notes.md').expect(201)).body as UploadBody;
    expect(errorOf(await http().get(`/api/uploads/${id}`).set('Cookie', cookieHeader(bob)).expect(404)).code).toBe('NOT_FOUND');
    await http().get(`/api/uploads/${id}/content`).set('Cookie', cookieHeader(bob)).expect(404);
    await http().get('/api/uploads/not-a-uuid').set('Cookie', cookieHeader(alice)).expect(400);
    const uploads = app.get(UploadsService);
    await expect(uploads.resolveForUser([id], bobId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [resolved] = await uploads.resolveForUser([id], aliceId);
    expect(resolved).toMatchObject({ id, name: 'notes.md', mime: 'text/markdown', size: 19 });
    expect(await uploads.extractText(resolved)).toBe('alice private notes');
  });

  it('stores identical content once on disk under its sha256, with no client path', async () => {
    const first = (await upload(alice, PNG, '../../etc/passwd').expect(201)).body as UploadBody;
    const second = (await upload(bob, PNG, 'again.png').expect(201)).body as UploadBody;
    expect(first.name).toBe('passwd');
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    expect(readdirSync(join(config.dataDir, 'uploads', first.sha256.slice(0, 2)))).toEqual([first.sha256]);
  });

  it('deletes an upload for its owner only, and its bytes with the last upload of that content', async () => {
    const bytes = Buffer.from('shared notes to be deleted');
    const first = (await upload(alice, bytes, 'a.txt').expect(201)).body as UploadBody;
    const second = (await upload(bob, bytes, 'b.txt').expect(201)).body as UploadBody;
    const path = join(config.dataDir, 'uploads', first.sha256.slice(0, 2), first.sha256);
    const remove = (session: BrowserSession, id: string) =>
      http().delete(`/api/uploads/${id}`).set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf);
    await remove(bob, first.id).expect(404);
    await remove(alice, first.id).expect(204);
    await remove(alice, first.id).expect(404);
    expect(existsSync(path)).toBe(true);
    await remove(bob, second.id).expect(204);
    expect(existsSync(path)).toBe(false);
  });

  it('serves content as a download with the stored type and nosniff', async () => {
    const { id } = (await upload(alice, PNG, 'pixel "x".png').expect(201)).body as UploadBody;
    const response = await http().get(`/api/uploads/${id}/content`).set('Cookie', cookieHeader(alice)).buffer(true).expect(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="pixel _x_.png"/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(response.body as Buffer, PNG)).toBe(0);
  });

  it('reads the text of a PDF for the agent', async () => {
    const { id } = (await upload(alice, pdfWith('Quarterly revenue grew'), 'report.bin').expect(201)).body as UploadBody;
    const uploads = app.get(UploadsService);
    const [pdf] = await uploads.resolveForUser([id], aliceId);
    expect(pdf.mime).toBe('application/pdf');
    expect(await uploads.extractText(pdf)).toContain('Quarterly revenue grew');
  });
});
