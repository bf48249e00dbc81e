import { StrataError } from '@strata/core';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/**
 * Node's `fs/promises` and `path`, loaded on first use so that the callbacks module also loads in
 * browsers; the error says which callback needs Node.
 *
 * @example
 * const { fs, path } = await nodeFiles('CSVLogger');
 */
export async function nodeFiles(owner: string): Promise<{ fs: Fs; path: Path }> {
  try {
    // Specifiers in variables: bundlers targeting browsers must not try to resolve Node modules.
    const fsName = 'node:fs/promises';
    const pathName = 'node:path';
    const [fs, path] = await Promise.all([import(/* @vite-ignore */ fsName) as Promise<Fs>, import(/* @vite-ignore */ pathName) as Promise<Path>]);
    return { fs, path };
  } catch (e) {
    throw new StrataError(`${owner}: writing files needs Node's fs module, which is not available here (${(e as Error).message}). Run in Node, or use a LambdaCallback that stores the values another way.`);
  }
}

/**
 * Writes `text` to `file` atomically: to a temporary file beside it, then renamed over it, so a
 * crash never leaves a half-written file. Missing directories are created.
 *
 * @example
 * await writeFileAtomic('ModelCheckpoint', 'ckpt/weights.json', json);
 */
export async function writeFileAtomic(owner: string, file: string, text: string): Promise<void> {
  const { fs, path } = await nodeFiles(owner);
  const dir = path.dirname(file);
  if (dir) await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temp, text);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EISDIR' || err.code === 'ENOTDIR' || err.code === 'EPERM') {
      throw new StrataError(`${owner}: cannot write '${file}' (${err.code}); it must be a file path whose directories can be created, not an existing directory.`);
    }
    throw e;
  }
}
