// Vitest global setup: starts shared test services once per run and stops them at teardown.
// MongoDB: MONGODB_URI when set, else an in-memory jongodb on a free port. Vitest runs this
// once per project, in one process; acquireSharedMongo makes that one server for the whole
// run, stopped after the last project's teardown (and killed by its watchdog if the run is).
// Test files read the URI with inject('mongodbUri') (see test/support/mongo-server.ts).
import type { TestProject } from 'vitest/node';
import { acquireSharedMongo } from './mongo-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { mongo, release } = await acquireSharedMongo();
  project.provide('mongodbUri', mongo.uri);
  project.provide('mongodbServer', mongo.server);
  return release;
}
