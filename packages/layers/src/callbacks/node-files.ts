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
