import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { transformFile } from '@swc/core';

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles src/ to JavaScript with the same swc settings jest uses, into a private folder
 * under var/ (so node_modules resolves), for specs that run the service as a child process.
 * Much faster than `nest build`, and it leaves dist/ alone.
 */
export async function compileSources(
  name: string,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = join(ROOT, 'var', 'test-build', name);
  const sources = await typescriptFiles(join(ROOT, 'src'));
  await Promise.all(sources.map((file) => compileOne(file, dir)));

  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function compileOne(file: string, outDir: string): Promise<void> {
  const { code } = await transformFile(file, {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  const target = join(outDir, relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, code);
}

async function typescriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });

  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts'))
    .map((e) => join(e.parentPath, e.name));
}
