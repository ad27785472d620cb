/**
 * The one place the process takes zod from. `zod/mini` tree-shakes to what each function uses
 * (the classic build was a fifth of a monitor's bundle). Only the English messages are installed,
 * so that every error names the problem ("Too big: expected number to be <=3650") rather than
 * "Invalid input", without bundling every locale. Import it as a namespace
 * (`import * as z from '.../schema/zod'`): esbuild then keeps only the members used.
 */
import { config, pipe, transform, type ZodMiniPipe, type ZodMiniTransform, type core } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/** `value` normalised by `normalise` before `schema` judges it (classic zod's preprocess). */
export function preprocess<T extends core.$ZodType>(normalise: (value: unknown) => unknown, schema: T): ZodMiniPipe<ZodMiniTransform<unknown, unknown>, T> {
  return pipe(transform(normalise), schema as core.$ZodType<unknown, unknown>) as ZodMiniPipe<ZodMiniTransform<unknown, unknown>, T>;
}
