import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigModule } from '@aegis/config';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SandboxExecutorModule } from './sandbox-executor.module';
import { SecureExecutor } from './secure-executor';

describe('SandboxExecutorModule', () => {
  it('provides SecureExecutor from the app configuration and closes it with the app', async () => {
    const workspace = join(mkdtempSync(join(tmpdir(), 'aegis-module-')), 'workspace');
    const config = testConfig({ EXECUTE_MODE: 'direct', WORKSPACE_DIR: workspace });

    @Module({ imports: [ConfigModule.forRoot(config), SandboxExecutorModule] })
    class TestAppModule {}

    const app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
    const executor = app.get(SecureExecutor);
    expect(await executor.sandboxHealth()).toMatchObject({ driver: 'direct', available: true });
    expect(await executor.execute({ role: Role.Viewer, argv: ['pwd'] })).toMatchObject({ stdout: `${workspace}\n` });
    await app.close();
    rmSync(dirname(workspace), { recursive: true, force: true });
  });
});
