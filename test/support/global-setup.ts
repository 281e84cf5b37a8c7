// Vitest global setup: starts shared test services once per run and stops them at teardown.
// MongoDB: MONGODB_URI when set, else an in-memory jongodb on a free port (it starts in well
// under a second, so it is started for every run rather than guessed from the file filter).
// Test files read the URI with inject('mongodbUri') (see test/support/mongo-server.ts).
import type { TestProject } from 'vitest/node';
import { startMongo } from './mongo-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mongo = await startMongo();
  project.provide('mongodbUri', mongo.uri);
  project.provide('mongodbServer', mongo.server);
  return async () => {
    await mongo.stop();
  };
}
