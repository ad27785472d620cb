import { createSlackHandler } from '../src/runtime/slackHandler';

export const handler = createSlackHandler(process.env);
