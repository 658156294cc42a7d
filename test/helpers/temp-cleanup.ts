// Vitest setup file: a test file's temporary directories (helpers/temp.ts) go once its last
// hook has run (registered first, this afterAll runs last: hooks run as a stack).
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp';

afterAll(() => removeTempDirs());
