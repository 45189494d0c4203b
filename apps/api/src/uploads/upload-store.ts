import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { Inject, Injectable } from '@nestjs/common';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Upload bytes on disk, addressed by content: DATA_DIR/uploads/<sha256[0:2]>/<sha256>. No part
 * of a path ever comes from the client, and identical files are stored once.
 */
@Injectable()
export class UploadStore {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = join(config.dataDir, 'uploads');
  }

  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error('not a sha256 digest');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes unless the same content is already there; returns their sha256. */
  async put(bytes: Buffer): Promise<string> {
    const sha256 = UploadStore.sha256(bytes);
    const path = this.pathOf(sha256);
    if (await this.exists(path)) return sha256;
    await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    // Write then rename, so a reader never sees a half-written file under its final name.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, bytes, { mode: 0o600, flag: 'wx' });
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    return sha256;
  }

  get(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  /** Deletes the bytes; already gone is fine. */
  async remove(sha256: string): Promise<void> {
    try {
      await unlink(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isFile();
    } catch {
      return false;
    }
  }
}
